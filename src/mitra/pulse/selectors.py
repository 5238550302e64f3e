"""Reads of the relationship pulse: rounds, who still has to answer, and the results in aggregate only.

No result ever names a person: answers are aggregated per side and per side of a bridge in the database,
and a group's averages (and comments) are withheld while fewer than ``MIN_ANSWERS`` people answered in it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Membership, Role
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import Bridge, Partnership, Side
from mitra.partnerships.workspace import shared_partnership
from mitra.pulse.models import MIN_ANSWERS, SCORE_FIELDS, PulseResponse, PulseRound, current_quarter

WRITER_ROLES = (Role.ADMIN, Role.MEMBER)


# --- rounds -------------------------------------------------------------------------------------------------


def pulse_round_list(actor: Actor, partnership_id: int) -> QuerySet[PulseRound]:
    partnership = shared_partnership(actor, partnership_id)
    return (
        restrict(PulseRound.objects.all(), actor)
        .filter(partnership=partnership)
        .annotate(answers=Count("responses"))
        .order_by("-quarter", "-id")
    )


def pulse_round_get(actor: Actor, partnership_id: int, round_id: int) -> PulseRound:
    partnership = shared_partnership(actor, partnership_id)
    found = (
        restrict(PulseRound.objects.all(), actor)
        .filter(partnership=partnership, pk=round_id)
        .select_related("partnership")
        .annotate(answers=Count("responses"))
        .first()
    )
    if found is None:
        raise NotFound(_("Pulse round not found."))
    return found


def pulse_round_current(actor: Actor, partnership: Partnership) -> PulseRound | None:
    """This quarter's round of a partnership the caller already reached through ``shared_partnership``."""
    return (
        restrict(PulseRound.objects.all(), actor)
        .filter(partnership=partnership, quarter=current_quarter())
        .annotate(answers=Count("responses"))
        .first()
    )


# --- respondents --------------------------------------------------------------------------------------------


def respondent_q(membership_id: int, prefix: str = "") -> Q:
    """Bridges on which ``membership_id`` answers: they own an end or work in one of the two departments."""
    return (
        Q(**{f"{prefix}supplier_owner_id": membership_id})
        | Q(**{f"{prefix}customer_owner_id": membership_id})
        | Q(**{f"{prefix}supplier_department__members": membership_id})
        | Q(**{f"{prefix}customer_department__members": membership_id})
    )


def my_bridges(actor: Actor, partnership: Partnership) -> QuerySet[Bridge]:
    """The bridges of the partnership the actor answers the pulse for (none for viewers)."""
    if actor.role not in WRITER_ROLES:
        return Bridge.objects.none()
    ids = (
        restrict(Bridge.objects.all(), actor)
        .filter(partnership=partnership)
        .filter(respondent_q(actor.membership.pk))
        .values("pk")
    )
    return Bridge.objects.filter(pk__in=ids).select_related("supplier_department", "customer_department")


def my_pending_bridges(actor: Actor, pulse_round: PulseRound) -> QuerySet[Bridge]:
    """The bridges the actor still has to answer for in this round."""
    answered = PulseResponse.objects.filter(
        round=pulse_round, bridge=OuterRef("pk"), respondent=actor.membership
    )
    return (
        my_bridges(actor, pulse_round.partnership)
        .filter(~Exists(answered))
        .order_by("supplier_department__name", "customer_department__name")
    )


def is_respondent(actor: Actor, bridge: Bridge) -> bool:
    return my_bridges(actor, bridge.partnership).filter(pk=bridge.pk).exists()


