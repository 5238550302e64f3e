import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from tests import factories as f

from mitra.accounts import selectors, services
from mitra.accounts.models import ApiToken, Invitation, Membership, Role, SecurityEvent
from mitra.core.errors import Conflict, Invalid, NotFound, PermissionDenied


def test_organisation_create_makes_admin_and_standard_departments(db):
    user = f.UserFactory()
    membership = services.organisation_create(user=user, name="PT Baru Jaya", language="en")
    org = membership.organisation
    assert membership.role == Role.ADMIN
    assert (org.currency, org.time_zone, org.country) == ("IDR", "Asia/Jakarta", "ID")
    assert sorted(org.departments.values_list("name", flat=True)) == [
        "Customer service",
        "Finance",
        "Logistics / warehouse",
        "Management",
        "Marketing",
        "Purchasing",
        "Quality",
        "Sales",
    ]


def test_organisation_department_names_follow_its_language(db):
    org = services.organisation_create(user=f.UserFactory(), name="PT Bahasa", language="id").organisation
    assert dict(org.departments.values_list("kind", "name")) == {
        "sales": "Penjualan",
        "purchasing": "Pembelian",
        "finance": "Keuangan",
        "logistics": "Logistik / gudang",
        "marketing": "Pemasaran",
        "customer_service": "Layanan pelanggan",
        "quality": "Mutu",
        "management": "Manajemen",
    }


def test_organisation_update_requires_admin_and_current_version(world):
    with pytest.raises(PermissionDenied):
        services.organisation_update(f.actor(world.supplier_member), legal_name="X")
    admin = f.actor(world.supplier_admin)
    org = services.organisation_update(admin, version=1, require_mfa=True, currency="usd")
    assert (org.require_mfa, org.currency, org.version) == (True, "USD", 2)
    with pytest.raises(Conflict):
        services.organisation_update(admin, version=1, legal_name="Stale")
    with pytest.raises(Invalid) as exc:
        services.organisation_update(admin, time_zone="Mars/Olympus")
    assert list(exc.value.errors) == ["time_zone"]


def test_last_admin_cannot_be_demoted_or_deactivated(world):
    admin = f.actor(world.supplier_admin)
    with pytest.raises(Conflict):
        services.membership_update(admin, membership_id=world.supplier_admin.pk, role=Role.MEMBER)
    with pytest.raises(Conflict):
        services.membership_deactivate(admin, membership_id=world.supplier_admin.pk)
    assert Membership.objects.get(pk=world.supplier_admin.pk).role == Role.ADMIN


def test_membership_update_rejects_foreign_departments(world):
    with pytest.raises(Invalid) as exc:
        services.membership_update(
            f.actor(world.supplier_admin),
            membership_id=world.supplier_member.pk,
            department_ids=[world.customer_finance.pk],
        )
    assert list(exc.value.errors) == ["department_ids"]
    assert list(world.supplier_member.departments.all()) == [world.supplier_finance]


def test_membership_of_another_org_is_not_found(world):
    with pytest.raises(NotFound):
        services.membership_update(
            f.actor(world.foreign_admin), membership_id=world.supplier_member.pk, role="viewer"
        )


def test_deactivation_revokes_tokens(world):
    member = f.actor(world.supplier_member)
    token, raw = services.api_token_create(member, name="ERP")
    services.membership_deactivate(f.actor(world.supplier_admin), membership_id=world.supplier_member.pk)
    assert services.api_token_authenticate(raw) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections like the real process
