"""Reads of the cases workflow, scoped to what the actor may see. Missing and foreign look the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Membership
from mitra.cases.models import ACTIVE_STATUSES, RECURRING_AT, Case, CaseOption, CaseRootCause, CaseStatus
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import Partnership
from mitra.partnerships.workspace import shared_partnership
from mitra.risks.models import Risk


def breached_q(now: dt.datetime) -> Q:
    """Breached: still unresolved past the due time, or resolved after it."""
    return Q(status__in=ACTIVE_STATUSES, sla_due_at__lt=now) | Q(resolved_at__gt=F("sla_due_at"))


def _cases(actor: Actor, now: dt.datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    return (
        restrict(Case.objects.all(), actor)
        .select_related("anticipated_by", "outcome_stated_by__user", "chosen_option", "raised_by")
        .annotate(
            is_breached=models.Case(
                When(breached_q(now), then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            option_count=Count("options", distinct=True),
            # The anticipating risk may be restricted to a department the actor is not in: then the case
            # does not show it (neither its title nor its id).
            risk_visible=Exists(restrict(Risk.objects.all(), actor).filter(pk=OuterRef("anticipated_by_id"))),
        )
    )


def case_list(
    actor: Actor,
    partnership_id: int,
    *,
    status: str | None = None,
    severity: str | None = None,
    breached: bool | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    """The partnership's cases, newest first, with ``is_breached`` and ``option_count``."""
    shared_partnership(actor, partnership_id)
    now = now or timezone.now()
    cases = _cases(actor, now).filter(partnership_id=partnership_id)
    if status:
        cases = cases.filter(status=status)
    if severity:
        cases = cases.filter(severity=severity)
    if breached is not None:
        cases = cases.filter(breached_q(now)) if breached else cases.exclude(breached_q(now))
    return cases.order_by("-created_at", "-id")


def case_get(actor: Actor, partnership_id: int, case_id: int) -> Case:
    shared_partnership(actor, partnership_id)
    case = _cases(actor).filter(partnership_id=partnership_id, pk=case_id).first()
    if case is None:
        raise NotFound(_("Case not found."))
    return case


def option_list(actor: Actor, partnership_id: int, case_id: int) -> QuerySet[CaseOption]:
    """The options of a case, in the order they were proposed."""
    case_get(actor, partnership_id, case_id)
    return (
        restrict(CaseOption.objects.all(), actor)
        .filter(partnership_id=partnership_id, case_id=case_id)
        .select_related("created_by")
        .order_by("created_at", "id")
    )


def option_get(actor: Actor, partnership_id: int, case_id: int, option_id: int) -> CaseOption:
    option = option_list(actor, partnership_id, case_id).filter(pk=option_id).first()
    if option is None:
        raise NotFound(_("Option not found."))
    return option


@dataclass(frozen=True)
class RootCauseCount:
    """How often one root-cause category came back in the partnership's cases of the last year."""

    root_cause: str
    label: str
    count: int
    recurring: bool


def root_causes(actor: Actor, partnership_id: int, *, now: dt.datetime | None = None) -> list[RootCauseCount]:
    """Cases per root-cause category in the last 12 months, most frequent first; ≥3 is recurring."""
    shared_partnership(actor, partnership_id)
    since = (now or timezone.now()) - dt.timedelta(days=365)
    rows = (
        restrict(Case.objects.all(), actor)
        .filter(partnership_id=partnership_id, created_at__gte=since)
        .exclude(root_cause="")
        .values("root_cause")
        .annotate(count=Count("id"))
        .order_by("-count", "root_cause")
    )
    labels = dict(CaseRootCause.choices)
    return [
        RootCauseCount(
            root_cause=row["root_cause"],
            label=str(labels.get(row["root_cause"], row["root_cause"])),
            count=row["count"],
            recurring=row["count"] >= RECURRING_AT,
        )
        for row in rows
    ]


def case_summary(actor: Actor, partnership: Partnership) -> dict[str, Any]:
    """Counts for the overview card, in one query."""
    now = timezone.now()
    return (
        restrict(Case.objects.all(), actor)
        .filter(partnership=partnership)
        .aggregate(
            open=Count("id", filter=Q(status__in=ACTIVE_STATUSES)),
            breached=Count("id", filter=Q(status__in=ACTIVE_STATUSES, sla_due_at__lt=now)),
            resolved=Count("id", filter=Q(status=CaseStatus.RESOLVED)),
            closed=Count("id", filter=Q(status=CaseStatus.CLOSED)),
            unconfirmed=Count("id", filter=Q(outcome_confirmed_at__isnull=True, status__in=ACTIVE_STATUSES)),
        )
    )


def risk_choices(actor: Actor, partnership_id: int) -> list[tuple[int, str]]:
    """The partnership's risks the actor may see, for "anticipated by"."""
    return list(
        restrict(Risk.objects.all(), actor)
        .filter(partnership_id=partnership_id)
        .order_by("title")
        .values_list("pk", "title")
    )


def customer_people(partnership: Partnership) -> list[tuple[int, str]]:
    """Active members of the customer side, for "who stated the desired outcome"."""
    return [
        (m.pk, m.user.get_full_name() or m.user.email)
        for m in Membership.objects.filter(organisation_id=partnership.customer_id, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]
