import pytest
from django.db import transaction
from tests import factories as f

from mitra.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from mitra.partnerships import selectors, services
from mitra.partnerships.models import Bridge, Partnership, Side, Status


def test_propose_to_itself_is_invalid_and_writes_nothing(world):
    before = Partnership.objects.count()
    with pytest.raises(Invalid) as exc:
        services.partnership_propose(
            f.actor(world.supplier_admin), partner_id=world.supplier.pk, our_side=Side.SUPPLIER
        )
    assert exc.value.errors == {"partner_id": ["An organisation cannot be in a partnership with itself."]}
    assert Partnership.objects.count() == before


def test_propose_then_only_the_recipient_accepts(world, django_capture_on_commit_callbacks):
    proposer = f.actor(world.supplier_admin)
    with django_capture_on_commit_callbacks(execute=False):
        p = services.partnership_propose(
            proposer, partner_id=world.foreign.pk, our_side=Side.CUSTOMER, goals="Grow"
        )
    assert (p.supplier_id, p.customer_id, p.status) == (world.foreign.pk, world.supplier.pk, Status.PROPOSED)
    with pytest.raises(Conflict, match="Only the organisation that received the proposal"):
        services.partnership_accept(proposer, partnership_id=p.pk)
    with pytest.raises(NotFound):
        services.partnership_accept(f.actor(world.customer_admin), partnership_id=p.pk)
    accepted = services.partnership_accept(f.actor(world.foreign_admin), partnership_id=p.pk)
    assert accepted.status == Status.ACTIVE and accepted.version == 2 and accepted.start_date is not None


def test_duplicate_open_partnership_is_invalid(world):
    with pytest.raises(Invalid) as exc:
        services.partnership_propose(
            f.actor(world.supplier_member), partner_id=world.customer.pk, our_side=Side.SUPPLIER
        )
    assert "partner_id" in exc.value.errors


def test_viewer_cannot_propose(world):
    with pytest.raises(PermissionDenied):
        services.partnership_propose(
            f.actor(world.supplier_viewer), partner_id=world.foreign.pk, our_side=Side.SUPPLIER
        )


def test_bridge_between_departments_of_one_side_is_invalid(world):
    before = Bridge.objects.count()
    with pytest.raises(Invalid) as exc:
        services.bridge_create(
            f.actor(world.supplier_member),
            partnership_id=world.partnership.pk,
            supplier_department_id=world.supplier_finance.pk,
            customer_department_id=world.supplier_sales.pk,
        )
    assert list(exc.value.errors) == ["customer_department_id"]
    assert Bridge.objects.count() == before


def test_duplicate_bridge_is_invalid(world):
    with pytest.raises(Invalid, match="already bridged"):
        services.bridge_create(
            f.actor(world.customer_member),
            partnership_id=world.partnership.pk,
            supplier_department_id=world.supplier_sales.pk,
            customer_department_id=world.customer_purchasing.pk,
        )


def test_bridge_on_foreign_partnership_is_not_found(world):
    with pytest.raises(NotFound):
        services.bridge_create(
            f.actor(world.foreign_admin),
            partnership_id=world.partnership.pk,
            supplier_department_id=world.supplier_sales.pk,
            customer_department_id=world.customer_finance.pk,
        )


def test_stale_bridge_edit_conflicts(world):
    a = f.actor(world.supplier_member)
    services.bridge_update(a, bridge_id=world.bridge.pk, version=1, cadence_days=14)
    with pytest.raises(Conflict):
        services.bridge_update(a, bridge_id=world.bridge.pk, version=1, cadence_days=7)
    world.bridge.refresh_from_db()
    assert (world.bridge.cadence_days, world.bridge.version) == (14, 2)


def test_restricted_bridge_hidden_from_other_departments_of_that_side_only(world):
    services.bridge_update(
        f.actor(world.supplier_admin),
        bridge_id=world.bridge.pk,
        restricted_department_id=world.supplier_sales.pk,
    )
    pid = world.partnership.pk
    assert selectors.bridge_list(f.actor(world.supplier_member), pid).count() == 0  # finance, not sales
    assert selectors.bridge_list(f.actor(world.supplier_admin), pid).count() == 1
    assert selectors.bridge_list(f.actor(world.customer_member), pid).count() == 1  # other side unaffected


def test_threading_flags_single_bridge_and_single_person(world):
    p = selectors.partnership_get(f.actor(world.supplier_admin), world.partnership.pk)
    t = selectors.threading(p)
    assert (t.bridges, t.supplier_people, t.customer_people, t.single_bridge, t.single_person) == (
        1,
        1,
        1,
        True,
        True,
    )


