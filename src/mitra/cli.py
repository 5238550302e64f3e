"""The ``mitra`` command: Django's manage.py for this project (``mitra migrate``, ``mitra demo``, …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mitra.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else ["mitra", *sys.argv[1:]])


if __name__ == "__main__":
    main()
