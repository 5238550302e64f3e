"""The organisation API: an authorisation matrix per operation, bad input, and Bearer-token authentication."""

import pytest
from tests import factories as f
from tests.apiclient import ADMIN, ANON, FOREIGN, MEMBER, VIEWER, Api, as_, check, matrix
from tests.dbstate import db_state

from mitra.accounts import services
from mitra.accounts.models import ApiToken, Department, Invitation, Membership, Organisation, Role

# --- me ----------------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=200, viewer=200, member=200, admin=200)
def test_me_matrix(client, world, who, expected):
    response = check(as_(client, world, who), "GET", "/me", None, expected)
    if expected == 200:
        body = response.json()
        assert body["role"] == ("admin" if who in (FOREIGN, ADMIN) else who)
        org = world.foreign if who == FOREIGN else world.supplier
        assert body["organisation"] == {
            "id": org.pk,
            "name": org.name,
            "currency": "IDR",
            "time_zone": "Asia/Jakarta",
            "language": "id",
        }


def test_me_lists_departments_and_every_organisation_of_the_user(client, world):
    other = f.MembershipFactory(
        user=world.supplier_member.user, organisation=world.customer, role=Role.VIEWER
    )
    body = Api(client, world.supplier_member)("GET", "/me").json()
    member = world.supplier_member
    assert body == {
        "user": {"id": member.user.pk, "email": "member@sumber.test", "full_name": member.user.full_name},
        "organisation": {
            "id": world.supplier.pk,
            "name": "PT Sumber Rasa Nusantara",
            "currency": "IDR",
            "time_zone": "Asia/Jakarta",
            "language": "id",
        },
        "role": "member",
        "departments": [{"id": world.supplier_finance.pk, "kind": "finance", "name": "Finance"}],
        "organisations": [
            {"id": world.customer.pk, "name": "PT Ritel Maju Bersama", "role": "viewer"},
            {"id": world.supplier.pk, "name": "PT Sumber Rasa Nusantara", "role": "member"},
        ],
    }
    assert other.organisation_id == world.customer.pk


# --- organisation ------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=200, viewer=200, member=200, admin=200)
def test_organisation_get_matrix(client, world, who, expected):
    response = check(as_(client, world, who), "GET", "/organisation", None, expected)
    if expected == 200:
        assert response.json()["id"] == (world.foreign if who == FOREIGN else world.supplier).pk


@matrix(anonymous=401, viewer=403, member=403, admin=200)
def test_organisation_update_matrix(client, world, who, expected):
    body = {"legal_name": "PT Sumber Rasa Nusantara (Persero)", "currency": "usd", "version": 1}
    response = check(as_(client, world, who), "PATCH", "/organisation", body, expected)
    if expected == 200:
        assert response.json()["legal_name"] == "PT Sumber Rasa Nusantara (Persero)"
        assert response.json()["currency"] == "USD"
        assert response.json()["version"] == 2
        world.supplier.refresh_from_db()
        assert (world.supplier.currency, world.supplier.country) == ("USD", "ID")


def test_foreign_admin_patches_only_their_own_organisation(client, world):
    before = Organisation.objects.get(pk=world.supplier.pk).legal_name
    response = as_(client, world, FOREIGN)("PATCH", "/organisation", {"legal_name": "Changed"})
    assert response.status_code == 200 and response.json()["id"] == world.foreign.pk
    assert Organisation.objects.get(pk=world.supplier.pk).legal_name == before


