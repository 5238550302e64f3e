"""``mitra demo``: write the deterministic demo world, or print its logins as JSON."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mitra.core.errors import Conflict
from mitra.demo.generator import SIZES
from mitra.demo.selectors import demo_logins
from mitra.demo.services import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    """Seed the demo world (refusing a database that has organisations unless --reset), or print its logins."""

    help = (
        "Write realistic Indonesian demo companies, people, partnerships and bridges. Deterministic: the same "
        "--size and --seed give the same world. Refuses a database that already has organisations unless "
        f"--reset. Every demo person signs in with the password {DEMO_PASSWORD!r}. "
        "--logins prints the logins as JSON on stdout (alone: the logins already in the database)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--size", choices=tuple(SIZES), default=None, help="small (default), medium or large"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--reset", action="store_true", help="empty the whole database first (like `mitra flush`)"
        )
        parser.add_argument(
            "--logins",
            action="store_true",
            help="print a JSON list of {email, password, organisation, departments, role}; "
            "without --size, only print the logins of the data already there",
        )

    def handle(
        self, *args: Any, size: str | None, seed: int, reset: bool, logins: bool, **options: Any
    ) -> None:
        if size is not None or reset or not logins:
            try:
                summary = demo_seed(size=size or "small", seed=seed, reset=reset)
            except Conflict as exc:
                raise CommandError(exc.message) from exc
            workflows = ", ".join(
                f"{count} {name.replace('_', ' ')}" for name, count in summary.workflows.items()
            )
            message = (
                f"Demo world '{summary.size}' (seed {summary.seed}): {summary.organisations} organisations, "
                f"{summary.people} people, {summary.partnerships} partnerships, {summary.bridges} bridges. "
                f"Two years of shared work: {workflows}. "
                f"Everyone signs in with the password {DEMO_PASSWORD!r}; `mitra demo --logins` lists them."
            )
            # With --logins, stdout carries JSON only, so the summary goes to stderr.
            (self.stderr if logins else self.stdout).write(message)
        if logins:
            self.stdout.write(json.dumps(demo_logins(), ensure_ascii=False, indent=2))
