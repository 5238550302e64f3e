"""The one import mechanism: upload → column mapping → dry run → commit, for every kind and format.

A file is a spreadsheet (CSV or XLSX, its columns mapped onto the kind's) or an EDI interchange (EDIFACT
or X12, whose messages map onto kinds by themselves). Checking and writing happen in one transaction: a
dry run rolls it back and reports what would happen, a commit writes every row or, on any bad row, none
and reports them all. Rows are matched on natural keys, so committing the same file again changes nothing.
Small files run inline; large ones on the job worker, with the run's phase on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from mitra.core.history import records_actor
from mitra.core.jobs import enqueue_on_commit
from mitra.core.rows import RowError, RowErrors
from mitra.core.services import require_writer
from mitra.core.tenancy import Actor
from mitra.partnerships.workspace import shared_partnership, writable_partnership
from mitra.transfer import edi, files, kinds
from mitra.transfer.models import ImportRun, ImportStatus

EDI_KIND = "edi"
INLINE_ROWS = 5000  # larger files are checked and written by the job worker


@dataclass
class Batch:
    kind: kinds.ImportKind
    rows: list[dict[str, str]]
    lines: list[int]
    source: str = ""


def kind_named(name: str) -> kinds.ImportKind:
    kind = kinds.get(name)
    if kind is None:
        choices = ", ".join(k.name for k in kinds.all_kinds())
        raise Invalid(
            {"kind": [_("Unknown kind of import. Choose one of: %(choices)s.") % {"choices": choices}]}
        )
    return kind


def _check_kind_allowed(actor: Actor, kind: kinds.ImportKind) -> None:
    if kind.admin_only and not actor.is_admin:
        raise PermissionDenied(_("Only your organisation's admins can import this."))


# ---- selectors -------------------------------------------------------------------------------------------


def import_runs(actor: Actor, partnership_id: int) -> QuerySet[ImportRun]:
    """The actor's organisation's imports into the partnership, newest first (the partner does not see them)."""
    partnership = shared_partnership(actor, partnership_id)
    return (
        ImportRun.objects.filter(partnership=partnership, organisation_id=actor.organisation_id)
        .select_related("created_by__user")
        .defer("data")
    )


def import_run(actor: Actor, partnership_id: int, run_id: int, *, for_update: bool = False) -> ImportRun:
    runs = import_runs(actor, partnership_id)
    if for_update:
        runs = runs.select_for_update(of=("self",))
    run = runs.filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("Import not found."))
    return run


# ---- services --------------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def import_upload(
    actor: Actor,
    *,
    partnership_id: int,
    kind: str,
    data: bytes,
    filename: str = "",
    mapping: dict[str, str] | None = None,
) -> ImportRun:
    """Take a file: read its header (or recognise its EDI envelope) and guess the column mapping.

    Nothing is checked or written yet; the run waits for the mapping, a dry run or a commit."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    files.check_size(data)
    edi_format = edi.sniff(data)
    if kind == EDI_KIND or edi_format:
        if edi_format is None:
            raise RowErrors([RowError(0, "file", _("This is neither an EDIFACT nor an X12 interchange."))])
        kind, file_format, headers, rows_total = EDI_KIND, edi_format, [], 0
        guessed: dict[str, str] = {}
    else:
        spec = kind_named(kind)
        _check_kind_allowed(actor, spec)
        table = files.read_table(data, filename)
        file_format = files.detect_format(data, filename)
        headers, rows_total = table.headers, len(table.rows)
        guessed = kinds.guess_mapping(spec, headers)
        if mapping:
            kinds.check_mapping(spec, headers, mapping)
    return ImportRun.objects.create(
        partnership=partnership,
        organisation_id=actor.organisation_id,
        created_by=actor.membership,
        kind=kind,
        filename=(filename or "")[:200],
        file_format=file_format,
        data=data,
        headers=headers,
        mapping=mapping or guessed,
        rows_total=rows_total,
    )


@records_actor
@transaction.atomic
def import_map(actor: Actor, *, partnership_id: int, run_id: int, mapping: dict[str, str]) -> ImportRun:
    """Set the file's column for each of the kind's columns (a spreadsheet import only)."""
    require_writer(actor)
    writable_partnership(actor, partnership_id)
    run = import_run(actor, partnership_id, run_id, for_update=True)
    if run.is_edi:
        raise Invalid({"mapping": [_("An EDI message needs no column mapping.")]})
    if run.busy:
        raise Conflict(_("This import is running; wait until it ends."))
    mapping = {k: v for k, v in mapping.items() if v}
    kinds.check_mapping(kind_named(run.kind), run.headers, mapping)
    run.mapping = mapping
    run.status = ImportStatus.UPLOADED
    run.save(update_fields=["mapping", "status"])
    return run