def test_organisation_update_with_a_stale_version_conflicts_and_writes_nothing(client, world):
    api = as_(client, world, ADMIN)
    assert api("PATCH", "/organisation", {"language": "en", "version": 1}).status_code == 200
    before = db_state()
    response = api("PATCH", "/organisation", {"language": "id", "version": 1})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This record was changed by someone else (version 2, you had 1). Reload and try again.",
        "code": "conflict",
        "errors": [],
    }
    assert db_state() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"country": "IDN"}, "country"),
        ({"language": "fr"}, "language"),
        ({"name": ""}, "name"),
        ({"name": "PT Ritel Maju Bersama"}, "name"),
        ({"name": "nul\x00byte"}, "name"),
        ({"version": 0}, "version"),
        ({"owner": "me"}, "owner"),
    ],
)
def test_organisation_update_rejects_bad_input_naming_the_field(client, world, body, field):
    api = as_(client, world, ADMIN)
    before = db_state()
    response = api("PATCH", "/organisation", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert db_state() == before


# --- departments -------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=200, viewer=200, member=200, admin=200)
def test_department_list_matrix(client, world, who, expected):
    response = check(as_(client, world, who), "GET", "/departments", None, expected)
    if expected == 200:
        names = [d["name"] for d in response.json()["items"]]
        foreign = list(
            Department.objects.filter(organisation=world.foreign)
            .order_by("name")
            .values_list("name", flat=True)
        )
        assert names == (foreign if who == FOREIGN else ["Finance", "Sales"])
        assert len(foreign) == 1 and "Sales" not in foreign
        assert response.json()["count"] == len(names)


@matrix(anonymous=401, viewer=403, member=403, admin=201)
def test_department_create_matrix(client, world, who, expected):
    response = check(
        as_(client, world, who), "POST", "/departments", {"kind": "logistics", "name": "Gudang"}, expected
    )
    if expected == 201:
        created = Department.objects.get(organisation=world.supplier, name="Gudang")
        assert response.json() == {"id": created.pk, "kind": "logistics", "name": "Gudang"}


@matrix(anonymous=401, foreign=404, viewer=403, member=403, admin=200)
def test_department_update_matrix(client, world, who, expected):
    path = f"/departments/{world.supplier_finance.pk}"
    response = check(as_(client, world, who), "PATCH", path, {"name": "Keuangan"}, expected)
    if expected == 200:
        assert response.json() == {"id": world.supplier_finance.pk, "kind": "finance", "name": "Keuangan"}


@matrix(anonymous=401, foreign=404, viewer=403, member=403, admin=204)
def test_department_delete_matrix(client, world, who, expected):
    path = f"/departments/{world.supplier_finance.pk}"
    response = check(as_(client, world, who), "DELETE", path, None, expected)
    if expected == 204:
        assert response.content == b""
        assert not Department.objects.filter(pk=world.supplier_finance.pk).exists()


def test_department_that_ends_a_bridge_cannot_be_deleted(client, world):
    response = check(
        as_(client, world, ADMIN), "DELETE", f"/departments/{world.supplier_sales.pk}", None, 409
    )
    assert (
        response.json()["detail"]
        == "Bridges still use this department, as an end or as the only department that sees them. Change or remove them first."
    )


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "astrology", "name": "Stars"}, "kind"),
        ({"kind": "sales", "name": ""}, "name"),
        ({"kind": "sales", "name": "x" * 81}, "name"),
        ({"kind": "sales", "name": "finance"}, "name"),  # the same name as "Finance", ignoring case
        ({"name": "No kind"}, "kind"),
    ],
)
def test_department_create_rejects_bad_input(client, world, body, field):
    api = as_(client, world, ADMIN)
    response = check(api, "POST", "/departments", body, 422)
    assert [e["field"] for e in response.json()["errors"]] == [field]


# --- members -----------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=200, viewer=200, member=200, admin=200)
def test_member_list_matrix(client, world, who, expected):
    response = check(as_(client, world, who), "GET", "/members", None, expected)
    if expected == 200:
        emails = {m["user"]["email"] for m in response.json()["items"]}
        if who == FOREIGN:
            assert emails == {"admin@lain.test"}
        else:
            assert emails == {"admin@sumber.test", "member@sumber.test", "viewer@sumber.test"}


@matrix(anonymous=401, foreign=200, viewer=403, member=403, admin=200)
def test_former_members_are_listed_for_admins_only(client, world, who, expected):
    check(as_(client, world, who), "GET", "/members?include_inactive=true", None, expected)


@matrix(anonymous=401, foreign=404, viewer=403, member=403, admin=200)
def test_member_update_matrix(client, world, who, expected):
    path = f"/members/{world.supplier_viewer.pk}"
    body = {
        "role": "member",
        "department_ids": [world.supplier_sales.pk],
        "job_title": "Sales lead",
        "version": 1,
    }
    response = check(as_(client, world, who), "PATCH", path, body, expected)
    if expected == 200:
        body = response.json()
        assert (body["role"], body["job_title"], body["version"]) == ("member", "Sales lead", 2)
        assert body["departments"] == [{"id": world.supplier_sales.pk, "kind": "sales", "name": "Sales"}]


