"""``mitra backup [--output PATH]``: a consistent copy of the whole database, with its manifest."""

from __future__ import annotations

from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitra.core.backup import BackupError, backup, describe, size_text


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and write its manifest next to it."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _(
            "Back up the whole database while the server runs: SQLite through its online backup API, "
            "PostgreSQL through pg_dump --format=custom. Writes a .json manifest next to it with each "
            "table's rows and the value ledger's checksum."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            metavar="PATH",
            help=cast(
                str,
                gettext_lazy(
                    "file or existing folder to write to (default: "
                    "MITRA_VAR_DIR/backups/mitra-ENGINE-YYYYmmdd-HHMMSS.sqlite3 or .dump, in UTC)"
                ),
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(options["output"])
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_("Backup written: %(path)s") % {"path": result.path})
        if options["verbosity"] < 1:
            return
        self.stdout.write(_("Size: %(size)s") % {"size": size_text(result.size)})
        self.stdout.write(_("SHA-256 of the file: %(sha256)s") % {"sha256": result.sha256})
        for line in describe(result.manifest):
            self.stdout.write(line)
        self.stdout.write(_("Manifest: %(path)s") % {"path": result.sidecar})
