"""The partnership API: authorisation matrices, bad input that writes nothing, and the list's query count."""

import datetime as dt

import pytest
from tests import factories as f
from tests.apiclient import (
    ADMIN,
    FOREIGN,
    MEMBER,
    Api,
    as_,
    check,
    matrix,
)

from mitra.accounts.models import Role
from mitra.partnerships import services
from mitra.partnerships.models import Bridge, PartnerInvitation, Partnership, Status


@pytest.fixture
def proposal(world) -> Partnership:
    """A proposal the supplier received from a newcomer (the customer side proposed)."""
    newcomer = f.OrganisationFactory(name="CV Kopi Kenangan Baru")
    f.member(newcomer, Role.ADMIN, "admin@kopi.test")
    return f.PartnershipFactory(
        supplier=world.supplier, customer=newcomer, proposed_by=newcomer, status=Status.PROPOSED
    )


def partnership_body(world, p: Partnership, who: str) -> dict:
    """What the API shows of ``p`` to the supplier side (``who`` is one of its people)."""
    return {
        "id": p.pk,
        "my_side": "supplier",
        "partner": {"id": p.customer_id, "name": p.customer.name},
        "supplier": {"id": world.supplier.pk, "name": "PT Sumber Rasa Nusantara"},
        "customer": {"id": p.customer_id, "name": p.customer.name},
        "proposed_by_me": p.proposed_by_id == world.supplier.pk,
        "status": p.status,
        "tier": p.tier,
        "start_date": p.start_date.isoformat() if p.start_date else None,
        "review_cadence_days": p.review_cadence_days,
        "bridge_count": 1,
        "supplier_people": 1,
        "customer_people": 1,
        "single_bridge": True,
        "single_person": True,
        "single_threaded": True,
        "version": p.version,
    }


# --- partnerships ------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=200, viewer=200, member=200, admin=200)
def test_partnership_list_matrix(client, world, who, expected):
    response = check(as_(client, world, who), "GET", "/partnerships", None, expected)
    if expected == 200:
        items = response.json()["items"]
        if who == FOREIGN:
            assert [p["id"] for p in items] == [world.foreign_partnership.pk]
        else:
            assert items == [partnership_body(world, world.partnership, who)]
            assert response.json()["count"] == 1


def test_partnership_list_shows_my_side_from_either_end_and_filters(client, world, proposal):
    customer_view = Api(client, world.customer_member)("GET", "/partnerships").json()["items"]
    assert [(p["my_side"], p["partner"]["name"]) for p in customer_view] == [
        ("customer", "PT Sumber Rasa Nusantara")
    ]
    api = as_(client, world, MEMBER)
    assert [p["id"] for p in api("GET", "/partnerships?status=proposed").json()["items"]] == [proposal.pk]
    assert [p["id"] for p in api("GET", "/partnerships?q=kopi").json()["items"]] == [proposal.pk]
    assert api("GET", "/partnerships?q=nothing-like-this").json() == {"items": [], "count": 0}
    response = api("GET", "/partnerships?status=married")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "status"
    # Active before proposed, then the newest first.
    assert [p["id"] for p in api("GET", "/partnerships?limit=1&offset=1").json()["items"]] == [proposal.pk]


