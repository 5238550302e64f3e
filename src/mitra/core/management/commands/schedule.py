"""``mitra schedule``: queue the recurring jobs (overdue commitments, SLA breaches, pulse rounds…)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from mitra.core.schedule import SCHEDULE, run_due


class Command(BaseCommand):
    help = (
        "Queue each recurring job once per period (hour, day or ISO week, in the site's time zone) for the "
        "workers to run. Run one next to the workers, or call it with --once from cron; several never "
        "queue a period twice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="queue what is due now, then exit")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between checks")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            queued = run_due()
            for job in queued:
                self.stdout.write(f"queued {job}")
            if options["once"]:
                if not queued:
                    self.stdout.write(f"nothing due ({len(SCHEDULE)} recurring jobs)")
                return
            time.sleep(options["interval"])
