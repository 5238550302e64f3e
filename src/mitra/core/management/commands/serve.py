"""``mitra serve``: the production web server (gunicorn), static files served by whitenoise."""

from __future__ import annotations

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from mitra.config import env

WSGI_APP = "mitra.config.wsgi:application"


def gunicorn_argv(*, bind: str, workers: int, threads: int, timeout: int, extra: list[str]) -> list[str]:
    """The gunicorn command line ``mitra serve`` runs."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        WSGI_APP,
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        # Behind a proxy: trust X-Forwarded-* from it (the proxy is the only way in).
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        # Several servers may run on one host; gunicorn's control socket would be one shared path in $HOME.
        "--no-control-socket",
        *extra,
    ]


class Command(BaseCommand):
    """Run gunicorn on mitra.config.wsgi:application; the process is replaced, so signals reach gunicorn."""

    help = (
        "Run the production web server (gunicorn) on 0.0.0.0:$PORT with an access log. Run "
        "`mitra collectstatic --noinput` first (or pass --collectstatic); whitenoise serves the static files."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=None, help="port (default: $PORT, else 8000)")
        parser.add_argument(
            "--bind", default=None, help="full bind address, e.g. 127.0.0.1:8001 or unix:/run/mitra.sock"
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="worker processes (default: $WEB_CONCURRENCY, else 2)"
        )
        parser.add_argument("--threads", type=int, default=1, help="threads per worker (default 1)")
        parser.add_argument(
            "--timeout", type=int, default=60, help="seconds before a silent worker is restarted"
        )
        parser.add_argument(
            "--collectstatic", action="store_true", help="run `collectstatic --noinput` first"
        )
        parser.add_argument(
            "--print-command", action="store_true", help="print the gunicorn command and exit"
        )
        parser.add_argument("gunicorn_args", nargs="*", help="extra gunicorn options, after --")

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"] if options["port"] is not None else env.get_int("PORT")
        bind = options["bind"] or f"0.0.0.0:{port}"
        workers = options["workers"] or int(os.environ.get("WEB_CONCURRENCY") or 2)
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        argv = gunicorn_argv(
            bind=bind,
            workers=workers,
            threads=options["threads"],
            timeout=options["timeout"],
            extra=options["gunicorn_args"],
        )
        if options["print_command"]:
            self.stdout.write(" ".join(argv))
            return
        if options["collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=1)
        self.stdout.write(f"Mitra serving on {bind} with {workers} worker(s)")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mitra.config.settings")
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
