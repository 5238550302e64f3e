"""The relationship pulse API, under /api/v1/partnerships/{partnership_id}/pulse…

Reads go through ``selectors`` (scoped to the caller's partnerships), writes through ``services``. Results
never name a respondent: they are counts and averages, withheld below three people.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from mitra.core.api import Id, Page, actor_of, errors
from mitra.pulse import selectors, services
from mitra.pulse.models import PulseResponse, PulseRound
from mitra.pulse.schemas import (
    PulseAnswerIn,
    PulseAnswerOut,
    PulseResultsOut,
    PulseRoundDetailOut,
    PulseRoundOut,
)

router = Router(tags=["pulse"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)


@router.get(
    "/partnerships/{partnership_id}/pulse",
    response={200: list[PulseRoundOut], **READ},
    operation_id="pulse_round_list",
)
@paginate(Page)
def pulse_round_list(request: HttpRequest, partnership_id: Id) -> Any:
    """The partnership's pulse rounds, newest quarter first."""
    return selectors.pulse_round_list(actor_of(request), partnership_id)


@router.post(
    "/partnerships/{partnership_id}/pulse",
    response={201: PulseRoundDetailOut, **WRITE},
    operation_id="pulse_round_open",
)
def pulse_round_open(request: HttpRequest, partnership_id: Id) -> Status:
    """Open the current quarter's round now (admins). 409 when it is already open."""
    actor = actor_of(request)
    pulse_round = services.pulse_round_open(actor, partnership_id=partnership_id)
    return Status(201, _detail(actor, partnership_id, pulse_round.pk))


def _detail(actor: Any, partnership_id: int, round_id: int) -> PulseRound:
    pulse_round = selectors.pulse_round_get(actor, partnership_id, round_id)
    pulse_round.my_pending_bridges = list(selectors.my_pending_bridges(actor, pulse_round))  # type: ignore[attr-defined]
    return pulse_round


@router.get(
    "/partnerships/{partnership_id}/pulse/{round_id}",
    response={200: PulseRoundDetailOut, **READ},
    operation_id="pulse_round_get",
)
def pulse_round_get(request: HttpRequest, partnership_id: Id, round_id: Id) -> PulseRound:
    """A round, with the bridges you still have to answer for."""
    return _detail(actor_of(request), partnership_id, round_id)


@router.post(
    "/partnerships/{partnership_id}/pulse/{round_id}/answers",
    response={201: PulseAnswerOut, **WRITE},
    operation_id="pulse_answer",
)
def pulse_answer(request: HttpRequest, partnership_id: Id, round_id: Id, payload: PulseAnswerIn) -> Status:
    """Answer the five questions (1–5) for one bridge you are on. Once per bridge and round (else 409)."""
    response: PulseResponse = services.pulse_answer(
        actor_of(request), partnership_id=partnership_id, round_id=round_id, **payload.model_dump()
    )
    return Status(201, response)


@router.get(
    "/partnerships/{partnership_id}/pulse/{round_id}/results",
    response={200: PulseResultsOut, **READ},
    operation_id="pulse_results",
)
def pulse_results(request: HttpRequest, partnership_id: Id, round_id: Id) -> dict[str, Any]:
    """Averages per side and per side of each bridge, and the trend over rounds. Groups of fewer than
    three people are ``suppressed`` (``null`` averages). Never per person."""
    actor = actor_of(request)
    pulse_round = selectors.pulse_round_get(actor, partnership_id, round_id)
    results = selectors.pulse_results(actor, pulse_round)
    results["trend"] = selectors.pulse_trend(actor, pulse_round.partnership)
    return results
