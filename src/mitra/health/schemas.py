"""The health API's answers. Nothing in them depends on the side of the reader."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class DriverOut(Schema):
    rank: int
    dimension: str
    component: str
    source: str
    metrics: list[str]
    value: float | None
    previous: float | None
    contribution: float


class HealthOut(Schema):
    week: dt.date
    score: float | None
    band: str
    delta_1w: float | None
    delta_4w: float | None
    dimensions: dict[str, float | None]
    drivers: list[DriverOut]
    weights: dict[str, float]


class HealthPointOut(Schema):
    week: dt.date
    score: float | None
    band: str
    delta_1w: float | None
    delta_4w: float | None
    dimensions: dict[str, float | None]


class HealthSettingsOut(Schema):
    weights: dict[str, float]
    red_below: float
    green_from: float
    is_default: bool
    agreed_at: dt.datetime | None
    proposed_weights: dict[str, float] | None
    proposed_red_below: float | None
    proposed_green_from: float | None
    proposed_by_side: str
    proposed_at: dt.datetime | None
    proposal_note: str
    version: int


class HealthSettingsIn(Schema):
    weights: dict[str, float] = Field(
        description="One non-negative weight per dimension (any scale; stored as fractions summing to 1)"
    )
    red_below: float = Field(description="Scores below this are red (0–100)")
    green_from: float = Field(description="Scores from this are green (0–100)")
    note: str = ""
    version: int | None = Field(None, description="The settings version you read (optimistic locking)")


class HealthVersionIn(Schema):
    version: int | None = None


class HealthSuggestionOut(Schema):
    title: str
    owner_side: str
    due_in_days: int
    due_date: dt.date
    owner_id: int | None


class HealthAlertOut(Schema):
    id: int
    type: str
    reason: str
    message: str
    priority: str
    dimension: str
    side: str
    value: float | None
    status: str
    week: dt.date
    opened_week: dt.date
    opened_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_side: str
    closed_at: dt.datetime | None
    closed_why: str
    adopted_at: dt.datetime | None
    commitment_ids: list[int]


class HealthAlertDetailOut(HealthAlertOut):
    suggestions: list[HealthSuggestionOut]


class HealthAdoptIn(Schema):
    owners: dict[str, int] = Field(
        default_factory=dict,
        description="Optional owner (membership id) per side: {'supplier': 12, 'customer': 34}",
    )


class HealthSparkPointOut(Schema):
    week: dt.date
    score: float | None


class HealthPortfolioDriverOut(Schema):
    dimension: str
    component: str
    source: str
    contribution: float


class HealthPortfolioOut(Schema):
    partnership_id: int
    partner_id: int
    partner_name: str
    side: str
    status: str
    week: dt.date | None
    score: float | None
    band: str
    delta_1w: float | None
    delta_4w: float | None
    top_driver: HealthPortfolioDriverOut | None
    open_alerts: int
    top_priority: str | None
    sparkline: list[HealthSparkPointOut]