def test_status_transitions(world):
    a = f.actor(world.customer_admin)
    pid = world.partnership.pk
    assert (
        services.partnership_set_status(a, partnership_id=pid, status=Status.PAUSED).status == Status.PAUSED
    )
    assert (
        services.partnership_set_status(a, partnership_id=pid, status=Status.ENDED, reason="Merged").status
        == Status.ENDED
    )
    with pytest.raises(Conflict):
        services.partnership_set_status(a, partnership_id=pid, status=Status.ACTIVE)


def test_partner_invitation_signup_flow_creates_org_and_active_partnership(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        inv = services.partner_invitation_create(
            f.actor(world.supplier_member),
            email="Budi@Hotel.test",
            company_name="PT Hotel Baru",
            our_side=Side.SUPPLIER,
        )
    token = services.partner_invitation_token(inv)
    p = services.partner_invitation_accept_new(
        raw_token=token,
        full_name="Budi",
        password="a-long-enough-passphrase",
        organisation_name="PT Hotel Baru",
    )
    assert (p.supplier_id, p.customer.name, p.status) == (world.supplier.pk, "PT Hotel Baru", Status.ACTIVE)
    assert p.customer.memberships.get().user.email == "budi@hotel.test"
    with pytest.raises(NotFound):  # a link works once
        services.partner_invitation_by_token(token)


def test_partner_invitation_failure_leaves_no_trace(world, django_capture_on_commit_callbacks):
    from mitra.accounts.models import Organisation, User

    with django_capture_on_commit_callbacks(execute=False):
        inv = services.partner_invitation_create(
            f.actor(world.supplier_member), email="x@y.test", company_name="PT Baru", our_side=Side.SUPPLIER
        )
    users, orgs = User.objects.count(), Organisation.objects.count()
    with pytest.raises(Invalid) as exc, transaction.atomic():
        services.partner_invitation_accept_new(
            raw_token=services.partner_invitation_token(inv),
            full_name="X",
            password="a-long-enough-passphrase",
            organisation_name=world.customer.name,
        )
    assert list(exc.value.errors) == ["organisation_name"]
    assert (User.objects.count(), Organisation.objects.count()) == (users, orgs)


def test_a_restricted_bridge_does_not_show_through_the_counts(world):
    services.bridge_create(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        supplier_department_id=world.supplier_sales.pk,
        customer_department_id=world.customer_finance.pk,
        supplier_owner_id=world.supplier_member.pk,
        customer_owner_id=world.customer_member.pk,
        restricted_department_id=world.supplier_sales.pk,
    )
    counts = lambda m: selectors.threading(selectors.partnership_get(f.actor(m), world.partnership.pk))  # noqa: E731
    assert (counts(world.supplier_admin).bridges, counts(world.supplier_admin).supplier_people) == (2, 2)
    assert (counts(world.customer_member).bridges, counts(world.customer_member).customer_people) == (2, 2)
    hidden = counts(world.supplier_member)  # finance, not sales
    assert (hidden.bridges, hidden.supplier_people, hidden.single_bridge) == (1, 1, True)


def test_only_the_proposer_changes_a_proposal_and_acceptance_holds_for_the_terms_read(world):
    proposer, receiver = f.actor(world.supplier_admin), f.actor(world.foreign_admin)
    p = services.partnership_propose(
        proposer, partner_id=world.foreign.pk, our_side=Side.SUPPLIER, goals="Grow"
    )
    with pytest.raises(Conflict, match="Only the proposer"):
        services.partnership_update(receiver, partnership_id=p.pk, goals="Our own terms")
    services.partnership_update(proposer, partnership_id=p.pk, goals="Grow together", version=1)
    with pytest.raises(Conflict):  # the receiver read version 1; the terms changed since
        services.partnership_accept(receiver, partnership_id=p.pk, version=1)
    accepted = services.partnership_accept(receiver, partnership_id=p.pk, version=2)
    assert (accepted.status, accepted.goals) == (Status.ACTIVE, "Grow together")


def test_a_member_restricts_only_to_a_department_they_belong_to(world):
    member = f.actor(world.supplier_member)  # finance
    with pytest.raises(Invalid) as exc:
        services.bridge_update(
            member, bridge_id=world.bridge.pk, restricted_department_id=world.supplier_sales.pk
        )
    assert exc.value.errors == {
        "restricted_department_id": ["You can restrict a record only to a department you belong to."]
    }
    restricted = services.bridge_update(
        member, bridge_id=world.bridge.pk, restricted_department_id=world.supplier_finance.pk
    )
    assert restricted.restricted_department == world.supplier_finance
