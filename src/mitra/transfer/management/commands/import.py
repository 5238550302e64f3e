"""``mitra import KIND FILE --partnership ID [--dry-run]``: the import machinery from the command line.

KIND is one of the import kinds (``mitra import --list`` shows them) or ``edi`` for an EDIFACT or X12
interchange. The whole file is checked in one transaction: on any bad row nothing is written, every bad
row is printed (row, column, reason) and the command exits with status 1.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from mitra.accounts.models import Membership, Role, User
from mitra.accounts.selectors import actor_for, actor_from_membership
from mitra.core.errors import MitraError
from mitra.core.rows import RowErrors
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership
from mitra.transfer import importing, kinds
from mitra.transfer.models import ImportStatus


def _actor(partnership_id: int, email: str | None) -> Actor:
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        raise CommandError(f"No partnership with id {partnership_id}.")
    parties = (partnership.supplier_id, partnership.customer_id)
    if email:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        actor = None
        for organisation_id in parties:
            actor = actor_for(user, organisation_id) if user else None
            if actor is not None and actor.organisation_id == organisation_id:
                return actor
        raise CommandError(
            f"{email} is not an active member of either organisation of partnership {partnership_id}."
        )
    admin = (
        Membership.objects.filter(organisation_id=partnership.supplier_id, role=Role.ADMIN, is_active=True)
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    if admin is None:
        raise CommandError("The supplier organisation has no active admin; name a person with --as.")
    return actor_from_membership(admin)


class Command(BaseCommand):
    help = "Import a CSV/XLSX file or an EDIFACT/X12 interchange into a partnership (all rows or none)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", nargs="?", help="the kind of data (see --list), or 'edi'")
        parser.add_argument("file", nargs="?", help="the CSV, XLSX or EDI file")
        parser.add_argument("--partnership", type=int, help="the partnership's id")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
        parser.add_argument(
            "--as", dest="email", help="the person importing (default: the supplier's first admin)"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=HEADER",
            help="the file's header for one of the kind's columns (repeat); the rest are guessed",
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--list", action="store_true", help="list the kinds and their columns")
        parser.add_argument("--lang", default="en", choices=["en", "id"], help="language of the messages")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        if options["list"]:
            for kind in kinds.all_kinds():
                cols = ", ".join(f"{c.name}{'*' if c.required else ''}" for c in kind.columns)
                self.stdout.write(f"{kind.name:12} {kind.label}: {cols}")
            self.stdout.write(
                "edi          EDIFACT (ORDERS, ORDRSP, DESADV, INVOIC, SLSRPT, INVRPT) or X12 (850, 855, 856, 810, 852)"
            )
            return
        if not options["kind"] or not options["file"] or options["partnership"] is None:
            raise CommandError("usage: mitra import KIND FILE --partnership ID [--dry-run]")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        mapping: dict[str, str] = {}
        for item in options["map"]:
            column, sep, header = item.partition("=")
            if not sep:
                raise CommandError(f"--map takes COLUMN=HEADER, not {item!r}")
            mapping[column.strip()] = header.strip()
        actor = _actor(options["partnership"], options["email"])
        try:
            run = self._run(actor, options, path, mapping)
        except RowErrors as exc:
            self._errors([e.as_dict() for e in exc.rows], exc.total, options)
            raise SystemExit(1) from exc
        except MitraError as exc:
            detail = getattr(exc, "errors", None)
            raise CommandError(json.dumps(detail, ensure_ascii=False) if detail else exc.message) from exc
        if run.status == ImportStatus.FAILED:
            self._errors(run.errors, run.error_total, options)
            raise SystemExit(1)
        report = run.report
        if options["json"]:
            self.stdout.write(
                json.dumps({"id": run.pk, "status": run.status, **report}, ensure_ascii=False, indent=2)
            )
            return
        verb = "would be" if report["dry_run"] else "were"
        for k in report["kinds"]:
            self.stdout.write(
                f"{k['kind']}: {k['rows']} rows: {k['created']} {verb} created, {k['updated']} {verb} updated, "
                f"{k['unchanged']} unchanged"
            )
        self.stdout.write(f"import {run.pk}: {run.get_status_display()}")

    def _run(self, actor: Actor, options: dict[str, Any], path: Path, mapping: dict[str, str]) -> Any:
        data = path.read_bytes()
        if mapping and options["kind"] != importing.EDI_KIND:
            kind = importing.kind_named(options["kind"])
            from mitra.transfer import files

            table = files.read_table(data, path.name)
            mapping = {**kinds.guess_mapping(kind, table.headers), **mapping}
        return importing.import_file(
            actor,
            partnership_id=options["partnership"],
            kind=options["kind"],
            data=data,
            filename=path.name,
            mapping=mapping or None,
            dry_run=options["dry_run"],
        )

    def _errors(self, errors: list[dict[str, Any]], total: int, options: dict[str, Any]) -> None:
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"status": "failed", "errors": errors, "error_total": total}, ensure_ascii=False, indent=2
                )
            )
        else:
            self.stderr.write(f"{total} error(s); nothing was written:")
            for e in errors:
                where = f"row {e['row']}" if e["row"] else "file"
                self.stderr.write(f"  {where}, {e['column']}: {e['message']}")