@matrix(anonymous=401, viewer=403, member=201, admin=201)
def test_partnership_propose_matrix(client, world, who, expected, django_capture_on_commit_callbacks):
    body = {
        "partner_id": world.foreign.pk,
        "our_side": "customer",
        "tier": "strategic",
        "start_date": "2026-01-01",
        "goals": "Grow together",
        "review_cadence_days": 30,
        "message": "Salam kenal",
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = check(as_(client, world, who), "POST", "/partnerships", body, expected)
    if expected == 201:
        created = Partnership.objects.get(pk=response.json()["id"])
        assert (created.supplier_id, created.customer_id, created.status) == (
            world.foreign.pk,
            world.supplier.pk,
            "proposed",
        )
        body = response.json()
        assert (body["my_side"], body["partner"]["id"], body["proposed_by_me"]) == (
            "customer",
            world.foreign.pk,
            True,
        )
        assert (body["goals"], body["message"], body["tier"], body["bridge_count"]) == (
            "Grow together",
            "Salam kenal",
            "strategic",
            0,
        )
        assert len(callbacks) == 1  # the partner's admins are told after commit


@matrix(anonymous=401, foreign=404, viewer=200, member=200, admin=200)
def test_partnership_get_matrix(client, world, who, expected):
    response = check(as_(client, world, who), "GET", f"/partnerships/{world.partnership.pk}", None, expected)
    if expected == 200:
        body = response.json()
        assert {k: body[k] for k in partnership_body(world, world.partnership, who)} == partnership_body(
            world, world.partnership, who
        )
        assert (body["goals"], body["status_reason"]) == ("", "")


def test_missing_partnership_answers_like_a_foreign_one(client, world):
    api = as_(client, world, ADMIN)
    missing = check(api, "GET", "/partnerships/999999", None, 404).json()
    foreign = check(api, "GET", f"/partnerships/{world.foreign_partnership.pk}", None, 404).json()
    assert missing == foreign == {"detail": "Partnership not found.", "code": "not_found", "errors": []}


@matrix(anonymous=401, foreign=404, viewer=403, member=403, admin=200)
def test_partnership_update_matrix(client, world, who, expected):
    body = {"tier": "strategic", "goals": "Half the stock-outs", "review_cadence_days": 60, "version": 1}
    response = check(
        as_(client, world, who), "PATCH", f"/partnerships/{world.partnership.pk}", body, expected
    )
    if expected == 200:
        body = response.json()
        assert (body["tier"], body["goals"], body["review_cadence_days"], body["version"]) == (
            "strategic",
            "Half the stock-outs",
            60,
            2,
        )


def test_partnership_update_with_a_stale_version_conflicts_and_writes_nothing(client, world):
    api = as_(client, world, ADMIN)
    path = f"/partnerships/{world.partnership.pk}"
    assert api("PATCH", path, {"goals": "First", "version": 1}).status_code == 200
    response = check(api, "PATCH", path, {"goals": "Second", "version": 1}, 409)
    assert response.json()["detail"] == (
        "This record was changed by someone else (version 2, you had 1). Reload and try again."
    )
    assert Partnership.objects.get(pk=world.partnership.pk).goals == "First"


@matrix(anonymous=401, foreign=404, viewer=403, member=403, admin=200)
def test_partnership_accept_matrix(client, world, proposal, who, expected):
    response = check(as_(client, world, who), "POST", f"/partnerships/{proposal.pk}/accept", None, expected)
    if expected == 200:
        assert (response.json()["status"], response.json()["version"]) == ("active", 2)
        assert response.json()["start_date"] is not None


def test_accepting_a_proposal_your_organisation_did_not_receive_conflicts(client, world):
    p = services.partnership_propose(
        f.actor(world.supplier_admin), partner_id=world.foreign.pk, our_side="supplier"
    )
    response = check(as_(client, world, ADMIN), "POST", f"/partnerships/{p.pk}/accept", None, 409)
    assert response.json() == {
        "detail": "Only the organisation that received the proposal can answer it.",
        "code": "conflict",
        "errors": [],
    }
    assert Partnership.objects.get(pk=p.pk).status == Status.PROPOSED


def test_accepting_an_active_partnership_conflicts(client, world):
    api = Api(client, world.customer_admin)
    response = check(api, "POST", f"/partnerships/{world.partnership.pk}/accept", None, 409)
    assert response.json()["detail"] == "This partnership is Active, not proposed."


@matrix(anonymous=401, foreign=404, viewer=403, member=403, admin=200)
def test_partnership_decline_matrix(client, world, proposal, who, expected):
    body = {"reason": "Not now"}
    response = check(as_(client, world, who), "POST", f"/partnerships/{proposal.pk}/decline", body, expected)
    if expected == 200:
        assert (response.json()["status"], response.json()["status_reason"]) == ("declined", "Not now")


@matrix(anonymous=401, foreign=404, viewer=403, member=403, admin=200)
def test_partnership_set_status_matrix(client, world, who, expected):
    body = {"status": "paused", "reason": "Stock-take", "version": 1}
    response = check(
        as_(client, world, who), "POST", f"/partnerships/{world.partnership.pk}/status", body, expected
    )
    if expected == 200:
        assert (response.json()["status"], response.json()["status_reason"]) == ("paused", "Stock-take")


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"status": "proposed"}, 422, "invalid"),  # not a status one can move to
        ({"status": "active"}, 409, "conflict"),  # already active
        ({"status": "paused", "version": 7}, 409, "conflict"),  # stale
        ({"status": "paused", "reason": "x" * 301}, 422, "invalid"),
    ],
)
def test_partnership_set_status_refusals_write_nothing(client, world, body, status, code):
    response = check(
        as_(client, world, ADMIN), "POST", f"/partnerships/{world.partnership.pk}/status", body, status
    )
    assert response.json()["code"] == code


