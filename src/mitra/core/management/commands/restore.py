"""``mitra restore PATH [--yes]``: replace the database with a backup, then check it against its manifest."""

from __future__ import annotations

import sys
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mitra.core.backup import ENGINE_NAMES, BackupError, BackupFile, describe, restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `mitra backup`, then compare its manifest."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _(
            "Replace the whole current database with a backup made by `mitra backup` (stop the server "
            "and the workers first), then compare each table's rows and the value ledger's checksum with "
            "the manifest saved next to the backup. Exits non-zero when they differ."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH", help=cast(str, gettext_lazy("the backup file")))
        parser.add_argument(
            "--yes",
            action="store_true",
            help=cast(str, gettext_lazy("do not ask: replace the current database")),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        confirm = (lambda checked: True) if options["yes"] else self._ask
        try:
            result = restore(options["path"], confirm=confirm)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Restored %(path)s into the %(engine)s database %(name)s.")
            % {
                "path": result.backup.path,
                "engine": ENGINE_NAMES[result.backup.engine],
                "name": connection.settings_dict["NAME"],
            }
        )
        if options["verbosity"] >= 1:
            for line in describe(result.manifest):
                self.stdout.write(line)
        if result.backup.expected is None:
            self.stdout.write(_("No manifest next to the backup: nothing to compare with."))
            return
        if result.ok:
            self.stdout.write(
                ngettext(
                    "The restored database matches the manifest: %(tables)s tables, %(rows)s rows, "
                    "%(entries)s value ledger entry with the same checksum.",
                    "The restored database matches the manifest: %(tables)s tables, %(rows)s rows, "
                    "%(entries)s value ledger entries with the same checksum.",
                    result.manifest.ledger_entries,
                )
                % {
                    "tables": len(result.manifest.tables),
                    "rows": result.manifest.rows,
                    "entries": result.manifest.ledger_entries,
                }
            )
            return
        for difference in result.differences:
            self.stderr.write(f"  {difference}")
        raise CommandError(
            ngettext(
                "The restored database does not match the backup's manifest (%(count)s difference).",
                "The restored database does not match the backup's manifest (%(count)s differences).",
                len(result.differences),
            )
            % {"count": len(result.differences)}
        )

    def _ask(self, checked: BackupFile) -> bool:
        if not sys.stdin.isatty():
            raise CommandError(
                _("A restore replaces the whole current database. Run it again with --yes to confirm.")
            )
        self.stdout.write(
            _("This replaces the whole %(engine)s database %(name)s with %(path)s (made %(made)s).")
            % {
                "engine": ENGINE_NAMES[checked.engine],
                "name": connection.settings_dict["NAME"],
                "path": checked.path,
                "made": checked.created_at or _("at an unknown time"),
            }
        )
        answer = input(_("Type yes to continue: ")).strip().lower()
        return answer in {"yes", _("yes").lower()}
