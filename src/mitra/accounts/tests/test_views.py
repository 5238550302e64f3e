"""Organisation settings pages and the invitation link: admins change, others read, strangers get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests import factories as f

from mitra.accounts import services
from mitra.accounts.models import (
    ApiToken,
    Department,
    Invitation,
    Membership,
    Organisation,
    Role,
    SecurityEvent,
)
from mitra.core.services import hash_secret


@pytest.fixture
def as_user(client):
    def sign_in(membership):
        client.force_login(membership.user)
        client.cookies["mitra_language"] = "en"
        return client

    return sign_in


def org_post(org, **changes):
    data = {
        "name": org.name,
        "legal_name": org.legal_name,
        "country": org.country,
        "currency": org.currency,
        "time_zone": org.time_zone,
        "language": org.language,
        "version": org.version,
    }
    data.update(changes)
    return data


# --- organisation details -------------------------------------------------------------------------------


def test_admin_sees_the_form_and_saves(world, as_user):
    client = as_user(world.supplier_admin)
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 200 and 'name="require_mfa"' in response.content.decode()
    response = client.post(
        reverse("accounts:settings"), org_post(world.supplier, time_zone="Asia/Makassar", require_mfa="on")
    )
    assert response.status_code == 302
    world.supplier.refresh_from_db()
    assert (world.supplier.time_zone, world.supplier.require_mfa, world.supplier.version) == (
        "Asia/Makassar",
        True,
        2,
    )


def test_member_sees_settings_read_only_and_cannot_post(world, as_user):
    client = as_user(world.supplier_member)
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        'name="require_mfa"' not in content
        and "Only an organisation admin can change these settings." in content
    )
    response = client.post(reverse("accounts:settings"), org_post(world.supplier, name="Hijacked"))
    assert response.status_code == 403
    assert Organisation.objects.get(pk=world.supplier.pk).name == "PT Sumber Rasa Nusantara"


def test_taken_name_shows_the_error_next_to_the_field(world, as_user):
    response = as_user(world.supplier_admin).post(
        reverse("accounts:settings"), org_post(world.supplier, name="pt ritel maju bersama")
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["An organisation with this name is already on Mitra."]
    }
    world.supplier.refresh_from_db()
    assert (world.supplier.name, world.supplier.version) == ("PT Sumber Rasa Nusantara", 1)


def test_stale_version_is_a_conflict_message(world, as_user):
    response = as_user(world.supplier_admin).post(
        reverse("accounts:settings"), org_post(world.supplier, version=5, name="X")
    )
    assert "was changed by someone else" in response.content.decode()
    assert Organisation.objects.get(pk=world.supplier.pk).name == "PT Sumber Rasa Nusantara"


# --- departments ---------------------------------------------------------------------------------------


def test_departments_add_rename_and_duplicates(world, as_user):
    client = as_user(world.supplier_admin)
    response = client.post(reverse("accounts:departments"), {"kind": "quality", "name": "Quality"})
    assert response.status_code == 302
    quality = Department.objects.get(organisation=world.supplier, name="Quality")
    response = client.post(reverse("accounts:departments"), {"kind": "quality", "name": "quality"})
    assert response.context["form"].errors == {
        "name": ["This organisation already has a department with this name."]
    }
    client.post(reverse("accounts:department_rename", args=[quality.pk]), {"name": "Quality assurance"})
    quality.refresh_from_db()
    assert quality.name == "Quality assurance"
    assert Department.objects.filter(organisation=world.supplier).count() == 3


def test_department_with_a_bridge_cannot_be_deleted(world, as_user):
    response = as_user(world.supplier_admin).post(
        reverse("accounts:department_delete", args=[world.supplier_sales.pk]), follow=True
    )
    assert "Bridges still use this department" in response.content.decode()
    assert Department.objects.filter(pk=world.supplier_sales.pk).exists()


def test_viewer_cannot_add_departments_and_strangers_get_404(world, as_user):
    response = as_user(world.supplier_viewer).post(
        reverse("accounts:departments"), {"kind": "it", "name": "IT"}
    )
    assert response.status_code == 403
    response = as_user(world.foreign_admin).post(
        reverse("accounts:department_rename", args=[world.supplier_finance.pk]), {"name": "Ours now"}
    )
    assert response.status_code == 404
    response = as_user(world.foreign_admin).post(
        reverse("accounts:department_delete", args=[world.supplier_finance.pk])
    )
    assert response.status_code == 404
    assert Department.objects.get(pk=world.supplier_finance.pk).name == "Finance"
    assert not Department.objects.filter(name="IT").exists()


# --- members ------------------------------------------------------------------------------------------


def test_members_list_and_edit(world, as_user):
    client = as_user(world.supplier_admin)
    response = client.get(reverse("accounts:members"))
    assert [m.user.email for m in response.context["members"]] == sorted(
        ["admin@sumber.test", "member@sumber.test", "viewer@sumber.test"],
        key=lambda e: Membership.objects.get(user__email=e).user.full_name,
    )
    url = reverse("accounts:member_edit", args=[world.supplier_viewer.pk])
    response = client.post(
        url,
        {
            "role": "member",
            "job_title": "Demand planner",
            "departments": [world.supplier_finance.pk],
            "version": "1",
        },
    )
    assert response.status_code == 302
    world.supplier_viewer.refresh_from_db()
    assert (world.supplier_viewer.role, world.supplier_viewer.job_title) == ("member", "Demand planner")
    assert list(world.supplier_viewer.departments.all()) == [world.supplier_finance]


def test_last_admin_cannot_be_demoted(world, as_user):
    url = reverse("accounts:member_edit", args=[world.supplier_admin.pk])
    response = as_user(world.supplier_admin).post(url, {"role": "viewer", "version": "1"}, follow=True)
    assert "An organisation needs at least one active admin." in response.content.decode()
    world.supplier_admin.refresh_from_db()
    assert world.supplier_admin.role == Role.ADMIN


def test_member_edit_is_for_admins_and_foreign_members_are_not_found(world, as_user):
    assert (
        as_user(world.supplier_member)
        .get(reverse("accounts:member_edit", args=[world.supplier_viewer.pk]))
        .status_code
        == 403
    )
    assert (
        as_user(world.supplier_admin)
        .get(reverse("accounts:member_edit", args=[world.foreign_admin.pk]))
        .status_code
        == 404
    )
    response = as_user(world.supplier_admin).post(
        reverse("accounts:member_deactivate", args=[world.foreign_admin.pk])
    )
    assert response.status_code == 404
    assert Membership.objects.get(pk=world.foreign_admin.pk).is_active


def test_deactivate_a_member(world, as_user):
    response = as_user(world.supplier_admin).post(
        reverse("accounts:member_deactivate", args=[world.supplier_member.pk])
    )
    assert response.status_code == 302
    world.supplier_member.refresh_from_db()
    assert not world.supplier_member.is_active


def test_viewer_cannot_deactivate(world, as_user):
    response = as_user(world.supplier_viewer).post(
        reverse("accounts:member_deactivate", args=[world.supplier_member.pk])
    )
    assert response.status_code == 403
    assert Membership.objects.get(pk=world.supplier_member.pk).is_active


# --- invitations --------------------------------------------------------------------------------------


def test_invite_and_revoke(world, as_user, django_capture_on_commit_callbacks):
    client = as_user(world.supplier_admin)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("accounts:invitations"),
            {"email": "Sari@Sumber.test", "role": "viewer", "departments": [world.supplier_sales.pk]},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(organisation=world.supplier)
    assert (invitation.email, invitation.role, list(invitation.departments.all())) == (
        "sari@sumber.test",
        "viewer",
        [world.supplier_sales],
    )
    response = client.get(reverse("accounts:invitations"))
    assert "sari@sumber.test" in response.content.decode() and "Pending" in response.content.decode()
    client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == "revoked"


def test_inviting_a_member_shows_the_error(world, as_user):
    response = as_user(world.supplier_admin).post(
        reverse("accounts:invitations"), {"email": "member@sumber.test", "role": "member"}
    )
    assert response.context["form"].errors == {"email": ["This person is already a member."]}
    assert not Invitation.objects.exists()


def test_invitations_are_for_admins(world, as_user):
    assert as_user(world.supplier_member).get(reverse("accounts:invitations")).status_code == 403
    response = as_user(world.supplier_member).post(
        reverse("accounts:invitations"), {"email": "x@y.test", "role": "admin"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# --- API tokens ---------------------------------------------------------------------------------------


def test_token_is_shown_once_and_stored_hashed(world, as_user):
    client = as_user(world.supplier_member)
    response = client.post(reverse("accounts:tokens"), {"name": "ERP import"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = response.context["created"]["raw"]
    assert raw.startswith("mitra_") and raw in response.content.decode()
    token = ApiToken.objects.get(membership=world.supplier_member)
    assert (token.name, token.token_hash) == ("ERP import", hash_secret(raw))
    assert raw not in client.get(reverse("accounts:tokens")).content.decode()


def test_token_revoke_and_strangers(world, as_user):
    token, _ = services.api_token_create(f.actor(world.supplier_member), name="CI")
    response = as_user(world.foreign_admin).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    response = as_user(world.supplier_member).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- security log -------------------------------------------------------------------------------------


def test_security_log_is_for_admins_and_paginated(world, as_user):
    for i in range(55):
        services.security_event_record(
            kind=SecurityEvent.Kind.LOGIN_FAILED, organisation_id=world.supplier.pk, email=f"x{i}@y.test"
        )
    services.security_event_record(
        kind=SecurityEvent.Kind.LOGIN, organisation_id=world.foreign.pk, email="spy@lain.test"
    )
    client = as_user(world.supplier_admin)
    response = client.get(reverse("accounts:security"))
    assert response.status_code == 200
    page = response.context["page"]
    # 55 failed sign-ins plus the admin's own sign-in; never the other organisation's event.
    assert (page.paginator.count, len(page.object_list), page.paginator.num_pages) == (56, 50, 2)
    second = client.get(reverse("accounts:security") + "?page=2").content.decode()
    assert "x0@y.test" in second and "spy@lain.test" not in second
    assert as_user(world.supplier_member).get(reverse("accounts:security")).status_code == 403


# --- accepting an invitation --------------------------------------------------------------------------


@pytest.fixture
def invitation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return services.invitation_create(
            f.actor(world.supplier_admin),
            email="sari@sumber.test",
            role=Role.MEMBER,
            department_ids=[world.supplier_sales.pk],
        )


def invitation_url(invitation):
    return reverse("accounts:invitation", args=[services.invitation_link_token(invitation)])


def test_invitation_sign_up_creates_the_account_accepts_and_signs_in(invitation, world, client):
    url = invitation_url(invitation)
    response = client.get(url)
    assert (
        response.status_code == 200 and "Join PT Sumber Rasa Nusantara on Mitra" in response.content.decode()
    )
    response = client.post(url, {"full_name": "Sari Wulandari", "password": "teh-manis-dingin-77"})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    membership = Membership.objects.get(user__email="sari@sumber.test")
    assert (membership.organisation, membership.role, list(membership.departments.all())) == (
        world.supplier,
        "member",
        [world.supplier_sales],
    )
    assert client.get(reverse("partnerships:list")).status_code == 200
    assert client.get(url).status_code == 404  # used


def test_invitation_weak_password_shows_the_error_and_writes_nothing(invitation, client):
    response = client.post(invitation_url(invitation), {"full_name": "Sari", "password": "12345"})
    assert response.status_code == 200 and "password" in response.context["form"].errors
    assert not Membership.objects.filter(user__email="sari@sumber.test").exists()


def test_invitation_for_a_signed_in_invitee(invitation, world, client):
    user = f.UserFactory(email="sari@sumber.test")
    client.force_login(user)
    response = client.get(invitation_url(invitation))
    assert response.context["email_matches"] is True
    assert client.post(invitation_url(invitation)).status_code == 302
    assert Membership.objects.filter(user=user, organisation=world.supplier, is_active=True).exists()


def test_invitation_for_someone_else_is_refused(invitation, world, as_user):
    client = as_user(world.foreign_admin)
    response = client.post(invitation_url(invitation), follow=True)
    assert "This invitation was sent to another e-mail address." in response.content.decode()
    assert not Membership.objects.filter(user=world.foreign_admin.user, organisation=world.supplier).exists()


@pytest.mark.parametrize("token", ["inv_nonsense", "x"])
def test_bad_invitation_token_is_a_friendly_404(db, client, token):
    response = client.get(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()