@pytest.mark.parametrize(
    "body, field",
    [
        ({"our_side": "supplier"}, "partner_id"),  # missing
        ({"partner_id": "self", "our_side": "supplier"}, "partner_id"),  # itself: filled in below
        ({"partner_id": 0, "our_side": "supplier"}, "partner_id"),
        ({"partner_id": 2**40, "our_side": "supplier"}, "partner_id"),
        ({"partner_id": 999999, "our_side": "supplier"}, "partner_id"),  # no such organisation
        (
            {"partner_id": "customer", "our_side": "supplier"},
            "partner_id",
        ),  # already partners: filled in below
        ({"partner_id": "foreign", "our_side": "middleman"}, "our_side"),
        ({"partner_id": "foreign", "our_side": "supplier", "tier": "gold"}, "tier"),
        ({"partner_id": "foreign", "our_side": "supplier", "review_cadence_days": 6}, "review_cadence_days"),
        ({"partner_id": "foreign", "our_side": "supplier", "start_date": "soon"}, "start_date"),
        ({"partner_id": "foreign", "our_side": "supplier", "goals": "x" * 4001}, "goals"),
        ({"partner_id": "foreign", "our_side": "supplier", "status": "active"}, "status"),  # unknown field
    ],
)
def test_partnership_propose_rejects_bad_input_and_writes_nothing(client, world, body, field):
    ids = {"self": world.supplier.pk, "customer": world.customer.pk, "foreign": world.foreign.pk}
    body = {**body, **({"partner_id": ids[body["partner_id"]]} if body.get("partner_id") in ids else {})}
    response = check(as_(client, world, MEMBER), "POST", "/partnerships", body, 422)
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_partnership_with_itself_names_the_field(client, world):
    body = {"partner_id": world.supplier.pk, "our_side": "supplier"}
    response = check(as_(client, world, ADMIN), "POST", "/partnerships", body, 422)
    assert response.json() == {
        "detail": "partner_id: An organisation cannot be in a partnership with itself.",
        "code": "invalid",
        "errors": [
            {"field": "partner_id", "message": "An organisation cannot be in a partnership with itself."}
        ],
    }


# --- partner invitations -----------------------------------------------------------------------------------


@pytest.fixture
def partner_invitation(world) -> PartnerInvitation:
    return services.partner_invitation_create(
        f.actor(world.supplier_admin),
        email="owner@warung.test",
        company_name="Warung Bu Sri",
        our_side="supplier",
    )


@matrix(anonymous=401, foreign=200, viewer=200, member=200, admin=200)
def test_partner_invitation_list_matrix(client, world, partner_invitation, who, expected):
    response = check(as_(client, world, who), "GET", "/partner-invitations", None, expected)
    if expected == 200:
        emails = [i["email"] for i in response.json()["items"]]
        assert emails == ([] if who == FOREIGN else ["owner@warung.test"])


@matrix(anonymous=401, viewer=403, member=201, admin=201)
def test_partner_invitation_create_matrix(client, world, who, expected):
    body = {
        "email": "Buyer@Toko.test",
        "company_name": "Toko Makmur",
        "our_side": "supplier",
        "tier": "developing",
    }
    response = check(as_(client, world, who), "POST", "/partner-invitations", body, expected)
    if expected == 201:
        body = response.json()
        assert (body["email"], body["company_name"], body["our_side"], body["tier"], body["status"]) == (
            "buyer@toko.test",
            "Toko Makmur",
            "supplier",
            "developing",
            "pending",
        )
        assert body["partnership_id"] is None


def test_partner_invitation_to_a_company_already_on_mitra_is_refused(client, world):
    body = {"email": "x@ritel.test", "company_name": "PT Ritel Maju Bersama", "our_side": "supplier"}
    response = check(as_(client, world, MEMBER), "POST", "/partner-invitations", body, 422)
    assert response.json()["errors"] == [
        {"field": "company_name", "message": "This company is already on Mitra: propose to it directly."}
    ]


