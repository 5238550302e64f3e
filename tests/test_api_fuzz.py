"""Schemathesis over the whole OpenAPI schema, as an organisation admin with a real Bearer token.

For every operation: one hand-made valid request on seeded records (so the run can never pass on 401s and
404s alone), then generated requests, half of them aimed at real ids. Every response must be a non-5xx
that the schema declares, with the declared content type and body. At the end each operation must have
answered at least one 2xx.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mitra.accounts import services as accounts
from mitra.accounts.models import ApiToken, Department, Membership, Organisation, Role
from mitra.partnerships import services as partnerships
from mitra.partnerships.models import Status
from tests import contracts
from tests import factories as f

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 15  # per operation and strategy; the whole run stays well under two minutes


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI app, in-process and inside the test's transaction.

    Django closes "old" connections at the start and end of every request; inside a test transaction that
    would poison it, so (like Django's own test client) we switch that off for the run.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class Seeded:
    """The admin's token and, per operation, the path, query and body of a request that should succeed."""

    token: ApiToken
    raw: str
    valid: dict[str, dict[str, Any]]


@pytest.fixture
def seeded(world, django_capture_on_commit_callbacks) -> Seeded:
    admin = f.actor(world.supplier_admin)
    token, raw = accounts.api_token_create(admin, name="fuzzer")
    spare_token, _ = accounts.api_token_create(admin, name="spare")
    spare_department = f.DepartmentFactory(organisation=world.supplier, kind=Department.Kind.IT, name="IT")
    invitation = accounts.invitation_create(admin, email="new@sumber.test", role=Role.VIEWER)
    newcomers = [f.OrganisationFactory(name=name) for name in ("CV Satu", "CV Dua")]
    to_accept, to_decline = (
        f.PartnershipFactory(supplier=world.supplier, customer=org, proposed_by=org, status=Status.PROPOSED)
        for org in newcomers
    )
    partner_invitation = partnerships.partner_invitation_create(
        admin, email="owner@warung.test", company_name="Warung Bu Sri", our_side="supplier"
    )
    spare_bridge = f.BridgeFactory(
        partnership=world.partnership,
        supplier_department=world.supplier_finance,
        customer_department=world.customer_purchasing,
    )
    p = world.partnership.pk
    valid: dict[str, dict[str, Any]] = {
        "me": {},
        "organisation_get": {},
        "organisation_update": {
            "body": {"legal_name": "PT Sumber Rasa Nusantara Tbk.", "time_zone": "Asia/Makassar"}
        },
        "department_list": {"query": {"limit": 10}},
        "department_create": {"body": {"kind": "quality", "name": "Quality control"}},
        "department_update": {
            "path": {"department_id": world.supplier_finance.pk},
            "body": {"name": "Keuangan"},
        },
        "department_delete": {"path": {"department_id": spare_department.pk}},
        "member_list": {"query": {"include_inactive": True}},
        "member_update": {"path": {"member_id": world.supplier_member.pk}, "body": {"job_title": "Analyst"}},
        "member_deactivate": {"path": {"member_id": world.supplier_viewer.pk}},
        "invitation_list": {},
        "invitation_create": {"body": {"email": "someone@sumber.test", "role": "member"}},
        "invitation_revoke": {"path": {"invitation_id": invitation.pk}},
        "token_list": {},
        # Tokens are created from a signed-in session only (a token gets 403), so this one goes as a browser.
        "token_create": {"body": {"name": "ERP sync"}, **_browser_session(world.supplier_admin.user)},
        "token_revoke": {"path": {"token_id": spare_token.pk}},
        "directory_search": {"query": {"q": "PT"}},
        "partnership_list": {"query": {"status": "active"}},
        "partnership_propose": {"body": {"partner_id": world.foreign.pk, "our_side": "customer"}},
        "partnership_get": {"path": {"partnership_id": p}},
        "partnership_update": {"path": {"partnership_id": p}, "body": {"goals": "Fewer stock-outs"}},
        "partnership_accept": {"path": {"partnership_id": to_accept.pk}},
        "partnership_decline": {
            "path": {"partnership_id": to_decline.pk},
            "body": {"reason": "Too far away"},
        },
        "partnership_set_status": {"path": {"partnership_id": p}, "body": {"status": "paused"}},
        "partner_invitation_list": {},
        "partner_invitation_create": {
            "body": {"email": "buyer@toko.test", "company_name": "Toko Makmur", "our_side": "customer"}
        },
        "partner_invitation_revoke": {"path": {"invitation_id": partner_invitation.pk}},
        "bridge_list": {"path": {"partnership_id": p}},
        "partnership_history": {"path": {"partnership_id": p}},
        "bridge_create": {
            "path": {"partnership_id": p},
            "body": {
                "supplier_department_id": world.supplier_finance.pk,
                "customer_department_id": world.customer_finance.pk,
            },
        },
        "bridge_update": {
            "path": {"partnership_id": p, "bridge_id": world.bridge.pk},
            "body": {"cadence_days": 14},
        },
        "bridge_delete": {"path": {"partnership_id": p, "bridge_id": spare_bridge.pk}},
    }
    with django_capture_on_commit_callbacks(execute=False):
        workflow_ids = contracts.seed_all(world)
        valid.update(contracts.fuzz_valid_all(world, workflow_ids))
    return Seeded(token=token, raw=raw, valid=valid)


