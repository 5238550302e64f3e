"""Reads of the relationship pulse: rounds, who still has to answer, and the results in aggregate only.

No result ever names a person: answers are aggregated per side and per side of a bridge in the database,
and a group's averages (and comments) are withheld while fewer than ``MIN_ANSWERS`` people answered in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Exists, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Membership, Role
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict, restriction_q
from mitra.partnerships.models import Bridge, Partnership, Side
from mitra.partnerships.workspace import shared_partnership
from mitra.pulse.models import MIN_ANSWERS, SCORE_FIELDS, PulseResponse, PulseRound, current_quarter

WRITER_ROLES = (Role.ADMIN, Role.MEMBER)


# --- rounds -------------------------------------------------------------------------------------------------


def _answers(actor: Actor) -> Count:
    """How many answers a round has that the actor may see: an answer on a bridge restricted to a department
    is counted only for those who see that bridge."""
    return Count("responses", filter=restriction_q(actor, prefix="responses__"))


def pulse_round_list(actor: Actor, partnership_id: int) -> QuerySet[PulseRound]:
    partnership = shared_partnership(actor, partnership_id)
    return (
        restrict(PulseRound.objects.all(), actor)
        .filter(partnership=partnership)
        .annotate(answers=_answers(actor))
        .order_by("-quarter", "-id")
    )


def pulse_round_get(actor: Actor, partnership_id: int, round_id: int) -> PulseRound:
    partnership = shared_partnership(actor, partnership_id)
    found = (
        restrict(PulseRound.objects.all(), actor)
        .filter(partnership=partnership, pk=round_id)
        .select_related("partnership")
        .annotate(answers=_answers(actor))
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
        .annotate(answers=_answers(actor))
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


def _shown(responses: QuerySet[PulseResponse]) -> QuerySet[PulseResponse]:
    """``responses`` with ``shown``: whether the answer's group (its round, bridge and side) has at least
    ``MIN_ANSWERS`` people among the answers the actor may see.

    A side's result is aggregated from shown groups only. Otherwise the side's averages minus its shown
    bridges' averages would give away the answers of a suppressed bridge, down to one person's scores.
    """
    group_people = (
        responses.filter(round=OuterRef("round"), bridge=OuterRef("bridge"), side=OuterRef("side"))
        .order_by()
        .values("round")
        .annotate(n=Count("respondent", distinct=True))
        .values("n")
    )
    return responses.annotate(group_people=Subquery(group_people))


def _aggregates(only_shown: bool = False) -> dict[str, Any]:
    """Counts and averages of a group. With ``only_shown`` (a side: over several bridges), everything comes
    from shown groups only (see ``_shown``)."""
    overall = sum(
        (Cast(name, FloatField()) for name in SCORE_FIELDS[1:]), Cast(SCORE_FIELDS[0], FloatField())
    )
    shown = Q(group_people__gte=MIN_ANSWERS) if only_shown else None
    return {
        "answers": Count("id", filter=shown),
        "people": Count("respondent", distinct=True, filter=shown),
        # Named apart from the fields: an annotation called ``trust`` would shadow the column.
        **{f"avg_{name}": Avg(name, filter=shown) for name in SCORE_FIELDS},
        "avg_overall": Avg(overall / len(SCORE_FIELDS), filter=shown),
    }


def _cell(row: dict[str, Any] | None, side: str, withheld: bool = False) -> dict[str, Any]:
    """A group's result. Below ``MIN_ANSWERS`` people (or while its round is still open: ``withheld``) it is
    suppressed: no averages, no comments, and not even how many answered, which could tell that the one
    person at a bridge's end took part."""
    row = row or {}
    suppressed = withheld or row.get("people", 0) < MIN_ANSWERS
    cell: dict[str, Any] = {
        "side": side,
        "answers": None if suppressed else row.get("answers", 0),
        "suppressed": suppressed,
    }
    for name in (*SCORE_FIELDS, "overall"):
        value = row.get(f"avg_{name}")
        cell[name] = None if suppressed or value is None else round(float(value), 2)
    cell["comments"] = []
    return cell


def is_published(pulse_round: PulseRound, now: dt.datetime | None = None) -> bool:
    """Results are shown once the round has closed. While it takes answers, each new answer would change
    the averages, and the change would give that one person's scores away."""
    return (now or timezone.now()) >= pulse_round.closes_at


def _responses(actor: Actor, partnership: Partnership) -> QuerySet[PulseResponse]:
    return restrict(PulseResponse.objects.all(), actor).filter(partnership=partnership)


def pulse_results(actor: Actor, pulse_round: PulseRound) -> dict[str, Any]:
    """Per side and per side of each bridge: averages of each question and how many answered (3 queries).
    Everything is withheld while the round is open."""
    withheld = not is_published(pulse_round)
    responses = _responses(actor, pulse_round.partnership).filter(round=pulse_round)
    by_side = {
        row["side"]: row
        for row in _shown(responses).values("side").annotate(**_aggregates(only_shown=True)).order_by()
    }
    sides = [_cell(by_side.get(side), side, withheld) for side in Side.values]
    comments = (
        _shown(responses)
        .filter(Q(group_people__gte=MIN_ANSWERS))
        .exclude(comment="")
        .order_by("side", "comment")
        .values_list("side", "comment")
    )
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
            "supplier": _cell(cells.get((bridge.pk, Side.SUPPLIER)), Side.SUPPLIER, withheld),
            "customer": _cell(cells.get((bridge.pk, Side.CUSTOMER)), Side.CUSTOMER, withheld),
        }
        for bridge in bridges
    ]
    return {
        "round": pulse_round,
        "published": not withheld,
        "min_answers": MIN_ANSWERS,
        "sides": sides,
        "bridges": by_bridge,
    }


def pulse_trend(actor: Actor, partnership: Partnership) -> list[dict[str, Any]]:
    """Each closed round's result per side, oldest first (one query), suppressed like the results."""
    rows = (
        _shown(_responses(actor, partnership).filter(round__closes_at__lte=timezone.now()))
        .values("round_id", "round__quarter", "side")
        .annotate(**_aggregates(only_shown=True))
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
    """The latest closed round's per-side result, for the partnership's overview card (2 queries)."""
    latest = (
        restrict(PulseRound.objects.all(), actor)
        .filter(partnership=partnership, closes_at__lte=timezone.now())
        .order_by("-quarter")
        .first()
    )
    if latest is None:
        return None
    by_side = {
        row["side"]: row
        for row in _shown(_responses(actor, partnership).filter(round=latest))
        .values("side")
        .annotate(**_aggregates(only_shown=True))
        .order_by()
    }
    return {"round": latest, "sides": [_cell(by_side.get(side), side) for side in Side.values]}


def is_open_now(pulse_round: PulseRound) -> bool:
    return pulse_round.is_open_at(timezone.now())