@matrix(anonymous=401, foreign=404, viewer=403, member=200, admin=200)
def test_partner_invitation_revoke_matrix(client, world, partner_invitation, who, expected):
    path = f"/partner-invitations/{partner_invitation.pk}/revoke"
    response = check(as_(client, world, who), "POST", path, None, expected)
    if expected == 200:
        assert response.json()["status"] == "revoked"


# --- bridges -----------------------------------------------------------------------------------------------


def bridges_path(world, bridge: Bridge | None = None) -> str:
    path = f"/partnerships/{world.partnership.pk}/bridges"
    return f"{path}/{bridge.pk}" if bridge else path


@matrix(anonymous=401, foreign=404, viewer=200, member=200, admin=200)
def test_bridge_list_matrix(client, world, who, expected):
    response = check(as_(client, world, who), "GET", bridges_path(world), None, expected)
    if expected == 200:
        assert response.json()["count"] == 1
        bridge = response.json()["items"][0]
        assert bridge["id"] == world.bridge.pk
        assert bridge["supplier_department"] == {
            "id": world.supplier_sales.pk,
            "kind": "sales",
            "name": "Sales",
        }
        assert bridge["supplier_owner"] == {
            "id": world.supplier_admin.pk,
            "full_name": world.supplier_admin.user.full_name,
            "email": "admin@sumber.test",
        }
        assert bridge["restricted_department"] is None


@matrix(anonymous=401, foreign=404, viewer=403, member=201, admin=201)
def test_bridge_create_matrix(client, world, who, expected):
    body = {
        "supplier_department_id": world.supplier_finance.pk,
        "customer_department_id": world.customer_finance.pk,
        "supplier_owner_id": world.supplier_member.pk,
        "customer_owner_id": world.customer_member.pk,
        "cadence_days": 14,
        "note": "Invoices",
    }
    response = check(as_(client, world, who), "POST", bridges_path(world), body, expected)
    if expected == 201:
        body = response.json()
        assert (body["supplier_department"]["name"], body["customer_department"]["name"]) == (
            "Finance",
            "Finance",
        )
        assert (body["supplier_owner"]["id"], body["customer_owner"]["id"]) == (
            world.supplier_member.pk,
            world.customer_member.pk,
        )
        assert (body["cadence_days"], body["note"], body["version"]) == (14, "Invoices", 1)


@pytest.mark.parametrize(
    "body, field, message",
    [
        (
            {"supplier_department_id": "s_fin", "customer_department_id": "s_sales"},
            "customer_department_id",
            "Choose a department of the customer, PT Ritel Maju Bersama.",
        ),
        (
            {"supplier_department_id": "s_sales", "customer_department_id": "c_pur"},
            "customer_department_id",
            "These two departments are already bridged in this partnership.",
        ),
        (
            {
                "supplier_department_id": "s_fin",
                "customer_department_id": "c_fin",
                "supplier_owner_id": "c_member",
            },
            "supplier_owner_id",
            "Choose an active member of PT Sumber Rasa Nusantara.",
        ),
        (
            {"supplier_department_id": "s_fin", "customer_department_id": "c_fin", "cadence_days": 0},
            "cadence_days",
            "Input should be greater than or equal to 1",
        ),
        (
            {
                "supplier_department_id": "s_fin",
                "customer_department_id": "c_fin",
                "restricted_department_id": "c_fin",
            },
            "restricted_department_id",
            "You can restrict a record only to a department of your own side.",
        ),
    ],
)
def test_bridge_create_rejects_bad_input_and_writes_nothing(client, world, body, field, message):
    ids = {
        "s_fin": world.supplier_finance.pk,
        "s_sales": world.supplier_sales.pk,
        "c_pur": world.customer_purchasing.pk,
        "c_fin": world.customer_finance.pk,
        "c_member": world.customer_member.pk,
    }
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = check(as_(client, world, MEMBER), "POST", bridges_path(world), body, 422)
    assert response.json()["errors"] == [{"field": field, "message": message}]


def test_bridge_in_a_proposed_partnership_conflicts(client, world, proposal):
    body = {"supplier_department_id": world.supplier_sales.pk, "customer_department_id": 1}
    response = check(as_(client, world, ADMIN), "POST", f"/partnerships/{proposal.pk}/bridges", body, 409)
    assert response.json()["code"] == "conflict"


