"""The eight dimensions of partnership health, each 0–100 from its components.

Every component is a ratio in [0, 1] computed from metric columns (see ``metrics``), shown as 0–100.
A component is NaN when its facts are absent (e.g. on-time rate with no settled commitments). A dimension
is the weighted mean of its *available* components, the component weights renormalised over them, and
is NaN when none is available: a dimension with no data says so, it is never silently 0 or 100.

``COMPONENTS`` is the single source of truth for names, weights, metric columns and the record source
(the app whose records explain the component); ``docs/health.md`` spells out every formula.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mitra.health.engine.frames import capped, lagged, ratio, weighted_mean
from mitra.health.engine.metrics import KEYS

DIMENSIONS: tuple[str, ...] = (
    "commitment",
    "customer_focus",
    "improvement",
    "moments_of_truth",
    "mutual_value",
    "breadth",
    "anticipation",
    "competitive_immunity",
)
CORE_DIMENSIONS: tuple[str, ...] = DIMENSIONS[:-1]  # competitive immunity is built on these

PROACTIVE_TARGET = 0.5  # half the settled commitments offered unasked scores 100
INITIATIVES_TARGET = 2  # two active initiatives score 100
RECURRING_CAP = 4  # four recurring root causes score 0
PEOPLE_TARGET = 6  # six people involved (both sides together) score 100
COMPETITOR_CAP = 4  # four competitor mentions in the window score 0
TREND_WEEKS = 4  # competitive immunity compares the core mean with 4 weeks earlier
TREND_FLAT = 0.75  # a flat core mean scores 75
TREND_SPAN = 40.0  # each point of core change moves the trend component by 1/40 (×100 → 2.5 points)

Formula = Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Component:
    """One fact of a dimension: its weight inside the dimension, the metric columns it is computed from
    (which the Django side links to records), and the app whose records explain it."""

    dimension: str
    name: str
    weight: float
    metrics: tuple[str, ...]
    source: str
    formula: Formula | None  # None: computed from other dimensions (the immunity trend)

    @property
    def key(self) -> str:
        return f"{self.dimension}.{self.name}"


def _pulse(column: str) -> Formula:
    return lambda m: ((m[column].astype("float64") - 1.0) / 4.0).clip(0.0, 1.0)


def _both(m: pd.DataFrame, what: str) -> pd.Series:
    return m[f"supplier_commitments_{what}"] + m[f"customer_commitments_{what}"]


def _touchpoints(m: pd.DataFrame) -> pd.Series:
    # Net positive share: all positive = 1, all neutral = 0.5, all negative = 0.
    t = m["touchpoints"].astype("float64")
    return ((t + m["touchpoints_positive"] - m["touchpoints_negative"]) / (2 * t.where(t > 0))).clip(0, 1)


def _value_data(m: pd.DataFrame) -> pd.Series:
    return (m["value_entries"] > 0) | (m["supplier_value_confirmed"] + m["customer_value_confirmed"] > 0)


def _both_gain(m: pd.DataFrame) -> pd.Series:
    gaining = (m["supplier_value_confirmed"] > 0).astype("float64") + (m["customer_value_confirmed"] > 0)
    return (gaining / 2.0).where(_value_data(m))


def _balance(m: pd.DataFrame) -> pd.Series:
    s, c = m["supplier_value_confirmed"].astype("float64"), m["customer_value_confirmed"].astype("float64")
    return ratio(np.minimum(s, c), np.maximum(s, c))


def _confirmation(m: pd.DataFrame) -> pd.Series:
    entries = m["value_entries"].astype("float64")
    bad = m["value_disputed"] + m["value_unconfirmed_30d"]
    return (1.0 - bad / entries.where(entries > 0)).clip(0.0, 1.0)


def _breadth_data(m: pd.DataFrame) -> pd.Series:
    return (m["bridges_agreed"] > 0) | (m["people_involved"] > 0)


def _trend_from_delta(delta: pd.Series) -> pd.Series:
    return (TREND_FLAT + delta / TREND_SPAN).clip(0.0, 1.0)


C = Component
COMPONENTS: tuple[Component, ...] = (
    # commitment: both sides keep their promises, the receiving side acknowledges, some are offered unasked
    C(
        "commitment",
        "supplier_on_time",
        0.25,
        ("supplier_commitments_kept", "supplier_commitments_settled"),
        "commitments",
        lambda m: ratio(m["supplier_commitments_kept"], m["supplier_commitments_settled"]),
    ),
    C(
        "commitment",
        "customer_on_time",
        0.25,
        ("customer_commitments_kept", "customer_commitments_settled"),
        "commitments",
        lambda m: ratio(m["customer_commitments_kept"], m["customer_commitments_settled"]),
    ),
    C(
        "commitment",
        "acknowledged",
        0.15,
        (
            "supplier_commitments_acknowledged",
            "customer_commitments_acknowledged",
            "supplier_commitments_settled",
            "customer_commitments_settled",
        ),
        "commitments",
        lambda m: ratio(_both(m, "acknowledged"), _both(m, "settled")),
    ),
    C(
        "commitment",
        "proactive",
        0.10,
        (
            "supplier_commitments_proactive",
            "customer_commitments_proactive",
            "supplier_commitments_settled",
            "customer_commitments_settled",
        ),
        "commitments",
        lambda m: (ratio(_both(m, "proactive"), _both(m, "settled")) / PROACTIVE_TARGET).clip(upper=1.0),
    ),
    C("commitment", "pulse_trust", 0.125, ("pulse_trust",), "pulse", _pulse("pulse_trust")),
    C("commitment", "pulse_commitment", 0.125, ("pulse_commitment",), "pulse", _pulse("pulse_commitment")),
    # customer focus: problems end with the customer's desired outcome, in time, undisputed
    C(
        "customer_focus",
        "outcome_confirmed",
        0.40,
        ("cases_outcome_confirmed", "cases_closed"),
        "cases",
        lambda m: ratio(m["cases_outcome_confirmed"], m["cases_closed"]),
    ),
    C(
        "customer_focus",
        "within_sla",
        0.35,
        ("cases_resolved_within_sla", "cases_resolved"),
        "cases",
        lambda m: ratio(m["cases_resolved_within_sla"], m["cases_resolved"]),
    ),
    C(
        "customer_focus",
        "undisputed",
        0.25,
        ("case_disputes", "cases_resolved"),
        "cases",
        lambda m: ratio(m["cases_resolved"], m["cases_resolved"] + m["case_disputes"]),
    ),
    # improvement: initiatives running and progressing; recurring root causes are a penalty
    C(
        "improvement",
        "activity",
        0.35,
        ("initiatives_active", "cases_total"),
        "improvement",
        lambda m: capped(m["initiatives_active"], INITIATIVES_TARGET).where(
            (m["initiatives_active"] > 0) | (m["cases_total"] > 0)
        ),
    ),
    C(
        "improvement",
        "progress",
        0.40,
        ("initiatives_progress", "initiatives_active"),
        "improvement",
        lambda m: m["initiatives_progress"].astype("float64").where(m["initiatives_active"] > 0).clip(0, 1),
    ),
    C(
        "improvement",
        "root_causes",
        0.25,
        ("recurring_root_causes", "cases_total"),
        "cases",
        lambda m: (1.0 - capped(m["recurring_root_causes"], RECURRING_CAP)).where(m["cases_total"] > 0),
    ),
    # moments of truth: how each interaction went, deliveries OTIF, what the other side says
    C(
        "moments_of_truth",
        "touchpoints",
        0.25,
        ("touchpoints_positive", "touchpoints_negative", "touchpoints"),
        "moments",
        _touchpoints,
    ),
    C(
        "moments_of_truth",
        "otif",
        0.25,
        ("deliveries_otif", "deliveries"),
        "moments",
        lambda m: ratio(m["deliveries_otif"], m["deliveries"]),
    ),
    C(
        "moments_of_truth",
        "csat",
        0.20,
        ("csat", "survey_answers"),
        "moments",
        lambda m: (m["csat"].astype("float64") / 100.0).where(m["survey_answers"] > 0).clip(0, 1),
    ),
    C(
        "moments_of_truth",
        "nps",
        0.15,
        ("nps", "survey_answers"),
        "moments",
        lambda m: ((m["nps"].astype("float64") + 100.0) / 200.0).where(m["survey_answers"] > 0).clip(0, 1),
    ),
    C(
        "moments_of_truth",
        "pulse_satisfaction",
        0.15,
        ("pulse_satisfaction",),
        "pulse",
        _pulse("pulse_satisfaction"),
    ),
    # mutual value: both sides gain, in balance, and the gains are agreed
    C(
        "mutual_value",
        "both_gain",
        0.30,
        ("supplier_value_confirmed", "customer_value_confirmed"),
        "value",
        _both_gain,
    ),
    C(
        "mutual_value",
        "balance",
        0.35,
        ("supplier_value_confirmed", "customer_value_confirmed"),
        "value",
        _balance,
    ),
    C(
        "mutual_value",
        "confirmation",
        0.35,
        ("value_disputed", "value_unconfirmed_30d", "value_entries"),
        "value",
        _confirmation,
    ),
    # breadth: many live bridges, many people, not hanging on one person
    C(
        "breadth",
        "live_bridges",
        0.50,
        ("bridges_live", "bridges_agreed"),
        "partnerships",
        lambda m: ratio(m["bridges_live"], m["bridges_agreed"]),
    ),
    C(
        "breadth",
        "people",
        0.25,
        ("people_involved",),
        "partnerships",
        lambda m: capped(m["people_involved"], PEOPLE_TARGET).where(_breadth_data(m)),
    ),
    C(
        "breadth",
        "multi_threaded",
        0.25,
        ("single_threaded",),
        "partnerships",
        lambda m: (1.0 - m["single_threaded"].astype("float64")).where(_breadth_data(m)),
    ),
    # anticipation: problems were foreseen, and risks have an agreed response
    C(
        "anticipation",
        "foreseen",
        0.50,
        ("cases_anticipated", "cases_total"),
        "risks",
        lambda m: ratio(m["cases_anticipated"], m["cases_total"]),
    ),
    C(
        "anticipation",
        "prepared",
        0.50,
        ("risks_with_response", "risks_open"),
        "risks",
        lambda m: ratio(m["risks_with_response"], m["risks_open"]),
    ),
    # competitive immunity: the other dimensions are not sliding, no competitor talk, a large share
    C("competitive_immunity", "trend", 0.50, (), "health", None),
    C(
        "competitive_immunity",
        "competitor_free",
        0.25,
        ("competitor_mentions",),
        "moments",
        lambda m: 1.0 - capped(m["competitor_mentions"], COMPETITOR_CAP),
    ),
    C(
        "competitive_immunity",
        "share_of_wallet",
        0.25,
        ("share_of_wallet",),
        "partnerships",
        lambda m: m["share_of_wallet"].astype("float64").clip(0, 1),
    ),
)
del C

# Components are listed dimension by dimension in ``DIMENSIONS`` order (``composite`` relies on it).
assert [c.dimension for c in COMPONENTS] == sorted((c.dimension for c in COMPONENTS), key=DIMENSIONS.index)
COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS)
BY_KEY: dict[str, Component] = {c.key: c for c in COMPONENTS}


def components_of(dimension: str) -> tuple[Component, ...]:
    return tuple(c for c in COMPONENTS if c.dimension == dimension)


@dataclass(frozen=True)
class DimensionScores:
    """``components``: keys + one 0–100 column per ``COMPONENT_KEYS`` (NaN = no data);
    ``dimensions``: keys + one 0–100 column per ``DIMENSIONS`` (NaN = no data) + ``core`` (the plain
    mean of the available core dimensions, NaN when none)."""

    components: pd.DataFrame
    dimensions: pd.DataFrame


def score_dimensions(metrics: pd.DataFrame) -> DimensionScores:
    """Score every row of a validated metrics frame (see ``metrics.validate``)."""
    keys = metrics[list(KEYS)].reset_index(drop=True)
    m = metrics.reset_index(drop=True)
    comp = keys.copy()
    for c in COMPONENTS:
        if c.formula is not None:
            comp[c.key] = 100.0 * c.formula(m).astype("float64")
    dims = keys.copy()
    for d in CORE_DIMENSIONS:
        dims[d] = _dimension(comp, d)
    dims["core"] = dims[list(CORE_DIMENSIONS)].mean(axis=1, skipna=True)
    earlier = lagged(dims, ["core"], TREND_WEEKS)["core"]
    comp["competitive_immunity.trend"] = 100.0 * _trend_from_delta(dims["core"] - earlier)
    dims["competitive_immunity"] = _dimension(comp, "competitive_immunity")
    comp = comp[[*KEYS, *COMPONENT_KEYS]]
    return DimensionScores(components=comp, dimensions=dims[[*KEYS, *DIMENSIONS, "core"]])


def _dimension(comp: pd.DataFrame, dimension: str) -> pd.Series:
    parts = components_of(dimension)
    values = comp[[c.key for c in parts]].to_numpy(dtype="float64")
    weights = np.broadcast_to(np.array([c.weight for c in parts]), values.shape)
    mean, _ = weighted_mean(values, weights)
    return pd.Series(mean, index=comp.index)