def round_respondents(pulse_round: PulseRound) -> QuerySet[Membership]:
    """Everyone who answers this round (system use, for the invitations): owners of either end of a bridge
    and the active members of the bridged departments, on both sides."""
    bridges = Bridge.objects.filter(partnership_id=pulse_round.partnership_id)
    ids = Membership.objects.filter(
        Q(pk__in=bridges.values("supplier_owner"))
        | Q(pk__in=bridges.values("customer_owner"))
        | Q(departments__in=bridges.values("supplier_department"))
        | Q(departments__in=bridges.values("customer_department"))
    ).values("pk")
    return (
        Membership.objects.filter(pk__in=ids, is_active=True, role__in=WRITER_ROLES, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("pk")
    )


# --- results ------------------------------------------------------------------------------------------------


def _aggregates() -> dict[str, Any]:
    overall = sum(
        (Cast(name, FloatField()) for name in SCORE_FIELDS[1:]), Cast(SCORE_FIELDS[0], FloatField())
    )
    return {
        "answers": Count("id"),
        "people": Count("respondent", distinct=True),
        # Named apart from the fields: an annotation called ``trust`` would shadow the column.
        **{f"avg_{name}": Avg(name) for name in SCORE_FIELDS},
        "avg_overall": Avg(overall / len(SCORE_FIELDS)),
    }


def _cell(row: dict[str, Any] | None, side: str) -> dict[str, Any]:
    """A group's result, with its averages withheld when fewer than ``MIN_ANSWERS`` people answered."""
    row = row or {}
    answers = row.get("answers", 0)
    suppressed = row.get("people", 0) < MIN_ANSWERS
    cell: dict[str, Any] = {"side": side, "answers": answers, "suppressed": suppressed}
    for name in (*SCORE_FIELDS, "overall"):
        value = row.get(f"avg_{name}")
        cell[name] = None if suppressed or value is None else round(float(value), 2)
    cell["comments"] = []
    return cell


def _responses(actor: Actor, partnership: Partnership) -> QuerySet[PulseResponse]:
    return restrict(PulseResponse.objects.all(), actor).filter(partnership=partnership)


def pulse_results(actor: Actor, pulse_round: PulseRound) -> dict[str, Any]:
    """Per side and per side of each bridge: averages of each question and how many answered (3 queries)."""
    responses = _responses(actor, pulse_round.partnership).filter(round=pulse_round)
    by_side = {row["side"]: row for row in responses.values("side").annotate(**_aggregates()).order_by()}
    sides = [_cell(by_side.get(side), side) for side in Side.values]
    comments = responses.exclude(comment="").order_by("side", "comment").values_list("side", "comment")
    shown = {cell["side"]: cell for cell in sides if not cell["suppressed"]}
    for side, comment in comments:
        if side in shown:
            shown[side]["comments"].append(comment)

    cells = {
        (row["bridge_id"], row["side"]): row
        for row in responses.filter(bridge__isnull=False)
        .values("bridge_id", "side")
        .annotate(**_aggregates())
        .order_by()
    }
    bridges = (
        restrict(Bridge.objects.all(), actor)
        .filter(partnership=pulse_round.partnership)
        .select_related("supplier_department", "customer_department")
        .order_by("supplier_department__name", "customer_department__name")
    )
    by_bridge = [
        {
            "bridge": bridge,
            "supplier": _cell(cells.get((bridge.pk, Side.SUPPLIER)), Side.SUPPLIER),
            "customer": _cell(cells.get((bridge.pk, Side.CUSTOMER)), Side.CUSTOMER),
        }
        for bridge in bridges
    ]
    return {"round": pulse_round, "min_answers": MIN_ANSWERS, "sides": sides, "bridges": by_bridge}


def pulse_trend(actor: Actor, partnership: Partnership) -> list[dict[str, Any]]:
    """Each round's result per side, oldest first (one query), suppressed like the results."""
    rows = (
        _responses(actor, partnership)
        .values("round_id", "round__quarter", "side")
        .annotate(**_aggregates())
        .order_by("round__quarter", "side")
    )
    rounds: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = rounds.setdefault(
            row["round_id"],
            {
                "round_id": row["round_id"],
                "quarter": row["round__quarter"],
                **{side: _cell(None, side) for side in Side.values},
            },
        )
        entry[row["side"]] = _cell(row, row["side"])
    return list(rounds.values())


def pulse_summary(actor: Actor, partnership: Partnership) -> dict[str, Any] | None:
    """The latest round's per-side result, for the partnership's overview card (2 queries)."""
    latest = (
        restrict(PulseRound.objects.all(), actor).filter(partnership=partnership).order_by("-quarter").first()
    )
    if latest is None:
        return None
    by_side = {
        row["side"]: row
        for row in _responses(actor, partnership)
        .filter(round=latest)
        .values("side")
        .annotate(**_aggregates())
        .order_by()
    }
    return {"round": latest, "sides": [_cell(by_side.get(side), side) for side in Side.values]}


def is_open_now(pulse_round: PulseRound) -> bool:
    return pulse_round.is_open_at(timezone.now())
