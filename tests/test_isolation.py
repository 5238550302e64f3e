"""Tenant isolation, checked on every page and every API operation.

A user of an unrelated organisation calls each URL pattern and each API operation with the real ids of
another partnership's records. Every call must answer 404 (anonymous users: 302 to sign-in, or 401) and change
nothing in the database. The registries below must name every route: a new endpoint that nobody listed fails
``test_every_route_is_listed``, so isolation is decided for it on purpose.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from mitra.accounts import services as account_services
from mitra.accounts.models import Invitation
from mitra.config.api import api
from mitra.partnerships import services as partnership_services
from mitra.partnerships.models import Side
from tests import contracts
from tests import factories as f
from tests.dbstate import db_state

Ids = dict[str, int]

# Pages whose path names records of a partnership or of an organisation: a stranger gets 404.
TENANT_PAGES: dict[str, Callable[[Ids], dict[str, Any]]] = {
    "partnerships:detail": lambda i: {"pk": i["partnership"]},
    "partnerships:answer": lambda i: {"pk": i["partnership"]},
    "partnerships:status": lambda i: {"pk": i["partnership"]},
    "partnerships:charter": lambda i: {"pk": i["partnership"]},
    "partnerships:bridge_cell": lambda i: {
        "pk": i["partnership"],
        "supplier_department_id": i["supplier_department"],
        "customer_department_id": i["customer_department"],
    },
    "partnerships:bridge_add": lambda i: {
        "pk": i["partnership"],
        "supplier_department_id": i["supplier_department"],
        "customer_department_id": i["customer_department"],
    },
    "partnerships:bridge_edit": lambda i: {"bridge_id": i["bridge"]},
    "partnerships:bridge_delete": lambda i: {"bridge_id": i["bridge"]},
    "partnerships:invitation_revoke": lambda i: {"invitation_id": i["partner_invitation"]},
    "accounts:department_rename": lambda i: {"department_id": i["supplier_department"]},
    "accounts:department_delete": lambda i: {"department_id": i["supplier_department"]},
    "accounts:member_edit": lambda i: {"membership_id": i["membership"]},
    "accounts:member_deactivate": lambda i: {"membership_id": i["membership"]},
    "accounts:invitation_revoke": lambda i: {"invitation_id": i["invitation"]},
    "accounts:token_revoke": lambda i: {"token_id": i["token"]},
    **contracts.merged("TENANT_PAGES", {}),
}

# Pages without ids: they show the caller's own organisation only. Checked not to show the others' data.
OWN_PAGES = {
    "web:home",
    "partnerships:list",
    "partnerships:propose",
    "accounts:settings",
    "accounts:departments",
    "accounts:members",
    "accounts:invitations",
    "accounts:tokens",
    "accounts:security",
} | contracts.merged("OWN_PAGES", set())

# Actions without ids that take an organisation in the body: tested below.
OWN_ACTIONS = {"web:switch_organisation"}

# Pages reached by a secret link token, by design without signing in; a wrong token is a 404.
TOKEN_PAGES = {"accounts:invitation", "partnerships:join"} | contracts.merged("TOKEN_PAGES", set())

# Routes of libraries, not tenant data: sign-in and MFA (allauth), the language switch, the operators' admin.
LIBRARY_PREFIXES = ("accounts/", "i18n/", "admin/", "api/v1/")

API_PATH_IDS = {
    "partnership_id": "partnership",
    "bridge_id": "bridge",
    "department_id": "supplier_department",
    "member_id": "membership",
    "invitation_id": "invitation",
    "token_id": "token",
    **contracts.merged("API_PATH_IDS", {}),
}
# An operation's path parameters usually name their record; where one name means two kinds, say which.
API_ID_OVERRIDES = {("partner_invitation_revoke", "invitation_id"): "partner_invitation"}


def _api_bodies(i: Ids) -> dict[str, dict[str, Any]]:
    """Valid bodies, so a 404 is the access check answering and not input validation."""
    return {
        "department_update": {"name": "Renamed"},
        "member_update": {"role": "viewer"},
        "partnership_update": {"goals": "Taken over"},
        "partnership_decline": {"reason": "No"},
        "partnership_set_status": {"status": "ended", "reason": "Taken over"},
        "bridge_create": {
            "supplier_department_id": i["supplier_department"],
            "customer_department_id": i["customer_department"],
        },
        "bridge_update": {"cadence_days": 3},
        **contracts.bodies_all(i),
    }


# API operations without ids in the path act on the caller's own organisation.
OWN_API_OPERATIONS = {
    "me",
    "organisation_get",
    "organisation_update",
    "department_list",
    "department_create",
    "member_list",
    "invitation_list",
    "invitation_create",
    "token_list",
    "token_create",
    "directory_search",
    "partnership_list",
    "partnership_propose",
    "partner_invitation_list",
    "partner_invitation_create",
} | contracts.merged("OWN_API_OPERATIONS", set())


def _page_routes() -> dict[str, str]:
    """Every named URL pattern of Mitra's own pages: name -> route."""
    routes: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern) and not route.startswith(LIBRARY_PREFIXES):
                routes[f"{namespace}{p.name}"] = route

    walk(get_resolver().url_patterns, "", "")
    return routes


