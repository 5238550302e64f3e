"""``mitra health recompute [--partnership ID] [--since YYYY-MM-DD]``: rewrite the weekly snapshots."""

from __future__ import annotations

import datetime as dt
import time
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from mitra.health.services import health_recompute


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ArgumentTypeError(_("expected a date as YYYY-MM-DD")) from exc


class Command(BaseCommand):
    help = "Partnership Health Index: recompute the weekly snapshots from the records."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _("Partnership Health Index: recompute the weekly snapshots from the records.")
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

    def handle(self, *args: Any, **options: Any) -> None:
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

        result = health_recompute(
            partnership_ids=options["partnership"], since=options["since"], progress=progress
        )
        if tty:
            self.stdout.write("")
        self.stdout.write(
            _(
                "%(snapshots)d snapshots written for %(partnerships)d partnerships over %(weeks)d weeks in %(seconds).1f s."
            )
            % {
                "snapshots": result.snapshots,
                "partnerships": result.partnerships,
                "weeks": result.weeks,
                "seconds": time.monotonic() - started,
            }
        )
