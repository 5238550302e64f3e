"""Where the statsforecast fits run: in this process (``LocalExecutor``) or on a Dask cluster
(``DaskExecutor``, through statsforecast's fugue backend). The engine hands over long frames
(``unique_id, ds, y``) and model lists and gets statsforecast's output frames back, the same either way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import pandas as pd
from statsforecast import StatsForecast

FREQ = "W-MON"


class Executor(Protocol):
    def forecast(
        self, df: pd.DataFrame, models: Sequence[Any], *, h: int, level: Sequence[int]
    ) -> pd.DataFrame:
        """Columns ``unique_id, ds`` and, per model alias, ``<alias>``, ``<alias>-lo-<level>``, ``…-hi-…``."""
        ...

    def cross_validation(
        self, df: pd.DataFrame, models: Sequence[Any], *, h: int, n_windows: int
    ) -> pd.DataFrame:
        """Columns ``unique_id, ds, cutoff, y`` and one per model alias (windows ``h`` apart)."""
        ...


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index() if "unique_id" not in frame.columns else frame
    frame["unique_id"] = frame["unique_id"].astype("str")
    return frame.sort_values(
        ["unique_id", "ds", *(["cutoff"] if "cutoff" in frame.columns else [])]
    ).reset_index(drop=True)


class LocalExecutor:
    """statsforecast in this process, over ``n_jobs`` worker processes (1: no pool)."""

    def __init__(self, n_jobs: int = 1) -> None:
        self.n_jobs = n_jobs

    def forecast(
        self, df: pd.DataFrame, models: Sequence[Any], *, h: int, level: Sequence[int]
    ) -> pd.DataFrame:
        sf = StatsForecast(models=list(models), freq=FREQ, n_jobs=self.n_jobs)
        return _tidy(sf.forecast(df=df, h=h, level=list(level) or None))

    def cross_validation(
        self, df: pd.DataFrame, models: Sequence[Any], *, h: int, n_windows: int
    ) -> pd.DataFrame:
        sf = StatsForecast(models=list(models), freq=FREQ, n_jobs=self.n_jobs)
        return _tidy(sf.cross_validation(df=df, h=h, n_windows=n_windows, step_size=h))


class DaskExecutor:
    """The same fits on a Dask cluster through statsforecast's fugue backend.

    ``address`` is a scheduler address, an existing ``distributed.Client``, or None for the client already
    active in this process. Partitions hold whole series ("coarse" partitioning): fugue's default
    group-by-apply path loses the key column under pandas 3, so the series are hash-partitioned and each
    partition runs statsforecast on all its series at once.
    """

    def __init__(self, address: Any = None, *, partitions: int | None = None) -> None:
        from distributed import Client

        if isinstance(address, Client):
            self.client = address
        elif address is None:
            self.client = Client.current()
        else:
            self.client = Client(address)
        self.partitions = partitions

    def _engine(self) -> Any:
        from fugue_dask import DaskExecutionEngine

        return DaskExecutionEngine(dask_client=self.client)

    def _partition(self) -> dict[str, Any]:
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        return {"by": "unique_id", "algo": "coarse", "num": self.partitions or 2 * workers}

    def _run(self, df: pd.DataFrame, method: str, schema: Any, params: dict[str, Any]) -> pd.DataFrame:
        from fugue import transform
        from statsforecast.distributed.fugue import FugueBackend

        engine = self._engine()
        backend = FugueBackend(engine)
        result = transform(
            df,
            getattr(backend, method),
            params=params,
            schema=schema,
            partition=self._partition(),
            engine=engine,
            as_local=True,
        )
        return _tidy(pd.DataFrame(result))

    def _schema(self, df: pd.DataFrame, models: Sequence[Any], level: Sequence[int], mode: str) -> Any:
        from statsforecast.distributed.fugue import FugueBackend

        return FugueBackend(self._engine())._get_output_schema(
            df=df,
            models=list(models),
            level=list(level) or None,
            mode=mode,
            id_col="unique_id",
            time_col="ds",
            target_col="y",
        )

    def forecast(
        self, df: pd.DataFrame, models: Sequence[Any], *, h: int, level: Sequence[int]
    ) -> pd.DataFrame:
        params = {
            "models": list(models),
            "freq": FREQ,
            "fallback_model": None,
            "h": h,
            "level": list(level) or None,
            "prediction_intervals": None,
            "id_col": "unique_id",
            "time_col": "ds",
            "target_col": "y",
        }
        return self._run(df, "_forecast_noX", self._schema(df, models, level, "forecast"), params)

    def cross_validation(
        self, df: pd.DataFrame, models: Sequence[Any], *, h: int, n_windows: int
    ) -> pd.DataFrame:
        params = {
            "models": list(models),
            "freq": FREQ,
            "fallback_model": None,
            "h": h,
            "n_windows": n_windows,
            "step_size": h,
            "test_size": None,
            "input_size": None,
            "level": None,
            "refit": True,
            "fitted": False,
            "prediction_intervals": None,
            "id_col": "unique_id",
            "time_col": "ds",
            "target_col": "y",
        }
        return self._run(df, "_cv", self._schema(df, models, (), "cv"), params)
