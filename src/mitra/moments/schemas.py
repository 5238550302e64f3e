"""Input and output shapes of the moments-of-truth API: touchpoints, OTIF, surveys and their scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from mitra.accounts.schemas import In
from mitra.core.api import Id, Storable
from mitra.moments.models import Kind, Outcome, SurveyStatus
from mitra.partnerships.models import Side

Summary = Annotated[str, Field(min_length=1, max_length=300), Storable]
Quantity = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Reference = Annotated[str, Field(max_length=60), Storable]


class MomentPersonOut(Schema):
    """A person: their membership id and who they are."""

    id: int
    full_name: str
    email: str

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return str(obj.user.full_name)

    @staticmethod
    def resolve_email(obj: Any) -> str:
        return str(obj.user.email)


# --- touchpoints ----------------------------------------------------------------------------------------


class TouchpointOut(Schema):
    """A moment of truth. For a delivery, on-time (actual ≤ promised date) and in-full (delivered ≥ promised
    quantity) follow from its dates and quantities; for other kinds they are null."""

    id: int
    partnership_id: int
    kind: Kind
    occurred_at: dt.datetime
    outcome: Outcome
    summary: str
    bridge_id: int | None
    recorded_by_side: Side
    recorded_by: MomentPersonOut | None
    promised_date: dt.date | None
    actual_date: dt.date | None
    promised_quantity: Decimal | None
    delivered_quantity: Decimal | None
    on_time: bool | None
    in_full: bool | None
    reference: str = Field(description="Document number (delivery note, invoice…); empty if none")
    amount: Decimal | None = Field(
        description="Invoices only: the invoice amount, in the supplier's currency"
    )
    due_date: dt.date | None = Field(description="Invoices only: when payment is due")
    paid_date: dt.date | None = Field(description="Invoices only: when it was paid")
    paid_amount: Decimal | None = Field(description="Invoices only: the amount paid")
    paid_on_time: bool | None = Field(description="Invoices only: paid by the due date; null until paid")
    restricted_department_id: int | None
    survey_count: int = Field(description="Surveys sent about this moment")
    answered_count: int = Field(description="Of which answered")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class TouchpointIn(In):
    kind: Kind
    summary: Summary
    occurred_at: dt.datetime | None = Field(None, description="When it happened; now if left out")
    outcome: Outcome = Outcome.NEUTRAL
    bridge_id: Id | None = None
    promised_date: dt.date | None = Field(None, description="Deliveries only (required for them)")
    actual_date: dt.date | None = Field(None, description="Deliveries only (required for them)")
    promised_quantity: Quantity | None = Field(None, description="Deliveries only (required for them)")
    delivered_quantity: Quantity | None = Field(None, description="Deliveries only (required for them)")
    reference: Reference = Field(
        "", description="Document number, unique per partnership and kind (e.g. INV/2026/00123)"
    )
    amount: Money | None = Field(None, description="Invoices only")
    due_date: dt.date | None = Field(None, description="Invoices only (required once paid)")
    paid_date: dt.date | None = Field(None, description="Invoices only; with paid_amount")
    paid_amount: Money | None = Field(None, description="Invoices only; with paid_date")
    restricted_department_id: Id | None = Field(
        None, description="Restrict the record to one department of your own side (and your admins)"
    )


class TouchpointPatch(In):
    """Fields to change; send ``version`` to refuse overwriting a newer edit (409). Null clears the bridge,
    the document number, and the delivery and invoice fields (which only a delivery, resp. an invoice,
    may have)."""

    kind: Kind | None = None
    summary: Summary | None = None
    occurred_at: dt.datetime | None = None
    outcome: Outcome | None = None
    bridge_id: Id | None = None
    promised_date: dt.date | None = None
    actual_date: dt.date | None = None
    promised_quantity: Quantity | None = None
    delivered_quantity: Quantity | None = None
    reference: Reference | None = None
    amount: Money | None = None
    due_date: dt.date | None = None
    paid_date: dt.date | None = None
    paid_amount: Money | None = None
    version: Id | None = None


# --- OTIF -----------------------------------------------------------------------------------------------


class OtifRowOut(Schema):
    month: dt.date | None = Field(description="First day of the month; null for the total")
    deliveries: int
    on_time: int
    in_full: int
    otif: int = Field(description="Deliveries both on time and in full")
    on_time_percent: float | None
    in_full_percent: float | None
    otif_percent: float | None


class OtifOut(Schema):
    months: list[OtifRowOut]
    total: OtifRowOut


# --- payments -------------------------------------------------------------------------------------------


class MomentsPaymentRowOut(Schema):
    month: dt.date | None = Field(description="First day of the month of payment; null for the total")
    paid: int = Field(description="Invoices paid")
    on_time: int = Field(description="Of which paid by their due date")
    late: int
    on_time_percent: float | None
    average_days_late: float | None = Field(description="Over the invoices paid late")
    overdue: int = Field(description="Total only: unpaid invoices past their due date today")


class MomentsPaymentsOut(Schema):
    months: list[MomentsPaymentRowOut]
    total: MomentsPaymentRowOut


# --- surveys --------------------------------------------------------------------------------------------


class SurveyOut(Schema):
    """A survey request. The link's token is never shown: only the recipient gets it, by e-mail."""

    id: int
    partnership_id: int
    touchpoint_id: int
    recipient: MomentPersonOut | None
    recipient_side: Side
    sent_by: MomentPersonOut | None
    sent_by_side: Side
    status: SurveyStatus
    expires_at: dt.datetime
    email_sent_at: dt.datetime | None
    answered_at: dt.datetime | None
    csat: int | None = Field(description="Satisfaction, 1–5")
    nps: int | None = Field(description="Likelihood to recommend, 0–10")
    comment: str
    created_at: dt.datetime


class SurveyIn(In):
    touchpoint_id: Id
    recipient_id: Id = Field(description="Membership id of a person of the other side")


class ScoresOut(Schema):
    month: dt.date | None = Field(description="First day of the month; null for the total")
    answers: int
    satisfied: int = Field(description="Answers with satisfaction 4 or 5")
    promoters: int = Field(description="Answers with 9 or 10 to recommend")
    passives: int
    detractors: int = Field(description="Answers with 0 to 6 to recommend")
    csat: float | None = Field(description="Share of satisfied answers, in %")
    nps: float | None = Field(description="% promoters − % detractors (−100…100)")


class SurveyScoresOut(Schema):
    months: list[ScoresOut]
    total: ScoresOut