def _browser_session(user: Any) -> dict[str, dict[str, str]]:
    """A signed-in browser: its session cookie, and a CSRF token in a cookie and in the header."""
    from django.conf import settings as django_settings
    from django.test import Client
    from django.utils.crypto import get_random_string

    client = Client()
    client.force_login(user)
    csrf = get_random_string(32)
    return {
        "cookies": {
            django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            django_settings.CSRF_COOKIE_NAME: csrf,
        },
        "headers": {"X-CSRFToken": csrf},
    }


def _keep_the_fuzzer_signed_in(seeded: Seeded, world) -> Callable[[], None]:
    """Generated requests may revoke the fuzzer's token, demote it, or make its organisation require MFA
    (which its token, without an authenticator, then cannot pass); undo that so it keeps its admin reach."""

    def reset() -> None:
        Membership.objects.filter(pk=world.supplier_admin.pk).update(role=Role.ADMIN, is_active=True)
        Organisation.objects.filter(pk=world.supplier.pk).update(require_mfa=False)
        ApiToken.objects.filter(pk=seeded.token.pk).update(revoked_at=None)

    return reset


def test_every_operation_conforms_and_succeeds_at_least_once(world, seeded, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    auth = {"Authorization": f"Bearer {seeded.raw}"}
    reset = _keep_the_fuzzer_signed_in(seeded, world)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)

    def run(case: Any, headers: dict[str, str] = auth) -> None:
        reset()
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses[case.operation.definition.raw["operationId"]][response.status_code] += 1

    by_id = {op.definition.raw["operationId"]: op for op in operations}
    assert sorted(by_id) == sorted(seeded.valid), "every operation needs a hand-made valid request here"

    # 1. One valid request per operation, on records seeded for it, before fuzzing changes the world.
    for operation_id, request in seeded.valid.items():
        operation = by_id[operation_id]
        kwargs: dict[str, Any] = {
            "path_parameters": request.get("path", {}),
            "query": request.get("query"),
            "cookies": request.get("cookies"),
        }
        if "body" in request:
            kwargs.update(body=request["body"], media_type=request.get("media_type", "application/json"))
        run(operation.Case(**kwargs), request.get("headers", auth))

    # 2. Generated requests: fully random, and with the path ids pinned to real records.
    for operation_id, operation in by_id.items():
        strategy = operation.as_strategy()
        real_ids = seeded.valid[operation_id].get("path")
        if real_ids:
            strategy = st.one_of(strategy, operation.as_strategy(path_parameters=real_ids))

        @settings(
            max_examples=MAX_EXAMPLES * (2 if real_ids else 1),
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def fuzz(case: Any) -> None:
            run(case)

        fuzz()

    report = {op: dict(sorted(counter.items())) for op, counter in sorted(statuses.items())}
    without_success = sorted(op for op in by_id if not any(200 <= code < 300 for code in statuses[op]))
    assert without_success == [], f"operations that never answered 2xx: {without_success}\n{report}"
    assert all(code < 500 for counter in statuses.values() for code in counter), report
