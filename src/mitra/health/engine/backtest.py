"""Backtest: did the score a quarter earlier separate the partnerships that were lost from those kept?

For each partnership the *reference date* is ``horizon_weeks`` (13) before its outcome: the date it
ended or paused for a **lost** partnership, ``as_of`` (the end of the history) for a **kept** one. Its
*reference score* is its last non-NaN weekly score on or before the reference date, and no older than
``max_staleness_weeks``; partnerships without one are left out (counted in ``unscored``).

The AUC is the probability that a kept partnership's reference score is higher than a lost one's, ties
counting one half (the Mann–Whitney U statistic over both group sizes, from average ranks):
``AUC = (R_kept − n_kept (n_kept + 1) / 2) / (n_kept · n_lost)``. 1.0 separates perfectly, 0.5 is
chance, 0.0 is perfectly backwards; NaN when either group is empty. Nothing is tuned here: the score is
taken as computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mitra.health.engine.composite import DEFAULT_BANDS, Bands, band

SAMPLE_COLUMNS: tuple[str, ...] = (
    "partnership_id",
    "reference_date",
    "week",
    "score",
    "band",
    "lost",
    "ended_on",
)


@dataclass(frozen=True)
class BacktestResult:
    auc: float
    lost: int
    kept: int
    unscored: int
    sample: pd.DataFrame  # SAMPLE_COLUMNS, one row per scored partnership
    green_then_lost: pd.DataFrame  # the rows of ``sample`` that were green and then lost


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """Probability that a positive scores above a negative, ties counting one half (Mann–Whitney)."""
    scores = np.asarray(scores, dtype="float64")
    positive = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = pd.Series(scores).rank(method="average").to_numpy()
    u = ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def backtest(
    scores: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    as_of: pd.Timestamp | None = None,
    horizon_weeks: int = 13,
    max_staleness_weeks: int = 4,
    bands: Bands = DEFAULT_BANDS,
) -> BacktestResult:
    """``scores``: ``partnership_id``, ``week``, ``score``. ``outcomes``: ``partnership_id``,
    ``ended_on`` (datetime64; NaT when the partnership is not lost). ``as_of`` defaults to the last
    week of ``scores``; partnerships lost after ``as_of`` count as kept."""
    if as_of is None:
        as_of = pd.Timestamp(scores["week"].max())
    out = outcomes[["partnership_id", "ended_on"]].copy()
    out["ended_on"] = pd.to_datetime(out["ended_on"]).astype(scores["week"].dtype)
    out["lost"] = out["ended_on"].notna() & (out["ended_on"] <= as_of)
    outcome_date = out["ended_on"].where(out["lost"], as_of)
    out["reference_date"] = (outcome_date - pd.Timedelta(weeks=horizon_weeks)).astype(scores["week"].dtype)
    known = scores.loc[scores["score"].notna(), ["partnership_id", "week", "score"]].sort_values("week")
    ref = pd.merge_asof(
        out.sort_values("reference_date"),
        known,
        left_on="reference_date",
        right_on="week",
        by="partnership_id",
        direction="backward",
        tolerance=pd.Timedelta(weeks=max_staleness_weeks),
    )
    scored = ref[ref["score"].notna()].sort_values("partnership_id").reset_index(drop=True)
    scored["band"] = band(scored["score"], bands)
    sample = scored[list(SAMPLE_COLUMNS)]
    lost = sample["lost"].to_numpy(dtype=bool)
    green_then_lost = sample[lost & (sample["band"] == "green").to_numpy()].reset_index(drop=True)
    return BacktestResult(
        auc=auc(sample["score"].to_numpy(), ~lost),
        lost=int(lost.sum()),
        kept=int((~lost).sum()),
        unscored=len(ref) - len(scored),
        sample=sample,
        green_then_lost=green_then_lost,
    )
