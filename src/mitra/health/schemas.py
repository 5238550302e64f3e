"""The health API's answers. Nothing in them depends on the side of the reader."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


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
