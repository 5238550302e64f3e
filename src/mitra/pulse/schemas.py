"""Input and output shapes of the pulse API. Results carry no respondent: only counts and averages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from mitra.core.api import Id, Storable
from mitra.partnerships.models import Side
from mitra.pulse.models import PulseRound

Score = Annotated[int, Field(ge=1, le=5, description="1 (very poor) to 5 (excellent)")]
Comment = Annotated[str, Field(max_length=1000), Storable]


class BridgeRef(Schema):
    id: int
    supplier_department: str
    customer_department: str

    @staticmethod
    def resolve_supplier_department(obj: Any) -> str:
        return obj.supplier_department.name

    @staticmethod
    def resolve_customer_department(obj: Any) -> str:
        return obj.customer_department.name


class PulseRoundOut(Schema):
    id: int
    quarter: str = Field(description="Like 2026Q4")
    opened_at: dt.datetime
    closes_at: dt.datetime
    is_open: bool
    answers: int = Field(description="How many answers the round has, on all bridges and both sides")

    @staticmethod
    def resolve_answers(obj: PulseRound) -> int:
        return getattr(obj, "answers", 0)


class PulseRoundDetailOut(PulseRoundOut):
    my_pending_bridges: list[BridgeRef] = Field(
        description="The bridges you are on and have not answered for yet in this round"
    )


class PulseAnswerIn(Schema):
    bridge_id: Id
    trust: Score
    commitment: Score
    satisfaction: Score
    cooperation: Score
    conflict_handling: Score = Field(description="How conflicts are handled, 1–5")
    comment: Comment = ""


class PulseAnswerOut(Schema):
    """Your own answer, as stored. It is never shown to anyone else except in aggregate."""

    id: int
    round_id: int
    bridge_id: int | None
    side: Side
    trust: int
    commitment: int
    satisfaction: int
    cooperation: int
    conflict_handling: int
    comment: str
    answered_at: dt.datetime


class GroupResult(Schema):
    """One group's result. ``suppressed`` (``null`` averages and count, no comments) below three people,
    and while the round is still open."""

    side: Side
    answers: int | None = Field(description="How many answers the result is made of; null when suppressed")
    suppressed: bool
    trust: float | None
    commitment: float | None
    satisfaction: float | None
    cooperation: float | None
    conflict_handling: float | None
    overall: float | None = Field(description="The mean of the five averages")
    comments: list[str] = Field(description="Comments without names, only when not suppressed")


class BridgeResult(Schema):
    bridge: BridgeRef
    supplier: GroupResult
    customer: GroupResult


class TrendPoint(Schema):
    round_id: int
    quarter: str
    supplier: GroupResult
    customer: GroupResult


class PulseResultsOut(Schema):
    round: PulseRoundOut
    published: bool = Field(description="False while the round is open: results are shown once it closes")
    min_answers: int = Field(description="Results are withheld for groups with fewer people than this")
    sides: list[GroupResult]
    bridges: list[BridgeResult]
    trend: list[TrendPoint] = Field(description="Every closed round's result per side, oldest first")
