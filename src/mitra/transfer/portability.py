"""A partnership's complete export: every shared record one partner may see, as one JSON document.

Either partner can take its data and leave. The document holds what the acting member sees in the
workspace, and nothing else:

- the other organisation by its name only; people by name (e-mail addresses only for one's own side);
- records restricted to a department of the other side, or of one's own side the member is not in, are left
  out exactly as the pages leave them out (``mitra.core.tenancy.restrict``);
- the pulse only in aggregate, withheld below the minimum of answers, as on the pulse page;
- never a secret: no token hashes, salts or passwords, no survey links.

The document is written section by section, each a JSON array streamed from the database in chunks
(``QuerySet.values().iterator()``), so a partnership with millions of planning rows does not need them all in
memory. Each section is one query (the pulse: a few per round).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from mitra.accounts.models import Department, Membership
from mitra.cases.models import Case, CaseOption
from mitra.commitments.models import Commitment
from mitra.core.tenancy import Actor, restrict
from mitra.health.models import HealthAlert, HealthSettings, HealthSnapshot
from mitra.improvement.models import Initiative, Measurement
from mitra.moments.models import SurveyRequest, Touchpoint
from mitra.partnerships.models import Bridge, Contact, Partnership
from mitra.partnerships.workspace import shared_partnership, side_of
from mitra.planning.models import (
    ForecastLine,
    Item,
    Location,
    OpenOrder,
    Order,
    OrderLine,
    OrderProposal,
    PlanningAgreement,
    PlanningCycle,
    PlanningException,
    SellOut,
    StockPosition,
)
from mitra.plans.models import JointPlan, PlanGoal, PlanReview, PlanVersion
from mitra.pulse.models import PulseRound
from mitra.pulse.selectors import pulse_results
from mitra.risks.models import Risk
from mitra.threads.models import Comment, Event
from mitra.value.models import ValueEntry

FORMAT_VERSION = 1
CHUNK = 2000
# Never exported, whatever model they appear on.
SECRET_FIELDS = frozenset({"salt", "token_hash", "password", "secret", "key"})
OWN_ORGANISATION_FIELDS = ("id", "name", "legal_name", "country", "currency", "time_zone", "language")
# Every section of the document, in order (the tests check each is there).
SECTIONS = (
    "people",
    "departments",
    "bridges",
    "contacts",
    "commitments",
    "cases",
    "case_options",
    "value_entries",
    "touchpoints",
    "surveys",
    "pulse_rounds",
    "initiatives",
    "initiative_source_cases",
    "measurements",
    "risks",
    "plans",
    "plan_goals",
    "plan_versions",
    "plan_reviews",
    "comments",
    "events",
    "health_settings",
    "health_snapshots",
    "health_alerts",
    "health_alert_commitments",
    "planning_agreement",
    "planning_items",
    "planning_locations",
    "planning_sell_out",
    "planning_stock",
    "planning_open_orders",
    "planning_cycles",
    "planning_forecasts",
    "planning_exceptions",
    "planning_proposals",
    "planning_orders",
    "planning_order_lines",
)


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        # As text: a JSON number would round 0.1 or a large rupiah amount through a float.
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_default, ensure_ascii=False, sort_keys=False)


def fields_of(model: type[models.Model], exclude: Iterable[str] = ()) -> list[str]:
    """The model's columns to export (foreign keys as ``<name>_id``), without secrets."""
    skipped = SECRET_FIELDS | set(exclude)
    return [f.attname for f in model._meta.concrete_fields if f.name not in skipped]


def _rows(queryset: QuerySet[Any], exclude: Iterable[str] = (), extra: Iterable[str] = ()) -> Iterator[Any]:
    names = [*fields_of(queryset.model, exclude), *extra]
    return queryset.order_by("pk").values(*names).iterator(chunk_size=CHUNK)