def _api_operations() -> list[tuple[str, str, str]]:
    schema = api.get_openapi_schema()
    return [
        (op["operationId"], method.upper(), "/api/v1" + path.removeprefix("/api/v1"))
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]


def test_every_route_is_listed():
    pages = set(_page_routes())
    listed = set(TENANT_PAGES) | OWN_PAGES | OWN_ACTIONS | TOKEN_PAGES
    assert sorted(pages - listed) == [], "new pages: decide their isolation in tests/test_isolation.py"
    assert sorted(listed - pages) == [], "listed pages that no longer exist"
    ops = {op for op, _m, path in _api_operations() if "{" not in path}
    assert sorted(ops - OWN_API_OPERATIONS) == [], "new API operations without ids: list them"


@pytest.fixture
def ids(world, django_capture_on_commit_callbacks) -> Ids:
    """Real ids of the supplier's and its partnership's records: the stranger's targets."""
    admin = f.actor(world.supplier_admin)
    with django_capture_on_commit_callbacks(execute=False):
        invitation = account_services.invitation_create(admin, email="new@sumber.test")
        partner_invitation = partnership_services.partner_invitation_create(
            admin, email="gm@hotel.test", company_name="PT Hotel Baru", our_side=Side.SUPPLIER
        )
        workflow_ids = contracts.seed_all(world)
    token, _raw = account_services.api_token_create(admin, name="Sumber-ERP-sync")
    return {
        **workflow_ids,
        "partnership": world.partnership.pk,
        "bridge": world.bridge.pk,
        "supplier_department": world.supplier_finance.pk,
        "customer_department": world.customer_finance.pk,
        "membership": world.supplier_member.pk,
        "invitation": invitation.pk,
        "partner_invitation": partner_invitation.pk,
        "token": token.pk,
    }


def _path(route: str, kwargs: dict[str, Any]) -> str:
    path = "/" + route
    for key, value in kwargs.items():
        path = path.replace(f"<int:{key}>", str(value)).replace(f"<str:{key}>", str(value))
    assert "<" not in path, f"unfilled parameter in {path}"
    return path


@pytest.mark.parametrize("name", sorted(TENANT_PAGES))
def test_a_stranger_gets_404_on_every_page_and_changes_nothing(client, world, ids, name):
    path = _path(_page_routes()[name], TENANT_PAGES[name](ids))
    client.force_login(world.foreign_admin.user)
    before = db_state()
    answers = {method: client.generic(method, path).status_code for method in ("GET", "POST")}
    # A method the view does not accept may answer 405 first; the one it accepts must be a 404.
    assert set(answers.values()) <= {404, 405} and 404 in answers.values(), answers
    assert db_state() == before


