"""Input and output shapes of the improvement API: initiatives and their KPI measurements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from mitra.accounts.schemas import DepartmentOut, In
from mitra.core.api import Id, Storable
from mitra.improvement.models import KPI_DIGITS, KPI_PLACES, Direction, InitiativeStatus, Stage
from mitra.partnerships.models import Side

Title = Annotated[str, Field(min_length=1, max_length=200), Storable]
Description = Annotated[str, Field(max_length=4000), Storable]
KpiName = Annotated[str, Field(min_length=1, max_length=120), Storable]
Unit = Annotated[str, Field(max_length=30), Storable]
Note = Annotated[str, Field(max_length=300), Storable]
Number = Annotated[
    Decimal,
    Field(
        ge=Decimal("-99999999999999"),
        le=Decimal("99999999999999"),
        max_digits=KPI_DIGITS,
        decimal_places=KPI_PLACES,
    ),
]
# Dates within a sane range, so that a year 1 or 9999 is bad input rather than an overflow.
Day = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))]


class InitiativeOwnerOut(Schema):
    """An owner: their membership id (use it to set an owner) and who they are."""

    id: int
    full_name: str
    email: str

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj: Any) -> str:
        return obj.user.email


class InitiativeCaseOut(Schema):
    id: int
    title: str


class InitiativeOut(Schema):
    """An initiative with its KPI, latest measurement and progress (0–100 % of the way to the target)."""

    id: int
    partnership_id: int
    title: str
    description: str
    stage: Stage
    cycle: int = Field(description="PDCA cycle, 1 for the first; act → plan starts the next")
    status: InitiativeStatus
    supplier_owner: InitiativeOwnerOut | None
    customer_owner: InitiativeOwnerOut | None
    start_date: dt.date
    target_date: dt.date
    kpi_name: str
    kpi_unit: str
    direction: Direction
    baseline: float
    target: float
    latest_value: float | None
    latest_on: dt.date | None
    progress: float | None = Field(
        description="Share of the way from baseline to target of the latest measurement, 0–100"
    )
    source_cases: list[InitiativeCaseOut]
    created_side: Side
    restricted_department: DepartmentOut | None
    closed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @staticmethod
    def resolve_source_cases(obj: Any) -> list[Any]:
        return list(obj.source_cases.all())

    @staticmethod
    def resolve_progress(obj: Any) -> float | None:
        return None if obj.progress is None else round(obj.progress, 1)


class MeasurementOut(Schema):
    id: int
    initiative_id: int
    measured_on: dt.date
    value: float
    note: str
    recorded_by: str
    recorded_side: Side
    created_at: dt.datetime

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str:
        return obj.recorded_by.full_name if obj.recorded_by else ""


class InitiativeIn(In):
    """Start an initiative. Owners are membership ids: an active member of each side."""

    title: Title
    description: Description = ""
    supplier_owner_id: Id = Field(description="Membership id of the supplier-side owner")
    customer_owner_id: Id = Field(description="Membership id of the customer-side owner")
    start_date: Day
    target_date: Day
    kpi_name: KpiName
    kpi_unit: Unit = ""
    direction: Direction
    baseline: Number
    target: Number = Field(description="Above the baseline to increase, below it to decrease")
    source_case_ids: list[Id] = Field(
        default_factory=list, max_length=50, description="Cases of this partnership it starts from"
    )
    restricted_department_id: Id | None = Field(
        None, description="Restrict the initiative to one department of your own side (and your admins)"
    )


class InitiativePatch(In):
    """Fields left out or null stay as they are. ``status`` completed or abandoned closes it for good."""

    title: Title | None = None
    description: Description | None = None
    supplier_owner_id: Id | None = None
    customer_owner_id: Id | None = None
    start_date: Day | None = None
    target_date: Day | None = None
    kpi_name: KpiName | None = None
    kpi_unit: Unit | None = None
    direction: Direction | None = None
    baseline: Number | None = None
    target: Number | None = None
    status: InitiativeStatus | None = None
    version: Id | None = None


class InitiativeStageIn(In):
    stage: Stage = Field(description="The next stage: plan → do → check → act → plan")
    version: Id | None = None


class MeasurementIn(In):
    measured_on: Day
    value: Number
    note: Note = ""
