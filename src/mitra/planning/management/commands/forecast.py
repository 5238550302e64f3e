"""``mitra forecast --input history.csv --horizon H --season-length S --output forecast.csv``: a
statistical baseline forecast per series from a CSV file, without the database.

Input columns ``series_id,period,quantity`` (one row per series and week); output columns
``series_id,period,forecast,lo_<level>,hi_<level>``. Bad input stops with the row and column named and
writes no file.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any, cast

import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mitra.planning.engine.errors import PlanningInputError
from mitra.planning.engine.forecast import TIERS, ForecastParams, forecast


def _positive(upper: int) -> Any:
    def parse(text: str) -> int:
        from argparse import ArgumentTypeError

        try:
            value = int(text)
        except ValueError:
            value = 0
        if not 1 <= value <= upper:
            raise ArgumentTypeError(_("expected a whole number from 1 to %(upper)d") % {"upper": upper})
        return value

    return parse


class Command(BaseCommand):
    help = "Forecast each series of a weekly demand history (CSV) and write the forecast to a CSV file."

    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _(
            "Forecast each series of a weekly demand history (CSV: series_id, period, quantity) with "
            "prediction intervals, and write the forecast to a CSV file. Needs no database."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input",
            required=True,
            help=cast(
                str, gettext_lazy("CSV file with the columns series_id, period (YYYY-MM-DD), quantity")
            ),
        )
        parser.add_argument(
            "--output",
            required=True,
            help=cast(
                str, gettext_lazy("CSV file to write: series_id, period, forecast, lo_<level>, hi_<level>")
            ),
        )
        parser.add_argument(
            "--horizon",
            type=_positive(260),
            default=13,
            help=cast(str, gettext_lazy("weeks to forecast (default 13)")),
        )
        parser.add_argument(
            "--season-length",
            type=_positive(260),
            default=52,
            help=cast(str, gettext_lazy("weeks in a season (default 52, a year)")),
        )
        parser.add_argument(
            "--level",
            type=_positive(99),
            default=80,
            help=cast(str, gettext_lazy("prediction interval level in percent (default 80)")),
        )
        parser.add_argument(
            "--tier",
            choices=TIERS,
            default="auto",
            help=cast(
                str,
                gettext_lazy(
                    "auto: full models where they pay and fast ones for the long tail; cheap: fast models "
                    "for every series; full: full models for every series (default auto)"
                ),
            ),
        )
        parser.add_argument(
            "--no-holidays",
            action="store_true",
            help=cast(
                str, gettext_lazy("do not adjust for Ramadan, Lebaran, Christmas, New Year and school start")
            ),
        )
        parser.add_argument(
            "--executor",
            choices=("local", "dask"),
            default="local",
            help=cast(str, gettext_lazy("where the models run: this machine (default) or a Dask cluster")),
        )
        parser.add_argument(
            "--dask-address",
            default=None,
            help=cast(
                str,
                gettext_lazy(
                    "Dask scheduler address for --executor dask (default: a local cluster for this run)"
                ),
            ),
        )
        parser.add_argument(
            "--n-jobs",
            type=_positive(512),
            default=1,
            help=cast(
                str, gettext_lazy("worker processes (local) or workers (local Dask cluster); default 1")
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["input"])
        target = Path(options["output"])
        history = self._read(source)
        params = ForecastParams(
            horizon=options["horizon"],
            season_length=options["season_length"],
            level=options["level"],
            tier=options["tier"],
            holidays=not options["no_holidays"],
            n_jobs=options["n_jobs"],
        )
        started = time.perf_counter()
        show = options["verbosity"] >= 1 and self.stderr.isatty()
        progress = self._progress if show else None
        try:
            if options["executor"] == "dask":
                result = self._on_dask(history, params, options["dask_address"], progress)
            else:
                result = forecast(history, params, progress=progress)
        except PlanningInputError as exc:
            raise CommandError(self._explain(source, exc)) from exc
        if show:
            self.stderr.write("", style_func=_plain)
        level = params.level
        out = pd.DataFrame(
            {
                "series_id": result.forecasts["series_id"],
                "period": result.forecasts["period"].dt.strftime("%Y-%m-%d"),
                "forecast": result.forecasts["forecast"].round(3),
                f"lo_{level}": result.forecasts["lo"].round(3),
                f"hi_{level}": result.forecasts["hi"].round(3),
            }
        )
        _write_atomically(out, target)
        series = int(result.selection["series_id"].nunique())
        self.stdout.write(
            ngettext(
                "Wrote %(rows)d forecast weeks for %(series)d series to %(path)s in %(seconds).1f s.",
                "Wrote %(rows)d forecast weeks for %(series)d series to %(path)s in %(seconds).1f s.",
                series,
            )
            % {"rows": len(out), "series": series, "path": target, "seconds": time.perf_counter() - started}
        )

    def _read(self, source: Path) -> pd.DataFrame:
        try:
            return pd.read_csv(source, dtype="str", keep_default_na=False)
        except FileNotFoundError as exc:
            raise CommandError(_("%(path)s: no such file.") % {"path": source}) from exc
        except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("%(path)s is not a readable CSV file: %(error)s") % {"path": source, "error": exc}
            ) from exc

    def _explain(self, source: Path, exc: PlanningInputError) -> str:
        args = {"path": source, "row": exc.row, "column": exc.column, "message": exc.message}
        if exc.row is not None and exc.column is not None:
            # the CSV's header is line 1, so data row N is line N + 1
            return _("%(path)s, row %(row)d (line %(line)d), column %(column)s: %(message)s") % {
                **args,
                "line": exc.row + 1,
            }
        if exc.column is not None:
            return _("%(path)s, column %(column)s: %(message)s") % args
        return _("%(path)s: %(message)s") % args

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(
            "\r" + _("Forecast %(done)d of %(total)d series") % {"done": done, "total": total},
            style_func=_plain,
            ending="",
        )
        self.stderr.flush()

    def _on_dask(
        self, history: pd.DataFrame, params: ForecastParams, address: str | None, progress: Any
    ) -> Any:
        from distributed import Client, LocalCluster

        from mitra.planning.engine.executor import DaskExecutor

        if address:
            with Client(address) as client:
                return forecast(history, params, executor=DaskExecutor(client), progress=progress)
        with (
            LocalCluster(
                n_workers=params.n_jobs, threads_per_worker=1, processes=params.n_jobs > 1
            ) as cluster,
            Client(cluster) as client,
        ):
            return forecast(history, params, executor=DaskExecutor(client), progress=progress)


def _plain(text: str) -> str:
    """Progress is not an error: no red."""
    return text


def _write_atomically(frame: pd.DataFrame, target: Path) -> None:
    """Write to a temporary file beside ``target`` and rename it: never a half-written forecast file."""
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as exc:
        raise CommandError(_("Cannot write %(path)s: %(error)s") % {"path": target, "error": exc}) from exc
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            frame.to_csv(stream, index=False)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
