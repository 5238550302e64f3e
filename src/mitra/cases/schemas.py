"""Input and output shapes of the cases API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from mitra.cases.models import CaseCategory, CaseRootCause, CaseSeverity, CaseStatus, OptionEffort
from mitra.core.api import Id, Storable
from mitra.partnerships.models import Side

Title = Annotated[str, Field(min_length=1, max_length=200), Storable]
LongText = Annotated[str, Field(max_length=4000), Storable]
Summary = Annotated[str, Field(min_length=1, max_length=300), Storable]
Reason = Annotated[str, Field(max_length=2000), Storable]
Value = Annotated[int, Field(ge=-2, le=2, description="−2 (hurts) … +2 (helps a lot)")]


class CaseIn(Schema):
    title: Title
    description: LongText = ""
    severity: CaseSeverity = CaseSeverity.MEDIUM
    category: CaseCategory = CaseCategory.OTHER
    root_cause: CaseRootCause | None = Field(None, description="May be set later")
    desired_outcome: LongText = Field(
        "", description="What the customer really wants most, in the customer's words (required)"
    )
    outcome_stated_by_id: Id | None = Field(
        None, description="The customer-side member who stated it (defaults to you on the customer side)"
    )
    anticipated_by_id: Id | None = Field(None, description="A risk of this partnership that anticipated it")
    restricted_department_id: Id | None = None


class CasePatch(Schema):
    version: Id | None = Field(None, description="The version you read; 409 if it changed since")
    title: Title | None = None
    description: LongText | None = None
    severity: CaseSeverity | None = None
    category: CaseCategory | None = None
    root_cause: CaseRootCause | None = None
    anticipated_by_id: Id | None = None


class CaseOptionIn(Schema):
    summary: Summary
    value_to_customer: Value = 0
    value_to_supplier: Value = 0
    effort: OptionEffort = OptionEffort.MEDIUM


class CaseChooseIn(Schema):
    option_id: Id
    justification: LongText = Field("", description="Required when the option is not win-win")


class CaseResolveIn(Schema):
    resolution_note: LongText = ""


class CaseDisputeIn(Schema):
    reason: Reason


class CaseOptionOut(Schema):
    id: int
    case_id: int
    summary: str
    value_to_customer: int
    value_to_supplier: int
    effort: OptionEffort
    is_win_win: bool
    proposed_by_side: Side
    created_at: dt.datetime
    version: int


class CaseOut(Schema):
    id: int
    partnership_id: int
    title: str
    description: str
    severity: CaseSeverity
    category: CaseCategory
    root_cause: str = Field(description="A root-cause category, or empty while unknown")
    status: CaseStatus
    raised_by_side: Side
    desired_outcome: str
    outcome_stated_by_id: int | None
    outcome_entered_by_side: Side
    outcome_confirmed: bool
    outcome_confirmed_at: dt.datetime | None
    anticipated_by_id: int | None = Field(description="The anticipating risk, when you may see it")
    chosen_option_id: int | None
    justification: str
    resolution_note: str
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    dispute_count: int
    dispute_reason: str
    sla_due_at: dt.datetime
    sla_breached_at: dt.datetime | None
    is_breached: bool
    option_count: int
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @staticmethod
    def resolve_anticipated_by_id(obj: Any) -> int | None:
        return obj.anticipated_by_id if getattr(obj, "risk_visible", False) else None


class CaseRootCauseOut(Schema):
    root_cause: CaseRootCause
    label: str
    count: int
    recurring: bool = Field(description="Seen in at least three cases of the last 12 months")