@matrix(anonymous=401, foreign=404, viewer=403, member=200, admin=200)
def test_bridge_update_matrix(client, world, who, expected):
    body = {"cadence_days": 7, "supplier_owner_id": None, "version": 1}
    response = check(as_(client, world, who), "PATCH", bridges_path(world, world.bridge), body, expected)
    if expected == 200:
        body = response.json()
        assert (body["cadence_days"], body["supplier_owner"], body["version"]) == (7, None, 2)
        assert body["customer_owner"]["id"] == world.customer_admin.pk  # left out, so left alone


def test_bridge_update_with_a_stale_version_conflicts(client, world):
    api = as_(client, world, MEMBER)
    assert api("PATCH", bridges_path(world, world.bridge), {"note": "a", "version": 1}).status_code == 200
    check(api, "PATCH", bridges_path(world, world.bridge), {"note": "b", "version": 1}, 409)
    assert Bridge.objects.get(pk=world.bridge.pk).note == "a"


@matrix(anonymous=401, foreign=404, viewer=403, member=204, admin=204)
def test_bridge_delete_matrix(client, world, who, expected):
    response = check(as_(client, world, who), "DELETE", bridges_path(world, world.bridge), None, expected)
    if expected == 204:
        assert response.content == b""
        assert not Bridge.objects.filter(pk=world.bridge.pk).exists()


@pytest.mark.parametrize("method, body", [("PATCH", {"note": "moved"}), ("DELETE", None)])
def test_a_bridge_reached_through_another_partnership_is_not_found(client, world, method, body):
    other = f.PartnershipFactory(supplier=world.supplier, customer=world.foreign)
    path = f"/partnerships/{other.pk}/bridges/{world.bridge.pk}"
    response = check(as_(client, world, ADMIN), method, path, body, 404)
    assert response.json()["detail"] == "Bridge not found."
    # And the foreign partnership's bridge through our own partnership id is not found either.
    check(as_(client, world, ADMIN), method, bridges_path(world, world.foreign_bridge), body, 404)


# --- query counts ------------------------------------------------------------------------------------------


def _partnerships(world, count: int) -> None:
    for i in range(count):
        customer = f.OrganisationFactory(name=f"PT Pelanggan {i:02d}")
        p = f.PartnershipFactory(supplier=world.supplier, customer=customer, start_date=dt.date(2025, 1, 1))
        f.BridgeFactory(partnership=p, supplier_owner=world.supplier_admin)


# Measured baseline for GET /partnerships with a fresh Bearer token, the same for 2 and for 20 partnerships:
#   1 SELECT the token (with its membership, user and organisation)   2 UPDATE its last_used_at
#   3 INSERT the hourly "API token used" security event                 4 SELECT the actor's department ids
#   5 SELECT COUNT(*) for the pager                                      6 SELECT the page, with its counts
PARTNERSHIP_LIST_QUERIES = 6


@pytest.mark.parametrize("count", [2, 20])
def test_partnership_list_query_count_does_not_grow(client, world, django_assert_num_queries, count):
    _partnerships(world, count - 1)  # plus the world's own partnership
    api = as_(client, world, MEMBER)
    with django_assert_num_queries(PARTNERSHIP_LIST_QUERIES):
        response = api("GET", "/partnerships")
    assert response.status_code == 200 and response.json()["count"] == count
    assert len(response.json()["items"]) == count


def test_api_messages_follow_accept_language_else_the_organisations_language(client, world):
    from mitra.accounts import services as account_services

    _token, raw = account_services.api_token_create(f.actor(world.supplier_admin), name="script")
    body = f'{{"partner_id": {world.supplier.pk}, "our_side": "supplier"}}'
    auth = {"Authorization": f"Bearer {raw}"}
    indonesian = client.post("/api/v1/partnerships", body, content_type="application/json", headers=auth)
    english = client.post(
        "/api/v1/partnerships",
        body,
        content_type="application/json",
        headers={**auth, "Accept-Language": "en"},
    )
    assert world.supplier.language == "id"
    assert english.json()["errors"][0]["message"] == "An organisation cannot be in a partnership with itself."
    assert indonesian.json()["errors"][0]["message"] != english.json()["errors"][0]["message"]
    assert indonesian.json()["errors"][0]["field"] == "partner_id"
