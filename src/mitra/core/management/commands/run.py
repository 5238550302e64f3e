"""``mitra run``: the development all-in-one behind ``make run``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from mitra.accounts.models import Organisation
from mitra.config import env
from mitra.demo.selectors import ROLE_ORDER, DemoLogin, demo_logins
from mitra.demo.services import DEMO_PASSWORD

TABLE_LIMIT = 40


def logins_table(logins: list[DemoLogin], limit: int = TABLE_LIMIT) -> str:
    """The demo logins as a plain-text table: e-mail, password, organisation, role."""
    header = ("E-mail", "Password", "Organisation", "Role")
    # Admins first (one per organisation), then members and viewers: the people worth signing in as.
    ordered = sorted(logins, key=lambda x: (ROLE_ORDER.get(x["role"], 9), x["organisation"], x["email"]))
    rows = [(x["email"], x["password"], x["organisation"], x["role"]) for x in ordered[:limit]]
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if len(logins) > limit:
        lines.append(f"… and {len(logins) - limit} more: `mitra demo --logins` lists them all.")
    return "\n".join(lines)


class Command(BaseCommand):
    """Migrate, seed the small demo world into an empty database, then run the worker and the dev server."""

    help = (
        "Development all-in-one: migrate, seed `demo --size small` when there are no organisations, print the "
        "demo logins, then run the job worker and the development server on 127.0.0.1:$PORT."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=None, help="port (default: $PORT, else 8000)")
        parser.add_argument("--addr", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the job worker and scheduler"
        )
        parser.add_argument("--no-reload", action="store_true", help="do not restart on code changes")

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"] if options["port"] is not None else env.get_int("PORT")
        address = f"{options['addr']}:{port}"
        call_command("migrate", interactive=False, verbosity=1)
        if not Organisation.objects.exists():
            self.stdout.write("The database has no organisations: writing the small demo world.")
            call_command("demo", size="small")
        logins = demo_logins()
        if logins:
            self.stdout.write(f"\nDemo logins (password {DEMO_PASSWORD!r} for everyone):\n")
            self.stdout.write(logins_table(logins) + "\n")
        self.stdout.write(f"Mitra: http://{address}/\n")
        self.stdout.flush()

        mitra = [sys.executable, "-m", "mitra"]
        server_argv = [*mitra, "runserver", address, *(["--noreload"] if options["no_reload"] else [])]
        # Each child runs in its own process group, so that stopping it also stops what it started
        # (the autoreloader runs the server in a grandchild).
        processes = []
        if not options["no_worker"]:
            processes.append(subprocess.Popen([*mitra, "worker"], start_new_session=True))  # noqa: S603
            processes.append(subprocess.Popen([*mitra, "schedule"], start_new_session=True))  # noqa: S603
        server = subprocess.Popen(server_argv, start_new_session=True)  # noqa: S603
        processes.append(server)
        previous = signal.signal(signal.SIGTERM, _exit_on_signal)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            for process in processes:
                _stop(process)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a child's whole process group: politely, then for good after ten seconds."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
