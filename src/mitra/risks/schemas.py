"""Input and output shapes of the risk register API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from mitra.accounts.schemas import In
from mitra.core.api import Id, Storable
from mitra.partnerships.models import Side
from mitra.risks.models import RiskStatus

Title = Annotated[str, Field(min_length=1, max_length=200), Storable]
LongText = Annotated[str, Field(max_length=4000), Storable]
Signal = Annotated[str, Field(max_length=300), Storable]
Scale = Annotated[int, Field(ge=1, le=5)]


class RiskOwnerOut(Schema):
    """A person: their membership id (use it to set an owner), name and side's organisation."""

    id: int
    full_name: str
    organisation_id: int

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return obj.user.full_name


class RiskOut(Schema):
    id: int
    partnership_id: int
    title: str
    description: str
    likelihood: int
    impact: int
    score: int = Field(description="likelihood × impact, 1–25")
    level: str = Field(description="low (1–7), medium (8–14) or high (15–25)")
    early_signal: str
    response: str
    response_ready: bool = Field(description="A response was agreed beforehand")
    owner: RiskOwnerOut | None
    status: RiskStatus
    raised_by_side: Side
    case_count: int = Field(description="Cases that recorded this risk foresaw them")
    restricted_department_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @staticmethod
    def resolve_case_count(obj: Any) -> int:
        return getattr(obj, "case_count", 0)


class RiskIn(In):
    title: Title
    description: LongText = ""
    likelihood: Scale = 3
    impact: Scale = 3
    early_signal: Signal = ""
    response: LongText = Field("", description="The response both sides agree on before it happens")
    owner_id: Id | None = Field(None, description="Membership id of the owner, on either side")
    restricted_department_id: Id | None = Field(
        None, description="Restrict the risk to one department of your own side (and your admins)"
    )


class RiskPatch(In):
    """Fields left out or null stay as they are; ``owner_id`` sent as null clears the owner."""

    title: Title | None = None
    description: LongText | None = None
    likelihood: Scale | None = None
    impact: Scale | None = None
    early_signal: Signal | None = None
    response: LongText | None = None
    owner_id: Id | None = None
    status: RiskStatus | None = None
    version: Id | None = None