class _Sections:
    """The querysets of every section, scoped to what ``actor`` sees of ``partnership``."""

    def __init__(self, actor: Actor, partnership: Partnership) -> None:
        self.actor = actor
        self.p = partnership

    def shared(self, model: type[models.Model]) -> QuerySet[Any]:
        """Records of a model that hang under the partnership, with the department restriction applied."""
        return restrict(model._default_manager.all(), self.actor).filter(partnership_id=self.p.pk)

    def of_partnership(self, model: type[models.Model]) -> QuerySet[Any]:
        """Records both sides always see (planning, health): the partnership is the only scope."""
        return model._default_manager.filter(partnership_id=self.p.pk)

    def people(self) -> Iterator[Any]:
        own = self.actor.organisation_id
        memberships = (
            Membership.objects.filter(organisation_id__in=(self.p.supplier_id, self.p.customer_id))
            .order_by("organisation_id", "pk")
            .values("pk", "user_id", "organisation_id", "user__full_name", "user__email", "role", "job_title")
            .iterator(chunk_size=CHUNK)
        )
        for m in memberships:
            mine = m["organisation_id"] == own
            yield {
                "id": m["pk"],
                "user_id": m["user_id"],
                "side": self.p.side_of(m["organisation_id"]),
                "name": m["user__full_name"],
                # The other side's people by name only: their addresses and roles are their organisation's.
                "email": m["user__email"] if mine else None,
                "role": m["role"] if mine else None,
                "job_title": m["job_title"],
            }

    def departments(self) -> Iterator[Any]:
        on_bridges = self.shared(Bridge)
        other = Department.objects.filter(
            Q(pk__in=on_bridges.values("supplier_department_id"))
            | Q(pk__in=on_bridges.values("customer_department_id"))
        ).exclude(organisation_id=self.actor.organisation_id)
        own = Department.objects.filter(organisation_id=self.actor.organisation_id)
        for dept in (
            (own | other)
            .order_by("pk")
            .values("pk", "organisation_id", "name", "kind")
            .iterator(chunk_size=CHUNK)
        ):
            yield {
                "id": dept["pk"],
                "side": self.p.side_of(dept["organisation_id"]),
                "name": dept["name"],
                "kind": dept["kind"],
            }

    def pulse_rounds(self) -> Iterator[Any]:
        rounds = self.shared(PulseRound).select_related("partnership").order_by("quarter", "pk")
        for pulse_round in rounds:
            results = pulse_results(self.actor, pulse_round)
            yield {
                **{name: getattr(pulse_round, name) for name in fields_of(PulseRound)},
                "published": results["published"],
                "min_answers": results["min_answers"],
                "sides": results["sides"],
                "bridges": [
                    {"bridge_id": row["bridge"].pk, "supplier": row["supplier"], "customer": row["customer"]}
                    for row in results["bridges"]
                ],
            }

    def sections(self) -> dict[str, Any]:
        """Section name -> rows (a lazy iterator each)."""
        shared, plain = self.shared, self.of_partnership
        initiatives = shared(Initiative)
        cases = shared(Case)
        plans = shared(JointPlan)
        orders = plain(Order)
        commitments = shared(Commitment)
        alerts = plain(HealthAlert)
        source_cases = Initiative.source_cases.through.objects.filter(
            **{"initiative__in": initiatives.values("pk"), "case__in": cases.values("pk")}
        )
        alert_commitments = HealthAlert.commitments.through.objects.filter(
            healthalert__in=alerts.values("pk"), commitment__in=commitments.values("pk")
        )
        return {
            "people": self.people(),
            "departments": self.departments(),
            "bridges": _rows(shared(Bridge)),
            "contacts": _rows(shared(Contact)),
            "commitments": _rows(commitments),
            "cases": _rows(cases),
            "case_options": _rows(shared(CaseOption).filter(case__in=cases.values("pk"))),
            "value_entries": _rows(shared(ValueEntry)),
            "touchpoints": _rows(shared(Touchpoint)),
            "surveys": _rows(shared(SurveyRequest).filter(touchpoint__in=shared(Touchpoint).values("pk"))),
            "pulse_rounds": self.pulse_rounds(),
            "initiatives": _rows(initiatives),
            "initiative_source_cases": _rows(source_cases),
            "measurements": _rows(Measurement.objects.filter(initiative__in=initiatives.values("pk"))),
            "risks": _rows(shared(Risk)),
            "plans": _rows(plans),
            "plan_goals": _rows(shared(PlanGoal).filter(plan__in=plans.values("pk"))),
            "plan_versions": _rows(shared(PlanVersion).filter(plan__in=plans.values("pk"))),
            "plan_reviews": _rows(shared(PlanReview).filter(plan__in=plans.values("pk"))),
            "comments": _rows(shared(Comment)),
            "events": _rows(shared(Event)),
            "health_settings": _rows(plain(HealthSettings)),
            "health_snapshots": _rows(plain(HealthSnapshot)),
            "health_alerts": _rows(alerts),
            "health_alert_commitments": _rows(alert_commitments),
            "planning_agreement": _rows(plain(PlanningAgreement)),
            "planning_items": _rows(plain(Item)),
            "planning_locations": _rows(plain(Location)),
            "planning_sell_out": _rows(plain(SellOut)),
            "planning_stock": _rows(plain(StockPosition)),
            "planning_open_orders": _rows(plain(OpenOrder)),
            "planning_cycles": _rows(plain(PlanningCycle)),
            "planning_forecasts": _rows(plain(ForecastLine)),
            "planning_exceptions": _rows(plain(PlanningException)),
            "planning_proposals": _rows(plain(OrderProposal)),
            "planning_orders": _rows(orders),
            "planning_order_lines": _rows(OrderLine.objects.filter(order__in=orders.values("pk"))),
        }


def _organisations(actor: Actor, partnership: Partnership) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for side, org in (("supplier", partnership.supplier), ("customer", partnership.customer)):
        if org.pk == actor.organisation_id:
            out[side] = {name: getattr(org, name) for name in OWN_ORGANISATION_FIELDS}
        else:
            out[side] = {"id": org.pk, "name": org.name}
    return out


def export_partnership(
    actor: Actor, partnership_id: int, out: IO[str], *, now: dt.datetime | None = None
) -> dict[str, int]:
    """Write the partnership's export as JSON to ``out``; return how many rows each section has.

    A stranger to the partnership (or a partnership without a workspace) gets ``NotFound`` before anything
    is written.
    """
    partnership = shared_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    header = {
        "format_version": FORMAT_VERSION,
        "exported_at": (now or timezone.now()).isoformat(),
        "exported_by": {
            "name": actor.user.full_name,
            "email": actor.user.email,
            "organisation": actor.organisation.name,
            "side": side,
        },
        "partnership": {name: getattr(partnership, name) for name in fields_of(Partnership)},
        "organisations": _organisations(actor, partnership),
    }
    counts: dict[str, int] = {}
    out.write("{\n")
    for key, value in header.items():
        out.write(f"{_dumps(key)}: {_dumps(value)},\n")
    for name, rows in _Sections(actor, partnership).sections().items():
        out.write(f"{_dumps(name)}: [")
        n = 0
        for row in rows:
            out.write(("\n  " if n == 0 else ",\n  ") + _dumps(row))
            n += 1
        out.write("\n],\n" if n else "],\n")
        counts[name] = n
    out.write(f'"counts": {_dumps(counts)}\n}}\n')
    return counts
