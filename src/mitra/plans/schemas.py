"""Input and output shapes of the joint business plan API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from mitra.accounts.schemas import In
from mitra.core.api import Id, Storable
from mitra.partnerships.models import Side
from mitra.plans.models import MAX_YEAR, MIN_YEAR, PlanStatus

Title = Annotated[str, Field(min_length=1, max_length=200), Storable]
KpiName = Annotated[str, Field(min_length=1, max_length=120), Storable]
Unit = Annotated[str, Field(max_length=30), Storable]
Note = Annotated[str, Field(max_length=2000), Storable]
Notes = Annotated[str, Field(max_length=4000), Storable]
Amount = Annotated[
    Decimal,
    Field(
        max_digits=18, decimal_places=2, ge=Decimal("-9999999999999999.99"), le=Decimal("9999999999999999.99")
    ),
]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]


class PlanUserRef(Schema):
    id: int
    full_name: str


class PlanSideAgreement(Schema):
    agreed: bool
    agreed_at: dt.datetime | None
    agreed_by: PlanUserRef | None


class PlanGoalOut(Schema):
    id: int
    side: Side
    title: str
    kpi_name: str
    unit: str
    baseline: Decimal | None
    target: Decimal
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


class PlanGoalSnapshot(Schema):
    """A goal as both sides agreed to it in one version."""

    id: int | None = None
    side: Side
    title: str
    kpi_name: str
    unit: str
    baseline: Decimal | None
    target: Decimal
    note: str


class PlanVersionOut(Schema):
    number: int
    agreed_at: dt.datetime
    supplier_agreed_at: dt.datetime
    customer_agreed_at: dt.datetime
    goals: list[PlanGoalSnapshot]


class PlanReviewOut(Schema):
    id: int
    held_on: dt.date
    notes: str
    recorded_by_side: Side
    created_at: dt.datetime


def _agreement(plan: Any, side: str) -> dict[str, Any]:
    user = plan.agreed_by(side)
    at = plan.agreed_at(side)
    return {
        "agreed": at is not None,
        "agreed_at": at,
        "agreed_by": {"id": user.pk, "full_name": user.full_name} if user is not None else None,
    }


class PlanOut(Schema):
    id: int
    partnership_id: int
    year: int
    status: PlanStatus
    agreed_version: int = Field(description="Number of the latest version both sides agreed to (0: none yet)")
    supplier: PlanSideAgreement
    customer: PlanSideAgreement
    supplier_goals: int
    customer_goals: int
    last_review: dt.date | None
    next_review_date: dt.date = Field(
        description="Last review (or 1 January) plus the charter's review cadence"
    )
    review_overdue: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = Field(description="Changes with every edit; send it to agree to the plan as you read it")

    @staticmethod
    def resolve_supplier(obj: Any) -> dict[str, Any]:
        return _agreement(obj, Side.SUPPLIER)

    @staticmethod
    def resolve_customer(obj: Any) -> dict[str, Any]:
        return _agreement(obj, Side.CUSTOMER)

    @staticmethod
    def resolve_last_review(obj: Any) -> dt.date | None:
        return obj.last_review_date


class PlanDetailOut(PlanOut):
    goals: list[PlanGoalOut]
    versions: list[PlanVersionOut]
    reviews: list[PlanReviewOut]

    @staticmethod
    def resolve_goals(obj: Any) -> list[Any]:
        return list(obj.goals.all())

    @staticmethod
    def resolve_versions(obj: Any) -> list[Any]:
        return list(obj.versions.all())

    @staticmethod
    def resolve_reviews(obj: Any) -> list[Any]:
        return list(obj.reviews.all())


class PlanIn(In):
    year: Year


class PlanGoalIn(In):
    title: Title
    kpi_name: KpiName
    unit: Unit = ""
    baseline: Amount | None = None
    target: Amount
    note: Note = ""


class PlanGoalPatch(In):
    """Fields left out or null stay as they are; ``baseline`` sent as null is cleared."""

    title: Title | None = None
    kpi_name: KpiName | None = None
    unit: Unit | None = None
    baseline: Amount | None = None
    target: Amount | None = None
    note: Note | None = None
    version: Id | None = None


class PlanAgreeIn(In):
    version: Id | None = Field(None, description="The plan's version as you read it: 409 if it changed since")


class PlanReviewIn(In):
    held_on: dt.date
    notes: Notes = ""
