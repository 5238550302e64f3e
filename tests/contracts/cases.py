"""The cases app's part of the isolation and API-fuzz tests."""

from __future__ import annotations

from typing import Any

from mitra.accounts import services as accounts
from mitra.cases import services
from mitra.cases.models import Case
from tests import factories as f

_case = lambda i: {"pk": i["partnership"], "case_id": i["case"]}  # noqa: E731

TENANT_PAGES = {
    "cases:list": lambda i: {"pk": i["partnership"]},
    "cases:create": lambda i: {"pk": i["partnership"]},
    "cases:detail": _case,
    "cases:edit": _case,
    "cases:outcome_confirm": _case,
    "cases:option_add": _case,
    "cases:choose": _case,
    "cases:resolve": _case,
    "cases:confirm": _case,
    "cases:dispute": _case,
}

API_PATH_IDS = {"case_id": "case"}


def make_case(world: Any, stage: str = "open", **kwargs: Any) -> Case:
    """A case of ``world.partnership`` raised by the supplier, taken to ``stage``: open (two options),
    chosen, resolved or closed."""
    supplier = f.actor(world.supplier_admin)
    customer = f.actor(world.customer_admin)
    p = world.partnership.pk
    case = services.case_create(
        supplier,
        partnership_id=p,
        title=kwargs.pop("title", "Late delivery to the Surabaya DC"),
        desired_outcome=kwargs.pop("desired_outcome", "Full shelves before the weekend promotion."),
        severity=kwargs.pop("severity", "high"),
        category="delivery",
        **kwargs,
    )
    first = services.case_option_create(
        supplier,
        partnership_id=p,
        case_id=case.pk,
        summary="Extra truck",
        value_to_customer=2,
        value_to_supplier=1,
    )
    services.case_option_create(
        customer,
        partnership_id=p,
        case_id=case.pk,
        summary="Credit note",
        value_to_customer=1,
        value_to_supplier=-1,
    )
    if stage in ("chosen", "resolved", "closed"):
        services.case_choose(supplier, partnership_id=p, case_id=case.pk, option_id=first.pk)
    if stage in ("resolved", "closed"):
        services.case_resolve(supplier, partnership_id=p, case_id=case.pk, resolution_note="Truck sent")
    if stage == "closed":
        services.case_confirm(customer, partnership_id=p, case_id=case.pk)
    case.refresh_from_db()
    return case


def seed(world: Any) -> dict[str, int]:
    case = make_case(world, "resolved")
    return {"case": case.pk, "case_option": case.options.first().pk}


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    return {
        "case_create": {"title": "Taken over", "desired_outcome": "Nothing"},
        "case_update": {"title": "Taken over"},
        "case_option_create": {"summary": "Taken over"},
        "case_choose": {"option_id": ids["case_option"], "justification": "x"},
        "case_resolve": {"resolution_note": "x"},
        "case_dispute": {"reason": "Taken over"},
    }


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    """As the supplier admin (the fuzzer); the customer-only moves with a customer admin's token."""
    _token, raw = accounts.api_token_create(f.actor(world.customer_admin), name="cases fuzzer")
    as_customer = {"headers": {"Authorization": f"Bearer {raw}"}}
    p = world.partnership.pk
    open_case = make_case(world, "open", title="Dented cartons")
    chosen = make_case(world, "chosen", title="Short shipment")
    resolved = [make_case(world, "resolved", title=f"Wrong invoice {n}") for n in (1, 2)]
    unconfirmed = make_case(world, "open", title="Missing labels")
    path = lambda case_id: {"partnership_id": p, "case_id": case_id}  # noqa: E731
    return {
        "case_list": {"path": {"partnership_id": p}, "query": {"status": "resolved"}},
        "case_export": {"path": {"partnership_id": p}, "query": {"severity": "high", "format": "xlsx"}},
        "case_create": {
            "path": {"partnership_id": p},
            "body": {
                "title": "Price mismatch",
                "desired_outcome": "Invoices that match the PO",
                "severity": "low",
            },
        },
        "case_root_causes": {"path": {"partnership_id": p}},
        "case_get": {"path": path(ids["case"])},
        "case_update": {"path": path(open_case.pk), "body": {"root_cause": "process"}},
        "case_outcome_confirm": {"path": path(unconfirmed.pk), **as_customer},
        "case_option_list": {"path": path(ids["case"])},
        "case_option_create": {"path": path(open_case.pk), "body": {"summary": "Re-pack on site"}},
        "case_choose": {"path": path(open_case.pk), "body": {"option_id": open_case.options.first().pk}},
        "case_resolve": {"path": path(chosen.pk), "body": {"resolution_note": "Delivered the rest"}},
        "case_confirm": {"path": path(resolved[0].pk), **as_customer},
        "case_dispute": {"path": path(resolved[1].pk), "body": {"reason": "Still wrong"}, **as_customer},
    }