@records_actor
@transaction.atomic
def import_execute(
    actor: Actor, *, partnership_id: int, run_id: int, dry_run: bool, background: bool | None = None
) -> ImportRun:
    """Dry-run or commit an uploaded file. Inline for small files; queued on the job worker for large ones
    (``background`` forces either way). The run records the report or every bad row."""
    require_writer(actor)
    writable_partnership(actor, partnership_id)
    run = import_run(actor, partnership_id, run_id, for_update=True)
    if run.busy:
        raise Conflict(_("This import is running; wait until it ends."))
    if run.kind != EDI_KIND:
        _check_kind_allowed(actor, kind_named(run.kind))
    if background is None:
        background = run.rows_total > INLINE_ROWS or len(run.data) > 2 * 1024 * 1024
    if background:
        run.status = ImportStatus.QUEUED
        run.phase = ""
        run.progress = 0
        run.save(update_fields=["status", "phase", "progress"])
        enqueue_on_commit("mitra.transfer.tasks.run_import", run.pk, int(dry_run))
        return run
    return execute(actor, run, dry_run=dry_run)


def batches_of(run: ImportRun) -> list[Batch]:
    """The run's rows by kind: the mapped sheet, or the EDI interchange's messages."""
    data = bytes(run.data)
    if run.kind == EDI_KIND:
        found = []
        for batch in edi.read(data):
            kind = kinds.get(batch.kind)
            if kind is None:  # pragma: no cover - the EDI readers only produce registered kinds
                raise RowErrors(
                    [RowError(0, "file", _("Unknown kind of import: %(kind)s.") % {"kind": batch.kind})]
                )
            found.append(Batch(kind, batch.rows, batch.lines, batch.source))
        if not found:
            raise RowErrors([RowError(0, "file", _("The interchange holds no message Mitra imports."))])
        return found
    kind = kind_named(run.kind)
    table = files.read_table(data, run.filename)
    kinds.check_mapping(kind, table.headers, run.mapping)
    return [Batch(kind, kinds.apply_mapping(table.headers, table.rows, run.mapping), table.lines)]


def _phase(run: ImportRun, phase: str, progress: int, status: str) -> None:
    run.phase, run.progress, run.status = phase, progress, status
    ImportRun.objects.filter(pk=run.pk).update(phase=phase, progress=progress, status=status)


def execute(actor: Actor, run: ImportRun, *, dry_run: bool) -> ImportRun:
    """Check (and unless ``dry_run``, write) every row of the run in one transaction; record the outcome."""
    busy = ImportStatus.CHECKING if dry_run else ImportStatus.IMPORTING
    _phase(run, _("Reading the file"), 5, busy)
    reports: list[kinds.KindReport] = []
    try:
        batches = batches_of(run)
        total = sum(len(b.rows) for b in batches)
        _phase(
            run,
            _("Checking %(count)s rows") % {"count": total}
            if dry_run
            else _("Writing %(count)s rows") % {"count": total},
            20,
            busy,
        )
        with transaction.atomic():
            for batch in batches:
                _check_kind_allowed(actor, batch.kind)
                reports.append(
                    batch.kind.load(actor, run.partnership, batch.rows, batch.lines, dry_run=dry_run)
                )
            if dry_run:
                transaction.set_rollback(True)
    except RowErrors as exc:
        run.status = ImportStatus.FAILED
        run.errors = [e.as_dict() for e in exc.rows]
        run.error_total = exc.total
        run.report = {}
    except (Invalid, PermissionDenied) as exc:
        run.status = ImportStatus.FAILED
        errors = getattr(exc, "errors", None) or {"file": [exc.message]}
        run.errors = [{"row": 0, "column": k, "message": str(m)} for k, ms in errors.items() for m in ms]
        run.error_total = len(run.errors)
        run.report = {}
    else:
        run.status = ImportStatus.CHECKED if dry_run else ImportStatus.DONE
        run.errors, run.error_total = [], 0
        run.report = {
            "dry_run": dry_run,
            "rows": sum(r.rows for r in reports),
            "created": sum(r.created for r in reports),
            "updated": sum(r.updated for r in reports),
            "unchanged": sum(r.unchanged for r in reports),
            "kinds": [r.as_dict() for r in reports],
        }
        if dry_run:
            run.checked_at = timezone.now()
        else:
            run.committed_at = timezone.now()
        run.rows_total = run.report["rows"]
    run.phase, run.progress = "", 100
    run.save(
        update_fields=[
            "status",
            "errors",
            "error_total",
            "report",
            "phase",
            "progress",
            "checked_at",
            "committed_at",
            "rows_total",
        ]
    )
    return run


@records_actor
@transaction.atomic
def import_file(
    actor: Actor,
    *,
    partnership_id: int,
    kind: str,
    data: bytes,
    filename: str = "",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
) -> ImportRun:
    """Upload, check and (unless ``dry_run``) write a file in one call, inline: the API and the command."""
    run = import_upload(
        actor, partnership_id=partnership_id, kind=kind, data=data, filename=filename, mapping=mapping
    )
    return execute(actor, run, dry_run=dry_run)


def report_rows(run: ImportRun) -> list[dict[str, Any]]:
    """Every row of the dry run's preview across kinds, with the kind named."""
    return [
        {"kind": k["kind"], **row}
        for k in (run.report or {}).get("kinds", [])
        for row in k.get("preview", [])
    ]