def test_invitation_email_goes_out_through_the_job_worker(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.invitation_create(
            f.actor(world.supplier_admin),
            email="Baru@Sumber.test",
            role="viewer",
            department_ids=[world.supplier_finance.pk],
        )
    assert mail.outbox == []  # queued, not sent in the request
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    token = services.invitation_link_token(inv)
    assert message.to == ["baru@sumber.test"] and f"/invitations/{token}/" in message.body
    inv.refresh_from_db()
    assert inv.email_sent_at is not None
    # Idempotent: running the job again sends nothing more.
    from mitra.accounts.tasks import send_invitation_email

    assert send_invitation_email.call(inv.pk) is False
    membership = services.invitation_accept(
        raw_token=token, password="another-long-passphrase", full_name="Baru"
    )
    assert (membership.role, list(membership.departments.all())) == ("viewer", [world.supplier_finance])
    with pytest.raises(NotFound):
        services.invitation_accept(raw_token=token, password="another-long-passphrase")


def test_expired_invitation_is_not_found_and_can_be_replaced(world, django_capture_on_commit_callbacks):
    admin = f.actor(world.supplier_admin)
    with django_capture_on_commit_callbacks(execute=False):
        inv = services.invitation_create(admin, email="late@sumber.test")
        Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
        with pytest.raises(NotFound):
            services.invitation_by_token(services.invitation_link_token(inv))
        services.invitation_create(admin, email="late@sumber.test")
    assert Invitation.objects.filter(email="late@sumber.test", revoked_at__isnull=True).count() == 1


def test_invitation_for_existing_member_is_invalid(world):
    with pytest.raises(Invalid) as exc:
        services.invitation_create(f.actor(world.supplier_admin), email="MEMBER@sumber.test")
    assert exc.value.errors == {"email": ["This person is already a member."]}


def test_weak_password_names_the_field(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        inv = services.invitation_create(f.actor(world.supplier_admin), email="weak@sumber.test")
    with pytest.raises(Invalid) as exc:
        services.invitation_accept(raw_token=services.invitation_link_token(inv), password="123")
    assert list(exc.value.errors) == ["password"]
    assert not Membership.objects.filter(user__email="weak@sumber.test").exists()


def test_api_token_is_hashed_shown_once_and_logged_hourly(world):
    actor = f.actor(world.supplier_member)
    token, raw = services.api_token_create(actor, name="ERP sync")
    assert raw.startswith("mitra_") and token.token_hash != raw and raw not in token.token_hash
    assert services.api_token_authenticate(raw).pk == token.pk
    assert services.api_token_authenticate(raw).pk == token.pk
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_USED, detail=token.prefix).count() == 1
    services.api_token_revoke(actor, token_id=token.pk)
    assert services.api_token_authenticate(raw) is None


def test_member_cannot_revoke_someone_elses_token_but_admin_can(world):
    token, _raw = services.api_token_create(f.actor(world.supplier_viewer), name="x")
    with pytest.raises(NotFound):
        services.api_token_revoke(f.actor(world.supplier_member), token_id=token.pk)
    assert services.api_token_revoke(f.actor(world.supplier_admin), token_id=token.pk).revoked_at is not None
    with pytest.raises(NotFound):
        services.api_token_revoke(f.actor(world.foreign_admin), token_id=token.pk)


def test_security_log_is_for_admins_of_that_organisation(world, client):
    client.post("/accounts/login/", {"login": "member@sumber.test", "password": "wrong-password"})
    client.post("/accounts/login/", {"login": "member@sumber.test", "password": f.PASSWORD})
    kinds = list(selectors.security_event_list(f.actor(world.supplier_admin)).values_list("kind", flat=True))
    assert kinds[:2] == [SecurityEvent.Kind.LOGIN, SecurityEvent.Kind.LOGIN_FAILED]
    assert selectors.security_event_list(f.actor(world.supplier_member)).count() == 0
    assert selectors.security_event_list(f.actor(world.foreign_admin)).count() == 0


def test_directory_excludes_own_org_and_exposes_names_only(world):
    names = [o.name for o in selectors.directory(f.actor(world.supplier_admin), "PT")]
    assert world.supplier.name not in names and world.customer.name in names


def test_a_department_that_restricts_a_bridge_cannot_be_deleted(world):
    from mitra.partnerships import services as partnership_services

    admin = f.actor(world.supplier_admin)
    partnership_services.bridge_update(
        admin, bridge_id=world.bridge.pk, restricted_department_id=world.supplier_finance.pk
    )
    with pytest.raises(Conflict, match="Bridges still use this department"):
        services.department_delete(admin, department_id=world.supplier_finance.pk)
    world.bridge.refresh_from_db()
    assert world.bridge.restricted_department == world.supplier_finance


def test_country_and_currency_must_be_real_codes_and_nothing_is_written(world):
    admin = f.actor(world.supplier_admin)
    with pytest.raises(Invalid) as exc:
        services.organisation_update(admin, country="XX", currency="RPX", legal_name="Changed")
    assert sorted(exc.value.errors) == ["country", "currency"]
    world.supplier.refresh_from_db()
    assert (world.supplier.country, world.supplier.currency, world.supplier.version) == ("ID", "IDR", 1)
    org = services.organisation_update(admin, country="sg", currency="sgd")
    assert (org.country, org.currency) == ("SG", "SGD")