def test_member_update_rejects_departments_of_another_organisation(client, world):
    path = f"/members/{world.supplier_viewer.pk}"
    response = check(
        as_(client, world, ADMIN), "PATCH", path, {"department_ids": [world.customer_finance.pk]}, 422
    )
    assert response.json()["errors"] == [
        {
            "field": "department_ids",
            "message": f"Not a department of your organisation: {world.customer_finance.pk}",
        }
    ]


def test_the_last_admin_cannot_be_demoted(client, world):
    response = check(
        as_(client, world, ADMIN), "PATCH", f"/members/{world.supplier_admin.pk}", {"role": "viewer"}, 409
    )
    assert response.json()["detail"] == "An organisation needs at least one active admin."


@matrix(anonymous=401, foreign=404, viewer=403, member=403, admin=200)
def test_member_deactivate_matrix(client, world, who, expected):
    path = f"/members/{world.supplier_viewer.pk}/deactivate"
    response = check(as_(client, world, who), "POST", path, None, expected)
    if expected == 200:
        assert response.json()["is_active"] is False
        assert Membership.objects.get(pk=world.supplier_viewer.pk).is_active is False


# --- invitations -------------------------------------------------------------------------------------------


@pytest.fixture
def invitation(world) -> Invitation:
    return services.invitation_create(
        f.actor(world.supplier_admin),
        email="baru@sumber.test",
        role=Role.VIEWER,
        department_ids=[world.supplier_sales.pk],
    )


@matrix(anonymous=401, foreign=200, viewer=403, member=403, admin=200)
def test_invitation_list_matrix(client, world, invitation, who, expected):
    response = check(as_(client, world, who), "GET", "/invitations", None, expected)
    if expected == 200:
        emails = [i["email"] for i in response.json()["items"]]
        assert emails == ([] if who == FOREIGN else ["baru@sumber.test"])


@matrix(anonymous=401, viewer=403, member=403, admin=201)
def test_invitation_create_matrix(client, world, who, expected, django_capture_on_commit_callbacks):
    body = {"email": "Rina@Sumber.test", "role": "member", "department_ids": [world.supplier_finance.pk]}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = check(as_(client, world, who), "POST", "/invitations", body, expected)
    if expected == 201:
        body = response.json()
        assert (body["email"], body["role"], body["status"]) == ("rina@sumber.test", "member", "pending")
        assert body["departments"] == [
            {"id": world.supplier_finance.pk, "kind": "finance", "name": "Finance"}
        ]
        assert body["invited_by"]["email"] == "admin@sumber.test"
        assert len(callbacks) == 1  # the e-mail job is queued after commit
    else:
        assert callbacks == []


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "member@sumber.test"}, "email"),
        ({"email": "x@y.test", "role": "owner"}, "role"),
        ({"email": "x@y.test", "department_ids": [0]}, "department_ids.0"),
    ],
)
def test_invitation_create_rejects_bad_input(client, world, body, field):
    response = check(as_(client, world, ADMIN), "POST", "/invitations", body, 422)
    assert [e["field"] for e in response.json()["errors"]] == [field]


@matrix(anonymous=401, foreign=404, viewer=403, member=403, admin=200)
def test_invitation_revoke_matrix(client, world, invitation, who, expected):
    response = check(as_(client, world, who), "POST", f"/invitations/{invitation.pk}/revoke", None, expected)
    if expected == 200:
        assert response.json()["status"] == "revoked"


# --- API tokens --------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=200, viewer=200, member=200, admin=200)
def test_token_list_matrix(client, world, who, expected):
    services.api_token_create(f.actor(world.supplier_member), name="member's script")
    response = check(as_(client, world, who), "GET", "/tokens", None, expected)
    if expected == 200:
        names = sorted(t["name"] for t in response.json()["items"])
        # Everyone sees their own tokens ("test", made by the client); only an admin sees the others'.
        assert (
            names
            == {
                FOREIGN: ["test"],
                VIEWER: ["test"],
                MEMBER: ["member's script", "test"],
                ADMIN: ["member's script", "test"],
            }[who]
        )
        assert all("token" not in t and "token_hash" not in t for t in response.json()["items"])


