"""Partnership pages: what each side sees, what strangers get (404), and the inline bridge matrix."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests import factories as f

from mitra.accounts.models import Membership, Role, SecurityEvent
from mitra.partnerships import services
from mitra.partnerships.models import Bridge, PartnerInvitation, Partnership, Side, Status

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def as_user(client):
    def sign_in(membership):
        client.force_login(membership.user)
        # English pages whatever the organisation's default language, so that texts can be asserted.
        client.cookies["mitra_language"] = "en"
        return client

    return sign_in


def detail_url(partnership):
    return reverse("partnerships:detail", args=[partnership.pk])


def add_url(world, row=None, column=None):
    row = row or world.supplier_finance
    column = column or world.customer_finance
    return reverse("partnerships:bridge_add", args=[world.partnership.pk, row.pk, column.pk])


def bridge_post(world, **overrides):
    data = {
        "supplier_owner_id": world.supplier_member.pk,
        "customer_owner_id": world.customer_member.pk,
        "cadence_days": "14",
    }
    data.update(overrides)
    return data


# --- my partnerships ----------------------------------------------------------------------------------


def test_list_shows_the_partner_and_my_side_for_each_side(world, as_user):
    response = as_user(world.supplier_admin).get(reverse("partnerships:list"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.partner.name, r.side, r.partnership.bridge_count, r.single_threaded) for r in rows] == [
        ("PT Ritel Maju Bersama", "supplier", 1, True)
    ]
    assert "Single-threaded" in response.content.decode()
    assert "PT Orang Lain" not in response.content.decode()

    response = as_user(world.customer_member).get(reverse("partnerships:list"))
    assert [(r.partner.name, r.side) for r in response.context["rows"]] == [
        ("PT Sumber Rasa Nusantara", "customer")
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 1),
        ("?q=ritel", 1),
        ("?q=nobody", 0),
        ("?status=active", 1),
        ("?status=paused", 0),
        ("?status=bogus", 1),
    ],
)
def test_list_filters_by_search_and_status(world, as_user, query, expected):
    response = as_user(world.supplier_admin).get(reverse("partnerships:list") + query)
    assert response.status_code == 200
    assert len(response.context["rows"]) == expected


def test_received_proposal_is_listed_with_answer_buttons_for_admins(
    world, as_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        services.partnership_propose(
            f.actor(world.foreign_admin), partner_id=world.supplier.pk, our_side=Side.CUSTOMER
        )
    response = as_user(world.supplier_admin).get(reverse("partnerships:list"))
    assert [r.partner.name for r in response.context["received"]] == ["PT Orang Lain"]
    assert 'value="accept"' in response.content.decode()

    response = as_user(world.supplier_member).get(reverse("partnerships:list"))
    assert [r.partner.name for r in response.context["received"]] == ["PT Orang Lain"]
    assert 'value="accept"' not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(reverse("partnerships:list"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- one partnership --------------------------------------------------------------------------------


def test_detail_shows_header_matrix_and_threading_banner(world, as_user):
    response = as_user(world.supplier_member).get(detail_url(world.partnership))
    assert response.status_code == 200
    matrix = response.context["matrix"]
    assert [d.name for d in matrix.rows] == ["Finance", "Sales"]
    assert [d.name for d in matrix.columns] == ["Finance", "Purchasing"]
    assert matrix.cells == {(world.supplier_sales.pk, world.customer_purchasing.pk): world.bridge}
    content = response.content.decode()
    assert "You are the supplier" in content
    assert "This partnership is single-threaded." in content
    assert "Add a bridge Finance – Finance" in content


def test_foreign_partnership_is_not_found_and_logged(world, as_user):
    before = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).count()
    response = as_user(world.supplier_admin).get(detail_url(world.foreign_partnership))
    assert response.status_code == 404
    assert "Not found" in response.content.decode()
    assert "PT Orang Lain" not in response.content.decode()
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).order_by("id")
    # One event for the prober's organisation, and one for each side of the partnership it aimed at.
    assert events.count() == before + 3
    fp = world.foreign_partnership
    assert [(e.user, e.organisation_id, e.path) for e in events[before:]] == [
        (world.supplier_admin.user, org_id, detail_url(fp))
        for org_id in (world.supplier.pk, fp.supplier_id, fp.customer_id)
    ]
    assert events.last().detail.endswith(f"({world.supplier.name})")


def test_missing_partnership_is_not_found_without_a_denial(world, as_user):
    response = as_user(world.supplier_admin).get(reverse("partnerships:detail", args=[999999]))
    assert response.status_code == 404
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).exists()


def test_proposal_shows_only_the_proposal(world, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        proposal = services.partnership_propose(
            f.actor(world.foreign_admin),
            partner_id=world.supplier.pk,
            our_side=Side.CUSTOMER,
            goals="Tumbuh bersama",
        )
    response = as_user(world.supplier_admin).get(detail_url(proposal))
    assert response.status_code == 200
    assert response.context["matrix"] is None and response.context["received_proposal"] is True
    content = response.content.decode()
    assert "Tumbuh bersama" in content and 'id="bridge-matrix"' not in content


def test_admin_accepts_a_received_proposal(world, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        proposal = services.partnership_propose(
            f.actor(world.foreign_admin), partner_id=world.supplier.pk, our_side=Side.CUSTOMER
        )
    response = as_user(world.supplier_admin).post(
        reverse("partnerships:answer", args=[proposal.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302 and response["Location"] == detail_url(proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.ACTIVE


def test_member_cannot_answer_a_proposal(world, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        proposal = services.partnership_propose(
            f.actor(world.foreign_admin), partner_id=world.supplier.pk, our_side=Side.CUSTOMER
        )
    response = as_user(world.supplier_member).post(
        reverse("partnerships:answer", args=[proposal.pk]), {"decision": "decline", "reason": "no"}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED


def test_proposer_cannot_accept_its_own_proposal(world, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        proposal = services.partnership_propose(
            f.actor(world.foreign_admin), partner_id=world.supplier.pk, our_side=Side.CUSTOMER
        )
    client = as_user(world.foreign_admin)
    response = client.post(
        reverse("partnerships:answer", args=[proposal.pk]), {"decision": "accept"}, follow=True
    )
    assert "Only the organisation that received the proposal can answer it." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED


def test_admin_pauses_and_viewer_cannot(world, as_user):
    url = reverse("partnerships:status", args=[world.partnership.pk])
    response = as_user(world.supplier_viewer).post(url, {"status": "paused", "version": "1"})
    assert response.status_code == 403
    world.partnership.refresh_from_db()
    assert world.partnership.status == Status.ACTIVE

    response = as_user(world.customer_admin).post(
        url, {"status": "paused", "version": "1", "reason": "Audit"}
    )
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert (world.partnership.status, world.partnership.status_reason, world.partnership.version) == (
        "paused",
        "Audit",
        2,
    )


def test_stale_status_change_is_a_conflict_message(world, as_user):
    url = reverse("partnerships:status", args=[world.partnership.pk])
    response = as_user(world.supplier_admin).post(url, {"status": "ended", "version": "7"}, follow=True)
    assert "was changed by someone else" in response.content.decode()
    world.partnership.refresh_from_db()
    assert world.partnership.status == Status.ACTIVE


def test_charter_edit(world, as_user):
    url = reverse("partnerships:charter", args=[world.partnership.pk])
    client = as_user(world.supplier_admin)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "tier": "strategic",
            "start_date": "2025-01-06",
            "review_cadence_days": "30",
            "goals": "Zero stock-outs",
            "version": "1",
        },
    )
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert (world.partnership.tier, str(world.partnership.start_date), world.partnership.goals) == (
        "strategic",
        "2025-01-06",
        "Zero stock-outs",
    )


def test_charter_bad_input_shows_errors_and_writes_nothing(world, as_user):
    url = reverse("partnerships:charter", args=[world.partnership.pk])
    response = as_user(world.supplier_admin).post(
        url, {"tier": "gold", "review_cadence_days": "3", "version": "1"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"tier", "review_cadence_days"}
    world.partnership.refresh_from_db()
    assert (world.partnership.tier, world.partnership.version) == ("key", 1)


def test_charter_is_admins_only_and_hidden_from_strangers(world, as_user):
    url = reverse("partnerships:charter", args=[world.partnership.pk])
    assert as_user(world.supplier_member).get(url).status_code == 403
    assert as_user(world.foreign_admin).get(url).status_code == 404


# --- the bridge matrix ---------------------------------------------------------------------------------


def test_htmx_add_form_lists_both_sides_people(world, as_user):
    response = as_user(world.supplier_member).get(add_url(world), **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith("<td") and "<html" not in content
    assert f'<option value="{world.customer_member.pk}">' in content
    assert f'<option value="{world.foreign_admin.pk}">' not in content


def test_htmx_bridge_add_returns_the_cell_and_creates_the_bridge(world, as_user):
    response = as_user(world.supplier_member).post(add_url(world), bridge_post(world), **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith('<td class="cell cell--bridge"') and "every 14 days" in content
    assert world.customer_member.user.get_full_name() in content
    bridge = Bridge.objects.get(
        supplier_department=world.supplier_finance, customer_department=world.customer_finance
    )
    assert (
        bridge.partnership_id,
        bridge.supplier_owner_id,
        bridge.customer_owner_id,
        bridge.cadence_days,
    ) == (
        world.partnership.pk,
        world.supplier_member.pk,
        world.customer_member.pk,
        14,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cadence_days": "0"}, "The cadence must be between 1 and 366 days."),
        ({"cadence_days": "abc"}, "Enter a whole number."),
        ({"customer_owner_id": "FOREIGN"}, "Select a valid choice."),
    ],
)
def test_htmx_bridge_add_bad_input_shows_the_error_and_writes_nothing(world, as_user, overrides, message):
    if overrides.get("customer_owner_id") == "FOREIGN":
        overrides["customer_owner_id"] = str(world.foreign_admin.pk)
    before = Bridge.objects.count()
    response = as_user(world.supplier_member).post(add_url(world), bridge_post(world, **overrides), **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith('<td class="cell cell--editing"') and message in content
    assert Bridge.objects.count() == before


def test_duplicate_bridge_is_refused_inline(world, as_user):
    url = add_url(world, world.supplier_sales, world.customer_purchasing)
    response = as_user(world.customer_member).post(url, bridge_post(world), **HTMX)
    assert "These two departments are already bridged in this partnership." in response.content.decode()
    assert Bridge.objects.filter(partnership=world.partnership).count() == 1


def test_viewer_cannot_add_a_bridge(world, as_user):
    client = as_user(world.supplier_viewer)
    assert client.get(add_url(world), **HTMX).status_code == 403
    assert client.post(add_url(world), bridge_post(world), **HTMX).status_code == 403
    assert Bridge.objects.filter(partnership=world.partnership).count() == 1


def test_stranger_cannot_reach_a_cell(world, as_user):
    client = as_user(world.foreign_admin)
    assert client.post(add_url(world), bridge_post(world), **HTMX).status_code == 404
    assert client.get(reverse("partnerships:bridge_edit", args=[world.bridge.pk]), **HTMX).status_code == 404
    assert (
        client.post(reverse("partnerships:bridge_delete", args=[world.bridge.pk]), **HTMX).status_code == 404
    )
    assert Bridge.objects.filter(pk=world.bridge.pk).exists()


def test_cell_of_a_department_outside_the_partnership_is_not_found(world, as_user):
    url = add_url(world, world.supplier_finance, world.supplier_sales)
    assert as_user(world.supplier_member).get(url, **HTMX).status_code == 404


def test_htmx_bridge_edit_and_delete(world, as_user):
    client = as_user(world.customer_member)
    url = reverse("partnerships:bridge_edit", args=[world.bridge.pk])
    assert 'value="30"' in client.get(url, **HTMX).content.decode()
    response = client.post(
        url,
        {
            "supplier_owner_id": world.supplier_member.pk,
            "customer_owner_id": "",
            "cadence_days": "7",
            "version": "1",
        },
        **HTMX,
    )
    assert response.status_code == 200 and "every 7 days" in response.content.decode()
    world.bridge.refresh_from_db()
    assert (
        world.bridge.supplier_owner_id,
        world.bridge.customer_owner_id,
        world.bridge.cadence_days,
        world.bridge.version,
    ) == (
        world.supplier_member.pk,
        None,
        7,
        2,
    )
    stale = client.post(url, {"cadence_days": "9", "version": "1"}, **HTMX)
    assert "was changed by someone else" in stale.content.decode()
    world.bridge.refresh_from_db()
    assert world.bridge.cadence_days == 7

    response = client.post(reverse("partnerships:bridge_delete", args=[world.bridge.pk]), **HTMX)
    assert response.status_code == 200 and "Add bridge" in response.content.decode()
    assert not Bridge.objects.filter(pk=world.bridge.pk).exists()


def test_bridge_add_without_htmx_redirects_to_the_partnership(world, as_user):
    response = as_user(world.supplier_member).post(add_url(world), bridge_post(world))
    assert response.status_code == 302 and response["Location"] == detail_url(world.partnership)
    assert Bridge.objects.filter(partnership=world.partnership).count() == 2


# --- proposing --------------------------------------------------------------------------------------------


def terms(**extra):
    return {
        "our_side": "supplier",
        "tier": "key",
        "review_cadence_days": "90",
        "goals": "",
        "message": "",
        **extra,
    }


def test_propose_page_searches_the_directory(world, as_user):
    client = as_user(world.supplier_member)
    response = client.get(reverse("partnerships:propose") + "?q=orang")
    assert response.status_code == 200
    assert [name for _, name in response.context["propose_form"].fields["partner_id"].widget.choices] == [
        "PT Orang Lain"
    ]
    partial = client.get(reverse("partnerships:propose") + "?q=pelanggan", **HTMX)
    assert partial.content.decode().lstrip().startswith('<div id="partner-results"')
    assert "CV Pelanggan Lain" in partial.content.decode()


def test_propose_to_an_organisation_on_mitra(world, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = as_user(world.supplier_member).post(
            reverse("partnerships:propose"),
            {"mode": "mitra", "partner_id": world.foreign.pk, **terms(goals="Grow")},
        )
    proposal = Partnership.objects.get(supplier=world.supplier, customer=world.foreign)
    assert response.status_code == 302 and response["Location"] == detail_url(proposal)
    assert (proposal.status, proposal.proposed_by_id, proposal.goals) == (
        Status.PROPOSED,
        world.supplier.pk,
        "Grow",
    )


def test_propose_to_oneself_shows_the_error_and_writes_nothing(world, as_user):
    before = Partnership.objects.count()
    response = as_user(world.supplier_member).post(
        reverse("partnerships:propose"), {"mode": "mitra", "partner_id": world.supplier.pk, **terms()}
    )
    assert response.status_code == 200
    assert response.context["propose_form"].errors == {
        "partner_id": ["An organisation cannot be in a partnership with itself."]
    }
    assert Partnership.objects.count() == before


def test_invite_a_company_not_on_mitra(world, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = as_user(world.supplier_member).post(
            reverse("partnerships:propose"),
            {
                "mode": "invite",
                "company_name": "PT Baru Sekali",
                "email": "Budi@Baru.test",
                **terms(our_side="customer"),
            },
        )
    assert response.status_code == 302 and response["Location"] == reverse("partnerships:list")
    invitation = PartnerInvitation.objects.get()
    assert (invitation.company_name, invitation.email, invitation.proposer_side) == (
        "PT Baru Sekali",
        "budi@baru.test",
        "customer",
    )


def test_viewer_cannot_propose(world, as_user):
    response = as_user(world.supplier_viewer).post(
        reverse("partnerships:propose"), {"mode": "mitra", "partner_id": world.foreign.pk, **terms()}
    )
    assert response.status_code == 403
    assert not Partnership.objects.filter(customer=world.foreign).exists()


# --- joining from an e-mailed invitation ---------------------------------------------------------------------


@pytest.fixture
def invitation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = services.partner_invitation_create(
            f.actor(world.supplier_admin),
            email="budi@baru.test",
            company_name="PT Baru Sekali",
            our_side=Side.SUPPLIER,
            goals="Distribusi Sulawesi",
        )
    return invitation


def join_url(invitation):
    return reverse("partnerships:join", args=[services.partner_invitation_token(invitation)])


def test_join_page_shows_who_proposes_what(invitation, client):
    response = client.get(join_url(invitation))
    assert response.status_code == 200
    content = response.content.decode()
    assert "PT Sumber Rasa Nusantara" in content and "Distribusi Sulawesi" in content
    assert response.context["their_side"] == Side.CUSTOMER


def test_join_signs_up_creates_the_organisation_and_accepts_in_one_form(invitation, client):
    response = client.post(
        join_url(invitation),
        {
            "action": "accept_new",
            "full_name": "Budi Santoso",
            "password": "kopi-tubruk-2025!",
            "organisation_name": "PT Baru Sekali",
            "legal_name": "",
            "language": "id",
        },
    )
    partnership = Partnership.objects.get(
        supplier__name="PT Sumber Rasa Nusantara", customer__name="PT Baru Sekali"
    )
    assert response.status_code == 302 and response["Location"] == detail_url(partnership)
    assert partnership.status == Status.ACTIVE
    membership = Membership.objects.get(user__email="budi@baru.test")
    assert (membership.organisation.name, membership.role) == ("PT Baru Sekali", "admin")
    assert client.get(detail_url(partnership)).status_code == 200  # signed in as the new admin


def test_join_with_a_weak_password_shows_the_error_and_writes_nothing(invitation, client):
    response = client.post(
        join_url(invitation),
        {
            "action": "accept_new",
            "full_name": "Budi",
            "password": "123",
            "organisation_name": "PT Baru",
            "language": "id",
        },
    )
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not Membership.objects.filter(user__email="budi@baru.test").exists()
    assert not Partnership.objects.filter(customer__name="PT Baru").exists()


def test_join_decline(invitation, client):
    response = client.post(join_url(invitation), {"action": "decline", "reason": "Not now"})
    assert response.status_code == 200 and "Invitation declined" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.declined_at is not None and invitation.decline_reason == "Not now"
    assert client.get(join_url(invitation)).status_code == 404


def test_join_accept_for_an_existing_organisation(invitation, world, as_user):
    invitee = f.member(world.foreign, Role.ADMIN, "budi@baru.test")
    response = as_user(invitee).post(join_url(invitation), {"action": "accept_existing"})
    partnership = Partnership.objects.get(supplier=world.supplier, customer=world.foreign)
    assert response.status_code == 302 and response["Location"] == detail_url(partnership)


def test_a_forwarded_join_link_cannot_be_accepted_by_someone_else(invitation, world, as_user):
    response = as_user(world.foreign_admin).post(join_url(invitation), {"action": "accept_existing"})
    assert response.status_code == 200
    assert "budi@baru.test" in response.content.decode()
    assert not Partnership.objects.filter(supplier=world.supplier, customer=world.foreign).exists()


def test_join_with_a_bad_token_is_a_friendly_404(db, client):
    response = client.get(reverse("partnerships:join", args=["join_nonsense"]))
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


def test_bridge_can_be_restricted_to_one_of_our_departments_from_the_page(client, world):
    client.force_login(world.supplier_admin.user)
    url = f"/partnerships/{world.partnership.pk}/cells/{world.supplier_finance.pk}/{world.customer_finance.pk}/add/"
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    select = form[form.index('name="restricted_department_id"') :]
    select = select[: select.index("</select>")]
    # Only our own departments, and "everyone".
    assert select.count("<option") == 1 + world.supplier.departments.count()
    assert f'<option value="{world.supplier_finance.pk}">' in select
    response = client.post(
        url,
        {"cadence_days": "30", "restricted_department_id": str(world.supplier_finance.pk)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    bridge = world.partnership.bridges.get(supplier_department=world.supplier_finance)
    assert bridge.restricted_department == world.supplier_finance
    # The customer side cannot change a restriction it did not set: its form has no such field.
    client.force_login(world.customer_admin.user)
    edit = client.get(f"/partnerships/bridges/{bridge.pk}/edit/", HTTP_HX_REQUEST="true").content.decode()
    assert 'name="restricted_department_id"' not in edit
    client.post(
        f"/partnerships/bridges/{bridge.pk}/edit/",
        {"cadence_days": "14", "version": str(bridge.version), "restricted_department_id": ""},
        HTTP_HX_REQUEST="true",
    )
    bridge.refresh_from_db()
    assert (bridge.cadence_days, bridge.restricted_department) == (14, world.supplier_finance)


def test_an_answer_without_a_decision_changes_nothing(client, world):
    p = services.partnership_propose(
        f.actor(world.foreign_admin), partner_id=world.supplier.pk, our_side=Side.CUSTOMER
    )
    client.force_login(world.supplier_admin.user)
    client.post(reverse("partnerships:answer", args=[p.pk]), {})
    p.refresh_from_db()
    assert p.status == Status.PROPOSED
