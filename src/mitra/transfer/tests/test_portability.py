"""The partnership's complete JSON export: every section, nothing secret, nothing of the other side's private
records, either partner can run it and a stranger cannot; and ``mitra export partnership``."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests import factories as f
from tests.contracts import seed_all

from mitra.commitments import services as commitment_services
from mitra.core.errors import NotFound
from mitra.health.models import HealthAlert, HealthSettings
from mitra.improvement.models import Initiative
from mitra.moments.models import SurveyRequest
from mitra.partnerships.models import Contact
from mitra.planning.models import ForecastLine, Item, Location, OpenOrder, PlanningAgreement, PlanningCycle
from mitra.plans.models import JointPlan, PlanReview, PlanVersion
from mitra.pulse.models import PulseResponse
from mitra.risks import services as risk_services
from mitra.risks.models import Risk
from mitra.transfer.portability import FORMAT_VERSION, SECRET_FIELDS, SECTIONS, export_partnership


def run_export(world: Any, membership: Any) -> dict[str, Any]:
    out = io.StringIO()
    counts = export_partnership(f.actor(membership), world.partnership.pk, out)
    document = json.loads(out.getvalue())
    assert document["counts"] == counts
    return document


def ids_in(document: dict[str, Any], section: str) -> set[int]:
    return {row["id"] for row in document[section]}


def keys_everywhere(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_everywhere(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_everywhere(v)}
    return set()


@pytest.fixture
def seeded(world) -> dict[str, Any]:
    ids = seed_all(world)
    _fill_the_rest(world, ids)
    return ids


def _fill_the_rest(world: Any, ids: dict[str, Any]) -> None:
    """The records the contracts do not seed, made directly, so that every section has a row."""
    p = world.partnership
    plan = JointPlan.objects.get(pk=ids["plan"])
    PlanReview.objects.create(
        partnership=p, plan=plan, held_on=dt.date(2026, 4, 1), notes="Q1 review", recorded_by_side="supplier"
    )
    now = timezone.now()
    PlanVersion.objects.create(
        partnership=p,
        plan=plan,
        number=1,
        goals=[{"title": "Volume"}],
        supplier_agreed_at=now,
        customer_agreed_at=now,
    )
    Initiative.source_cases.through.objects.create(initiative_id=ids["initiative"], case_id=ids["case"])
    HealthAlert.commitments.through.objects.create(
        healthalert_id=ids["alert"], commitment_id=ids["commitment"]
    )
    HealthSettings.objects.get_or_create(partnership=p)
    PlanningAgreement.objects.get_or_create(partnership=p)
    cycle = PlanningCycle.objects.get(pk=ids["planning_cycle"])
    item, location = Item.objects.filter(partnership=p)[0], Location.objects.filter(partnership=p)[0]
    ForecastLine.objects.create(
        cycle=cycle,
        partnership=p,
        item=item,
        location=location,
        source="consensus",
        period=cycle.week,
        quantity=5,
    )
    OpenOrder.objects.create(
        partnership=p, item=item, location=location, number="PO-1", quantity=10, due_date=cycle.week
    )
    if not Contact.objects.filter(partnership=p).exists():
        Contact.objects.create(partnership=p, organisation=world.customer, name="Bu Sari")


def test_the_export_has_every_section_with_the_seeded_records(world, seeded):
    document = run_export(world, world.supplier_admin)
    assert document["format_version"] == FORMAT_VERSION
    assert document["exported_at"] and document["exported_by"]["email"] == world.supplier_admin.user.email
    assert document["exported_by"]["side"] == "supplier"
    assert document["partnership"]["id"] == world.partnership.pk
    missing = [name for name in SECTIONS if name not in document]
    assert missing == []
    assert sorted(name for name in SECTIONS if not document[name]) == []
    expected = {
        "risks": seeded["risk"],
        "cases": seeded["case"],
        "case_options": seeded["case_option"],
        "initiatives": seeded["initiative"],
        "value_entries": seeded["value_entry"],
        "commitments": seeded["commitment"],
        "touchpoints": seeded["touchpoint"],
        "surveys": seeded["survey"],
        "pulse_rounds": seeded["pulse_round"],
        "plans": seeded["plan"],
        "plan_goals": seeded["plan_goal"],
        "health_alerts": seeded["alert"],
        "planning_exceptions": seeded["planning_exception"],
        "planning_orders": seeded["planning_order"],
        "bridges": world.bridge.pk,
    }
    for section, pk in expected.items():
        assert pk in ids_in(document, section), section
    assert document["planning_sell_out"] and document["planning_order_lines"] and document["measurements"]
    assert document["comments"][0]["body"] == "Stok penyangga perlu dinaikkan sebelum musim hujan."


def test_no_secret_ever_leaves(world, seeded):
    document = run_export(world, world.supplier_admin)
    assert keys_everywhere(document) & SECRET_FIELDS == set()
    text = json.dumps(document)
    for survey in SurveyRequest.objects.all():
        assert survey.token_hash not in text and survey.salt not in text
    assert world.supplier_admin.user.password not in text


def test_the_other_side_is_named_only(world, seeded):
    document = run_export(world, world.supplier_admin)
    assert document["organisations"]["customer"] == {"id": world.customer.pk, "name": world.customer.name}
    assert document["organisations"]["supplier"]["currency"] == world.supplier.currency
    theirs = [p for p in document["people"] if p["side"] == "customer"]
    assert theirs and all(p["email"] is None and p["role"] is None for p in theirs)
    assert world.supplier_member.user.email in {p["email"] for p in document["people"]}
    # The other side's departments only as far as the bridges show them.
    assert world.customer_finance.pk not in ids_in(document, "departments")
    assert world.customer_purchasing.pk in ids_in(document, "departments")


def test_pulse_answers_stay_anonymous(world, seeded):
    document = run_export(world, world.customer_admin)
    text = json.dumps(document)
    answer = PulseResponse.objects.get(pk=seeded["pulse_answer"])
    assert "respondent" not in keys_everywhere(document)
    assert "Lancar" not in text  # one person answered: below the minimum nothing of it shows
    (pulse_round,) = document["pulse_rounds"]
    assert all(cell["suppressed"] for cell in pulse_round["sides"])
    assert answer.comment == "Lancar" and answer.round_id == pulse_round["id"]


def test_a_record_restricted_to_a_department_of_the_other_side_stays_out(world, seeded):
    hidden = risk_services.risk_create(
        f.actor(world.customer_admin),
        partnership_id=world.partnership.pk,
        title="Renegotiate the listing fee",
        likelihood=2,
        impact=3,
    )
    Risk.objects.filter(pk=hidden.pk).update(restricted_department=world.customer_purchasing)
    # The customer's admin sees it; the customer's member outside purchasing does not; the supplier sees
    # it, since a side's restriction only hides from its own people outside the department.
    assert hidden.pk in ids_in(run_export(world, world.customer_admin), "risks")
    assert hidden.pk not in ids_in(run_export(world, world.customer_member), "risks")
    assert hidden.pk in ids_in(run_export(world, world.supplier_admin), "risks")


def test_either_partner_can_export_and_a_stranger_cannot(world, seeded):
    supplier, customer = run_export(world, world.supplier_admin), run_export(world, world.customer_admin)
    assert ids_in(supplier, "risks") == ids_in(customer, "risks")
    assert customer["organisations"]["supplier"] == {"id": world.supplier.pk, "name": world.supplier.name}
    out = io.StringIO()
    with pytest.raises(NotFound):
        export_partnership(f.actor(world.foreign_admin), world.partnership.pk, out)
    assert out.getvalue() == ""


def test_the_export_costs_the_same_queries_for_more_records(world, seeded):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            run_export(world, world.supplier_admin)
        return len(queries)

    before = count()
    actor = f.actor(world.supplier_admin)
    for n in range(5):
        risk_services.risk_create(
            actor, partnership_id=world.partnership.pk, title=f"Risk {n}", likelihood=2, impact=2
        )
        commitment_services.commitment_create(
            actor,
            partnership_id=world.partnership.pk,
            title=f"Promise {n}",
            owner_id=world.supplier_admin.pk,
            due_date=dt.date(2026, 12, 1),
        )
    assert count() == before < 80


# --- mitra export partnership ---------------------------------------------------------------------------


def test_the_command_writes_the_file(world, seeded, tmp_path: Path):
    target = tmp_path / "partnership.json"
    err = io.StringIO()
    call_command(
        "export",
        "partnership",
        str(world.partnership.pk),
        "--as",
        world.customer_admin.user.email,
        "--output",
        str(target),
        stderr=err,
    )
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["exported_by"]["side"] == "customer"
    assert seeded["risk"] in ids_in(document, "risks")
    assert world.customer_admin.user.email in err.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["partnership.json"]


def test_the_command_writes_to_stdout_as_the_supplier_admin_by_default(world, seeded):
    out = io.StringIO()
    call_command("export", "partnership", str(world.partnership.pk), stdout=out, stderr=io.StringIO())
    document = json.loads(out.getvalue())
    assert document["exported_by"]["email"] == world.supplier_admin.user.email


def test_the_command_fails_clearly_for_a_stranger_or_an_unknown_id(world, tmp_path: Path):
    target = tmp_path / "out.json"
    with pytest.raises(CommandError, match="is not an active member of either side"):
        call_command(
            "export",
            "partnership",
            str(world.partnership.pk),
            "--as",
            world.foreign_admin.user.email,
            "--output",
            str(target),
        )
    with pytest.raises(CommandError, match="No partnership with the id 999999"):
        call_command("export", "partnership", "999999", "--output", str(target))
    assert not target.exists() and list(tmp_path.iterdir()) == []
