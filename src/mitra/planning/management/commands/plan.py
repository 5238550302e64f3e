"""``mitra plan run [--partnership ID] [--executor local|dask] [--n-jobs N]``: plan the current cycle of one
partnership, or of every active or paused partnership with planning items: the statistical forecast, the
consensus, the exceptions and the order proposals (``runs.run``), with progress on stderr.

``mitra plan simulate [--partnership ID] [--weeks N] [--json]``: replay the partnership's weekly sell-out
under push orders and under partnering (``engine.simulate``) with the agreed review period and service
level and the items' median lead time, and compare the two.
"""

from __future__ import annotations

import json
import math
from argparse import ArgumentTypeError
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitra.partnerships.models import Partnership, Status
from mitra.planning import runs
from mitra.planning.engine.simulate import POLICIES
from mitra.planning.models import Item, SellOut

PLANNED = (Status.ACTIVE, Status.PAUSED)
# the simulation's figures, in the order shown, with how many decimals
METRICS: tuple[tuple[str, int], ...] = (
    ("average_stock", 1),
    ("weeks_of_cover", 2),
    ("fill_rate", 3),
    ("stockout_weeks", 0),
    ("lost_sales", 1),
    ("overstock", 1),
)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ArgumentTypeError(_("expected a whole number of at least 1"))
    return value


def _lazy(text: Any) -> str:
    return cast(str, text)


def _metric_labels() -> dict[str, str]:
    return {
        "average_stock": _("average stock"),
        "weeks_of_cover": _("weeks of cover"),
        "fill_rate": _("fill rate"),
        "stockout_weeks": _("stock-out weeks"),
        "lost_sales": _("lost sales"),
        "overstock": _("overstock (unit-weeks)"),
    }


