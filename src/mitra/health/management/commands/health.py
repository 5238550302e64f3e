"""``mitra health recompute [--partnership ID] [--since YYYY-MM-DD]``: rewrite the weekly snapshots.

``mitra health backtest [--organisation ID_OR_NAME] [--horizon-weeks N] [--as-of YYYY-MM-DD] [--json]``:
how well the score a quarter earlier separated the partnerships later lost from those kept (AUC).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from babel.numbers import format_decimal
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mitra.accounts.models import Organisation
from mitra.health.backtesting import BacktestReport, run_backtest
from mitra.health.services import health_recompute
from mitra.partnerships.models import SHARED_STATUSES, Partnership, Status
from mitra.web.formatting import babel_locale

# What practitioners report for vendor health scores backtested the same way (AUC).
PRACTITIONER_RANGE = (0.55, 0.72)
FEW = 10  # fewer lost (or kept) partnerships than this: the AUC is very uncertain


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ArgumentTypeError(_("expected a date as YYYY-MM-DD")) from exc


def _weeks(text: str) -> int:
    try:
        weeks = int(text)
    except ValueError:
        weeks = 0
    if not 1 <= weeks <= 260:
        raise ArgumentTypeError(_("expected a whole number of weeks from 1 to 260"))
    return weeks


def _organisation(text: str) -> Organisation:
    """An organisation by id or by name (case-insensitive)."""
    text = text.strip()
    found = Organisation.objects.filter(pk=int(text)).first() if text.isdigit() else None
    found = found or Organisation.objects.filter(name__iexact=text).first()
    if found is None:
        raise CommandError(
            _("--organisation: no organisation has the id or name %(value)r.") % {"value": text}
        )
    return found


def percent(value: float, pattern: str = "0.0") -> str:
    """``67,3 %``: both languages write numbers the Indonesian way (see ``mitra.web.formatting``)."""
    return f"{format_decimal(value * 100, format=pattern, locale=babel_locale())} %"


def reading(auc: float) -> str:
    """One honest sentence on what the AUC means."""
    low, high = (format_decimal(x * 100, format="0", locale=babel_locale()) for x in PRACTITIONER_RANGE)
    args = {"chance": percent(0.5, "0"), "range": f"{low}–{high} %"}
    if auc < 0.5:
        text = _(
            "Worse than chance (%(chance)s): partnerships later lost tended to score higher than those "
            "kept. Practitioners report %(range)s for vendor health scores."
        )
    elif auc < PRACTITIONER_RANGE[0]:
        text = _(
            "About chance (%(chance)s): the score hardly separated the partnerships later lost from "
            "those kept. Practitioners report %(range)s for vendor health scores."
        )
    elif auc <= PRACTITIONER_RANGE[1]:
        text = _(
            "Better than chance (%(chance)s) and within the %(range)s that practitioners report for "
            "vendor health scores: useful, far from certain."
        )
    else:
        text = _(
            "Above the %(range)s that practitioners report for vendor health scores (%(chance)s is chance)."
        )
    return text % args


def why_no_auc(report: BacktestReport) -> str:
    weeks = report.horizon_weeks
    if report.why_no_auc == "no_partnerships":
        return _("there was no active, paused or ended partnership on that date.")
    if report.why_no_auc == "no_scores":
        return ngettext(
            "no partnership has a score from %(weeks)d week before its outcome "
            "(are the snapshots computed? `mitra health recompute`).",
            "no partnership has a score from %(weeks)d weeks before its outcome "
            "(are the snapshots computed? `mitra health recompute`).",
            weeks,
        ) % {"weeks": weeks}
    if report.why_no_auc == "no_lost":
        return ngettext(
            "no partnership was lost (paused or ended) with a score from %(weeks)d week before, "
            "so there is nothing to separate.",
            "no partnership was lost (paused or ended) with a score from %(weeks)d weeks before, "
            "so there is nothing to separate.",
            weeks,
        ) % {"weeks": weeks}
    return ngettext(
        "no active partnership has a score from %(weeks)d week before the date of the backtest, "
        "so there is nothing to compare with.",
        "no active partnership has a score from %(weeks)d weeks before the date of the backtest, "
        "so there is nothing to compare with.",
        weeks,
    ) % {"weeks": weeks}


class Command(BaseCommand):
    help = "Partnership Health Index: recompute the weekly snapshots, or backtest the score."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _("Partnership Health Index: recompute the weekly snapshots, or backtest the score.")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        recompute = sub.add_parser("recompute", help=_("recompute the weekly snapshots"))
        recompute.add_argument(
            "--partnership",
            type=int,
            action="append",
            help=_("only this partnership (repeatable)"),
        )
        recompute.add_argument(
            "--since", type=_date, help=_("only from the ISO week of this date (YYYY-MM-DD)")
        )
        bt = sub.add_parser(
            "backtest",
            help=_(
                "how well the score a quarter earlier separated the partnerships later lost from those kept"
            ),
        )
        bt.add_argument(
            "--organisation",
            help=_("only the partnerships of this organisation, by id or name (default: all)"),
        )
        bt.add_argument(
            "--horizon-weeks",
            type=_weeks,
            default=13,
            help=_("how many weeks before the outcome the score is taken (default 13)"),
        )
        bt.add_argument(
            "--as-of", type=_date, help=_("judge the outcomes as of this date (YYYY-MM-DD; default today)")
        )
        bt.add_argument("--json", action="store_true", help=_("print one JSON object"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "backtest":
            self.backtest(options)
            return
        if options["action"] != "recompute":  # pragma: no cover - argparse refuses other actions
            raise CommandError(_("Unknown action."))
        tty = self.stdout.isatty()
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            line = _("%(done)d/%(total)d partnerships") % {"done": done, "total": total}
            if tty:
                self.stdout.write(f"\r  {line}", ending="")
                self.stdout.flush()
            else:
                self.stdout.write(f"  {line}")

        wanted = options["partnership"]
        if wanted:
            known = set(
                Partnership.objects.filter(pk__in=wanted, status__in=SHARED_STATUSES).values_list(
                    "pk", flat=True
                )
            )
            unknown = sorted(set(wanted) - known)
            if unknown:
                raise CommandError(
                    _("--partnership: no partnership with a workspace has the id(s) %(ids)s.")
                    % {"ids": ", ".join(map(str, unknown))}
                )
        result = health_recompute(partnership_ids=wanted, since=options["since"], progress=progress)
        if tty:
            self.stdout.write("")
        self.stdout.write(
            ngettext(
                "%(snapshots)d snapshot written",
                "%(snapshots)d snapshots written",
                result.snapshots,
            )
            % {"snapshots": result.snapshots}
            + " "
            + ngettext(
                "for %(partnerships)d partnership",
                "for %(partnerships)d partnerships",
                result.partnerships,
            )
            % {"partnerships": result.partnerships}
            + " "
            + ngettext("over %(weeks)d week", "over %(weeks)d weeks", result.weeks) % {"weeks": result.weeks}
            + " "
            + _("in %(seconds).1f s.") % {"seconds": time.monotonic() - started}
        )
        self.stdout.write(
            _("Alerts: %(opened)d opened, %(closed)d closed.")
            % {"opened": result.alerts_opened, "closed": result.alerts_closed}
        )

    def backtest(self, options: dict[str, Any]) -> None:
        organisation = None
        if options["organisation"] is not None:
            organisation = _organisation(options["organisation"])
        as_of = options["as_of"]
        if as_of is not None and as_of > timezone.localdate():
            raise CommandError(_("--as-of: the date cannot be in the future."))
        report = run_backtest(
            organisation_id=organisation.pk if organisation else None,
            horizon_weeks=options["horizon_weeks"],
            as_of=as_of,
        )
        if options["json"]:
            data = {"organisation": organisation.name if organisation else None, **report.as_dict()}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.write_text(report, organisation)

    def write_text(self, report: BacktestReport, organisation: Organisation | None) -> None:
        out = self.stdout.write
        scope = organisation.name if organisation else _("all partnerships")
        out(
            ngettext(
                "Health score backtest: %(scope)s, outcomes as of %(as_of)s, score %(weeks)d week before.",
                "Health score backtest: %(scope)s, outcomes as of %(as_of)s, score %(weeks)d weeks before.",
                report.horizon_weeks,
            )
            % {"scope": scope, "as_of": report.as_of.isoformat(), "weeks": report.horizon_weeks}
        )
        out(
            _(
                "Lost (paused or ended): %(lost)d · kept (active): %(kept)d · left out, no score then: %(unscored)d"
            )
            % {"lost": report.lost, "kept": report.kept, "unscored": report.unscored}
        )
        if report.auc is None:
            out(_("The AUC cannot be computed: %(why)s") % {"why": why_no_auc(report)})
            return
        out(_("AUC: %(auc)s") % {"auc": percent(report.auc)})
        out(reading(report.auc))
        if min(report.lost, report.kept) < FEW:
            out(
                _("With so few partnerships (%(lost)d lost, %(kept)d kept) the figure is very uncertain.")
                % {"lost": report.lost, "kept": report.kept}
            )
        if not report.green_then_lost:
            out(_("No partnership was green and then lost."))
            return
        out("")
        out(_("Green, then lost:"))
        header = (_("Supplier"), _("Customer"), _("Status"), _("Week"), _("Score"), _("Lost on"))
        rows = [
            (
                r.supplier,
                r.customer,
                str(Status(r.status).label),
                r.week.isoformat(),
                format_decimal(r.score, format="0.0", locale=babel_locale()),
                r.ended_on.isoformat(),
            )
            for r in report.green_then_lost
        ]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            out("  " + "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