@pytest.mark.parametrize("name", sorted(TENANT_PAGES))
def test_anonymous_users_are_sent_to_sign_in(client, world, ids, name):
    path = _path(_page_routes()[name], TENANT_PAGES[name](ids))
    before = db_state()
    for method in ("GET", "POST"):
        response = client.generic(method, path)
        assert response.status_code in (302, 405), (method, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
    assert db_state() == before


@pytest.mark.parametrize("name", sorted(OWN_PAGES))
def test_own_pages_never_show_another_organisations_data(client, world, ids, name):
    client.force_login(world.foreign_admin.user)
    response = client.get(_path(_page_routes()[name], {}), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    for secret in (
        "member@sumber.test",
        "admin@ritel.test",
        "new@sumber.test",
        "PT Hotel Baru",
        "Sumber-ERP-sync",
    ):
        assert secret not in html, (name, secret)
    if name != "partnerships:propose":  # the directory lists organisations by name, by design
        assert world.customer.name not in html, name


def test_switching_to_an_organisation_one_is_not_a_member_of_does_nothing(client, world):
    client.force_login(world.foreign_admin.user)
    client.cookies["mitra_language"] = "en"  # the organisation's own language is Indonesian
    response = client.post("/organisation/switch/", {"organisation": world.supplier.pk}, follow=True)
    assert response.status_code == 200
    assert "You are not a member of that organisation." in response.content.decode()
    assert world.customer.name not in response.content.decode()
    assert "mitra_organisation_id" not in client.session


@pytest.mark.parametrize("name", sorted(TOKEN_PAGES))
def test_token_pages_answer_404_to_a_wrong_token(client, world, name):
    route = _page_routes()[name]
    response = client.get("/" + route.replace("<str:token>", "inv_not-a-real-token"))
    assert response.status_code == 404


def test_an_expired_invitation_link_is_404_even_with_the_right_token(client, world, ids):
    invitation = Invitation.objects.get(pk=ids["invitation"])
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    token = account_services.invitation_link_token(invitation)
    assert client.get(f"/invitations/{token}/").status_code == 404


def _api_cases():
    return [(op, m, p) for op, m, p in _api_operations() if "{" in p]


@pytest.mark.parametrize(("op", "method", "path"), _api_cases(), ids=[c[0] for c in _api_cases()])
def test_a_stranger_gets_404_from_every_api_operation_and_changes_nothing(
    client, world, ids, op, method, path
):
    _token, raw = account_services.api_token_create(f.actor(world.foreign_admin), name="probe")
    for param, kind in API_PATH_IDS.items():
        path = path.replace("{" + param + "}", str(ids[API_ID_OVERRIDES.get((op, param), kind)]))
    assert "{" not in path, f"{op}: unknown path parameter in {path}; add it to API_PATH_IDS"
    body = _api_bodies(ids).get(op)
    before = db_state()
    response = client.generic(
        method,
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 404, (op, response.status_code, response.content)
    assert response.json()["code"] == "not_found"
    assert db_state() == before


@pytest.mark.parametrize(("op", "method", "path"), _api_operations(), ids=[c[0] for c in _api_operations()])
def test_anonymous_api_calls_get_401(client, world, ids, op, method, path):
    for param, kind in API_PATH_IDS.items():
        path = path.replace("{" + param + "}", str(ids[API_ID_OVERRIDES.get((op, param), kind)]))
    before = db_state()
    response = client.generic(method, path, "{}", content_type="application/json")
    assert response.status_code == 401, (op, response.status_code)
    assert db_state() == before


@pytest.mark.parametrize(
    "op", sorted(o for o in OWN_API_OPERATIONS if o.endswith(("_list", "_get", "_search")) or o == "me")
)
def test_own_api_reads_never_show_another_organisations_data(client, world, ids, op):
    _token, raw = account_services.api_token_create(f.actor(world.foreign_admin), name="probe")
    method, path = next((m, p) for o, m, p in _api_operations() if o == op)
    response = client.generic(method, path, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    text = response.content.decode()
    for secret in (
        "member@sumber.test",
        "admin@ritel.test",
        "new@sumber.test",
        "PT Hotel Baru",
        "Sumber-ERP-sync",
    ):
        assert secret not in text, (op, secret)
    if op != "directory_search":
        assert world.supplier.name not in text and world.customer.name not in text, op