class Command(BaseCommand):
    help = "Plan partnerships' current cycles, or compare push orders with partnering on their history."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _(
            "Plan the current cycle of partnerships (forecast, consensus, exceptions, order proposals), or "
            "replay their sell-out history under push orders and under partnering."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser(
            "run",
            help=_lazy(gettext_lazy("forecast, agree the consensus, find exceptions and propose orders")),
        )
        run.add_argument(
            "--partnership",
            type=_positive,
            help=_lazy(
                gettext_lazy(
                    "only this partnership, by id (default: every active or paused partnership with items)"
                )
            ),
        )
        run.add_argument(
            "--executor",
            choices=("local", "dask"),
            default="local",
            help=_lazy(
                gettext_lazy(
                    "where the models run: this machine (default) or a Dask cluster started for the run"
                )
            ),
        )
        run.add_argument(
            "--n-jobs",
            type=_positive,
            default=1,
            help=_lazy(gettext_lazy("worker processes (local) or Dask workers; default 1")),
        )
        sim = sub.add_parser(
            "simulate",
            help=_lazy(gettext_lazy("replay the sell-out history under push orders and under partnering")),
        )
        sim.add_argument(
            "--partnership",
            type=_positive,
            help=_lazy(
                gettext_lazy(
                    "only this partnership, by id (default: every active or paused partnership with items)"
                )
            ),
        )
        sim.add_argument(
            "--weeks",
            type=_positive,
            help=_lazy(gettext_lazy("replay only the last N weeks of sell-out (default: all of it)")),
        )
        sim.add_argument("--json", action="store_true", help=_lazy(gettext_lazy("print one JSON object")))

    def handle(self, *args: Any, **options: Any) -> None:
        partnerships = self._partnerships(options.get("partnership"))
        if options["action"] == "run":
            self._run(partnerships, options)
        else:
            self._simulate(partnerships, options)

    # ---- which partnerships --------------------------------------------------------------------------

    def _partnerships(self, partnership_id: int | None) -> list[Partnership]:
        if partnership_id is not None:
            partnership = Partnership.objects.filter(pk=partnership_id).first()
            if partnership is None:
                raise CommandError(_("No partnership with id %(id)d.") % {"id": partnership_id})
            if partnership.status not in PLANNED:
                raise CommandError(
                    _("Partnership %(id)d is %(status)s: only active and paused partnerships are planned.")
                    % {"id": partnership_id, "status": partnership.get_status_display()}
                )
            if not Item.objects.filter(partnership=partnership).exists():
                raise CommandError(
                    _("Partnership %(id)d has no planning items: load its items first.")
                    % {"id": partnership_id}
                )
            return [partnership]
        return list(
            Partnership.objects.filter(status__in=PLANNED, planning_items__isnull=False)
            .distinct()
            .select_related("supplier", "customer")
            .order_by("pk")
        )

    # ---- run -----------------------------------------------------------------------------------------

    def _run(self, partnerships: list[Partnership], options: dict[str, Any]) -> None:
        if not partnerships:
            self.stdout.write(_("No active or paused partnership has planning items."))
            return
        executor, n_jobs = options["executor"], options["n_jobs"]
        failed: list[int] = []
        with _dask(executor, n_jobs):
            for partnership in partnerships:  # one planning run per partnership, each its own transaction
                if not SellOut.objects.filter(partnership=partnership).exists():
                    message = _("Partnership %(id)d has no sell-out yet: nothing to plan.") % {
                        "id": partnership.pk
                    }
                    if options.get("partnership") is not None:
                        raise CommandError(message)
                    self.stderr.write(message)
                    continue
                try:
                    result = runs.run(
                        partnership.pk,
                        executor=executor,
                        n_jobs=n_jobs,
                        progress=self._progress(partnership, options["verbosity"]),
                    )
                except Exception as exc:
                    if options.get("partnership") is not None:
                        raise
                    # one failed run (its writes rolled back) does not stop the others' planning
                    failed.append(partnership.pk)
                    self.stderr.write(
                        _("Partnership %(id)d: the planning run failed: %(error)s")
                        % {"id": partnership.pk, "error": exc}
                    )
                    continue
                self.stdout.write(
                    _(
                        "Partnership %(id)d (%(name)s): %(series)d series, %(lines)d forecast lines, "
                        "%(exceptions)d exceptions, %(proposals)d order proposals."
                    )
                    % {
                        "id": partnership.pk,
                        "name": partnership,
                        "series": result.series,
                        "lines": result.forecast_lines,
                        "exceptions": result.exceptions,
                        "proposals": result.proposals,
                    }
                )
        if failed:
            raise CommandError(
                _("The planning runs of %(count)d partnerships failed: %(ids)s.")
                % {"count": len(failed), "ids": ", ".join(map(str, failed))}
            )

    def _progress(self, partnership: Partnership, verbosity: int) -> Callable[[int, str], None]:
        steps = {
            "history": _("reading the history"),
            "forecast": _("forecasting"),
            "consensus": _("consensus"),
            "exceptions": _("exceptions"),
            "proposals": _("order proposals"),
            "done": _("done"),
        }

        def show(percent: int, step: str) -> None:
            if verbosity < 1:
                return
            self.stderr.write(
                _("partnership %(id)d: %(percent)3d %% %(step)s")
                % {"id": partnership.pk, "percent": percent, "step": steps.get(step, step)},
                style_func=_plain,
            )
            self.stderr.flush()

        return show

    # ---- simulate ------------------------------------------------------------------------------------

    def _simulate(self, partnerships: list[Partnership], options: dict[str, Any]) -> None:
        found = []
        explicit = options.get("partnership") is not None
        for partnership in partnerships:  # one replay per partnership
            try:
                found.append(self._replay(partnership, options.get("weeks")))
            except CommandError as exc:
                if explicit:
                    raise
                self.stderr.write(str(exc))  # one partnership without enough history: the others go on
        if options["json"]:
            self.stdout.write(json.dumps({"partnerships": found}, ensure_ascii=False))
            return
        if not found:
            self.stdout.write(_("No active or paused partnership has planning items."))
        for entry in found:
            self._table(entry)

    def _replay(self, partnership: Partnership, weeks: int | None) -> dict[str, Any]:
        try:
            result = runs.replay(partnership.pk, weeks=weeks)
        except ValueError as exc:
            raise CommandError(
                _("Partnership %(id)d: %(error)s") % {"id": partnership.pk, "error": exc}
            ) from exc
        if result is None:
            raise CommandError(
                _("Partnership %(id)d has too little sell-out to replay (a year and a month are needed).")
                % {"id": partnership.pk}
            )
        params, frame = result.params, result.policies
        lead_time = params.lead_time_weeks
        demand_series, demand_weeks = result.series, result.weeks
        frame = frame.set_index("policy") if "policy" in frame.columns else frame
        policies = {
            policy: {name: _number(frame.loc[policy, name]) for name, _digits in METRICS}
            for policy in POLICIES
        }
        difference = {
            name: _number(frame.loc["partnering", name] - frame.loc["push", name])
            for name, _digits in METRICS
        }
        return {
            "partnership": partnership.pk,
            "name": str(partnership),
            "series": demand_series,
            "weeks": demand_weeks,
            "lead_time_weeks": lead_time,
            "review_weeks": params.review_weeks,
            "service_level": params.service_level,
            "policies": policies,
            "difference": difference,
        }

    def _table(self, entry: dict[str, Any]) -> None:
        self.stdout.write(
            _(
                "Partnership %(id)d (%(name)s): %(series)d series, %(weeks)d weeks; lead time %(lead)d "
                "weeks, review every %(review)d weeks, service level %(service)s %%"
            )
            % {
                "id": entry["partnership"],
                "name": entry["name"],
                "series": entry["series"],
                "weeks": entry["weeks"],
                "lead": entry["lead_time_weeks"],
                "review": entry["review_weeks"],
                "service": f"{entry['service_level'] * 100:g}",
            }
        )
        labels = _metric_labels()
        heading = [_("push"), _("partnering"), _("difference")]
        width = max(len(label) for label in labels.values())
        self.stdout.write(f"  {'':<{width}}  " + "  ".join(f"{h:>12}" for h in heading))
        for name, digits in METRICS:  # six figures
            values = [
                entry["policies"]["push"][name],
                entry["policies"]["partnering"][name],
                entry["difference"][name],
            ]
            cells = ["—" if v is None else f"{v:,.{digits}f}" for v in values]
            self.stdout.write(f"  {labels[name]:<{width}}  " + "  ".join(f"{c:>12}" for c in cells))


def _number(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _plain(text: str) -> str:
    """Progress is not an error: no red."""
    return text


@contextmanager
def _dask(executor: str, n_jobs: int) -> Iterator[None]:
    """With ``--executor dask``: a local Dask cluster of ``n_jobs`` workers for the run, made the
    current client (``DaskExecutor`` uses it)."""
    if executor != "dask":
        yield
        return
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=n_jobs, threads_per_worker=1, processes=n_jobs > 1) as cluster,
        Client(cluster),
    ):
        yield