@matrix(anonymous=401, viewer=201, member=201, admin=201)
def test_token_create_from_a_session_shows_the_token_once(client, world, who, expected):
    membership = {
        ANON: None,
        VIEWER: world.supplier_viewer,
        MEMBER: world.supplier_member,
        ADMIN: world.supplier_admin,
    }[who]
    if membership is not None:
        client.force_login(membership.user)
    session = Api(client, None)  # no token: the signed-in session (the test client skips CSRF)
    response = check(session, "POST", "/tokens", {"name": "Excel export"}, expected)
    if expected == 201:
        raw = response.json()["token"]
        stored = ApiToken.objects.get(pk=response.json()["id"])
        assert raw.startswith("mitra_") and stored.prefix == raw[:12] and raw not in stored.token_hash
        listed = session("GET", "/tokens").json()["items"]
        assert {t["name"] for t in listed} >= {"Excel export"} and all("token" not in t for t in listed)
        client.logout()
        me = Api(client, None)
        me.headers["Authorization"] = f"Bearer {raw}"
        assert me("GET", "/me").status_code == 200


@matrix(viewer=403, member=403, admin=403)
def test_an_api_token_cannot_create_tokens(client, world, who, expected):
    response = check(as_(client, world, who), "POST", "/tokens", {"name": "Replacement"}, expected)
    assert "cannot create API tokens" in response.json()["detail"]
    assert not ApiToken.objects.filter(name="Replacement").exists()


@matrix(anonymous=401, foreign=404, viewer=404, member=200, admin=200)
def test_token_revoke_matrix(client, world, who, expected):
    token, _ = services.api_token_create(f.actor(world.supplier_member), name="member's script")
    response = check(as_(client, world, who), "POST", f"/tokens/{token.pk}/revoke", None, expected)
    if expected == 200:
        assert response.json()["revoked_at"] is not None
        token.refresh_from_db()
        assert token.revoked_at is not None


def test_bearer_token_sets_last_used_and_a_revoked_token_is_refused(client, world):
    token, raw = services.api_token_create(f.actor(world.supplier_member), name="script")
    assert token.last_used_at is None
    api = Api(client, None)
    api.headers["Authorization"] = f"Bearer {raw}"
    assert api("GET", "/me").json()["user"]["email"] == "member@sumber.test"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert api("POST", f"/tokens/{token.pk}/revoke").status_code == 200
    check(api, "GET", "/me", None, 401)


@pytest.mark.parametrize("header", ["Bearer mitra_not-a-real-token", "Bearer ", "Token abc", "Basic YTpi"])
def test_bad_authorization_headers_are_401(client, world, header):
    api = Api(client, None)
    api.headers["Authorization"] = header
    check(api, "GET", "/me", None, 401)


def test_a_deactivated_members_token_is_refused(client, world):
    api = as_(client, world, VIEWER)
    services.membership_deactivate(f.actor(world.supplier_admin), membership_id=world.supplier_viewer.pk)
    check(api, "GET", "/me", None, 401)


def test_session_authentication_works_too(client, world):
    client.force_login(world.customer_member.user)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["organisation"]["id"] == world.customer.pk


# --- directory ---------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=200, viewer=200, member=200, admin=200)
def test_directory_matrix(client, world, who, expected):
    response = check(as_(client, world, who), "GET", "/directory?q=pt", None, expected)
    if expected == 200:
        names = [o["name"] for o in response.json()]
        own = world.foreign if who == FOREIGN else world.supplier
        assert own.name not in names and "PT Ritel Maju Bersama" in names
        assert set(response.json()[0]) == {"id", "name", "country"}


def test_directory_search_is_bounded(client, world):
    check(as_(client, world, MEMBER), "GET", "/directory?q=" + "x" * 121, None, 422)


def test_a_session_write_without_csrf_is_refused_in_the_api_error_shape(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.supplier_admin.user)
    response = browser.post("/api/v1/tokens", '{"name": "x"}', content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed" and response.json()["errors"] == []
    assert not ApiToken.objects.filter(name="x").exists()
