"""``mitra worker``: the background-job worker (django-tasks database backend)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    """Run ``db_worker``: it takes jobs from the database, so any number of workers can share one PostgreSQL."""

    help = "Run the background-job worker (e-mails, scheduled work). Several may run side by side."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue-name", default="default", help="queue to work, or * for all (default: default)"
        )
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        parser.add_argument("--batch", action="store_true", help="work off what is queued, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many jobs")
        parser.add_argument("--worker-id", default=None, help="name of this worker in the job results")
        parser.add_argument(
            "--reload", action="store_true", help="restart on code changes (development only)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kwargs: dict[str, Any] = {
            "queue_name": options["queue_name"],
            "interval": options["interval"],
            "batch": options["batch"],
            # Off unless asked: a reloading worker runs in a child process that a plain stop leaves behind.
            "reload": options["reload"],
            "verbosity": options["verbosity"],
        }
        if options["max_tasks"] is not None:
            kwargs["max_tasks"] = options["max_tasks"]
        if options["worker_id"]:
            kwargs["worker_id"] = options["worker_id"]
        call_command("db_worker", **kwargs)
