"""The transfer API: imports of spreadsheets and EDI interchanges into a partnership."""

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from mitra.core.api import Id, Page, actor_of, errors
from mitra.core.errors import Invalid
from mitra.core.rows import RowErrors
from mitra.core.services import require_writer
from mitra.partnerships.workspace import writable_partnership
from mitra.transfer import files, importing, kinds
from mitra.transfer.models import ImportRun, ImportStatus
from mitra.transfer.schemas import (
    TransferImportDetailOut,
    TransferImportError,
    TransferImportOut,
)

router = Router(tags=["transfer"])
READ_ERRORS = errors(401, 404, 422)


# ---- imports ---------------------------------------------------------------------------------------------
# The file is read from ``request.FILES`` rather than declared as a ninja parameter, so that the access check
# answers (404, 403) before a missing file does (422); the request body is documented here instead. The
# middleware refuses a form field holding a NUL character before the API sees it (plain text, 400).

IMPORTS = "/partnerships/{partnership_id}/imports"
IMPORT_ERRORS = {**errors(401, 403, 404, 409), 422: TransferImportError}
IMPORT_UPLOAD_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "kind": {
                            "type": "string",
                            "maxLength": 20,
                            "description": "The kind of records (contacts, touchpoints, deliveries, invoices, "
                            "payments, value, members, items, locations, sell_out, stock, open_orders), or "
                            "``edi`` for an EDIFACT or X12 interchange",
                        },
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A CSV (UTF-8) or XLSX sheet with a header row, or an EDI interchange",
                        },
                        "mapping": {
                            "type": "string",
                            "description": "A JSON object: the kind's column → the file's column, e.g. "
                            '{"reference": "Surat Jalan"}. Columns not named are guessed from the headers.',
                        },
                        "dry_run": {
                            "type": "boolean",
                            "description": "Check and preview every row; write nothing",
                        },
                    },
                    "required": ["kind", "file"],
                }
            }
        },
    },
    "responses": {
        400: {
            "description": "A form field holds a NUL character",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    },
}
TRUE_WORDS = ("true", "1", "on", "yes")
FALSE_WORDS = ("false", "0", "off", "no", "")


def _import_row_errors(exc: RowErrors) -> Status:
    """A 422 that lists every bad row with its row number, column and message (nothing was written)."""
    return Status(
        422,
        {
            "detail": exc.message,
            "code": exc.code,
            "errors": exc.as_list(),
            "rows": [e.as_dict() for e in exc.rows],
            "error_total": exc.total,
        },
    )


def _import_outcome(run: ImportRun) -> Any:
    """200 with the run when it passed, 202 when the job worker has it, 422 with every bad row when not."""
    if run.status == ImportStatus.QUEUED:
        return Status(202, run)
    if run.status == ImportStatus.FAILED:
        first = run.errors[0] if run.errors else {"message": str(run.get_status_display())}
        return Status(
            422,
            {
                "detail": str(first["message"]),
                "code": "invalid_rows",
                "errors": [
                    {
                        "field": f"row {e['row']}.{e['column']}" if e["row"] else e["column"],
                        "message": e["message"],
                    }
                    for e in run.errors
                ],
                "rows": run.errors,
                "error_total": run.error_total,
                "run_id": run.pk,
            },
        )
    return run


def _import_form(request: HttpRequest) -> tuple[str, Any, dict[str, str] | None, bool]:
    """The multipart form's kind, file, mapping and dry run flag; every fault at once as a 422."""
    problems: dict[str, list[str]] = {}
    kind = request.POST.get("kind", "").strip()
    if not kind:
        problems["kind"] = [_("Name the kind of records in the form field “kind” (or edi).")]
    elif len(kind) > 20:
        problems["kind"] = [_("Unknown kind of import.")]
    upload = request.FILES.get("file")
    if upload is None:
        problems["file"] = [_("Attach the file as the form field “file”.")]
    mapping: dict[str, str] | None = None
    raw = request.POST.get("mapping", "").strip()
    if raw:
        try:
            parsed = json.loads(raw)
        except (ValueError, RecursionError):
            parsed = None
        if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
            problems["mapping"] = [
                _('The mapping must be a JSON object of column names, like {"reference": "Surat Jalan"}.')
            ]
        else:
            mapping = {str(k): v for k, v in parsed.items()}
    flag = request.POST.get("dry_run", "").strip().lower()
    if flag not in TRUE_WORDS + FALSE_WORDS:
        problems["dry_run"] = [_("Write true or false.")]
    if problems:
        raise Invalid(problems)
    return kind, upload, mapping, flag in TRUE_WORDS


@router.post(
    IMPORTS,
    response={200: TransferImportDetailOut, **IMPORT_ERRORS},
    operation_id="transfer_import_create",
    openapi_extra=IMPORT_UPLOAD_OPENAPI,
)
def transfer_import_create(request: HttpRequest, partnership_id: Id) -> Any:
    """Import a file in one call (multipart form: ``kind``, ``file``, optionally ``mapping`` and ``dry_run``).

    The whole file is checked in one go: 200 with what was written (or on a dry run, what would be), or 422
    listing every bad row, with nothing written. Rows are matched on natural keys, so the same file again
    writes nothing. The run is kept: ``…/imports/{run_id}/check`` and ``…/commit`` run it again."""
    actor = actor_of(request)
    writable_partnership(actor, partnership_id)
    require_writer(actor)
    kind, upload, mapping, dry_run = _import_form(request)
    data = upload.read(files.MAX_FILE_BYTES + 1)
    try:
        if mapping and kind != importing.EDI_KIND and (spec := kinds.get(kind)) is not None:
            table = files.read_table(data, upload.name)
            mapping = {**kinds.guess_mapping(spec, table.headers), **mapping}
            mapping = {k: v for k, v in mapping.items() if v}
        run = importing.import_file(
            actor,
            partnership_id=partnership_id,
            kind=kind,
            data=data,
            filename=upload.name or "",
            mapping=mapping or None,
            dry_run=dry_run,
        )
    except RowErrors as exc:
        return _import_row_errors(exc)
    return _import_outcome(run)


@router.get(
    IMPORTS, response={200: list[TransferImportOut], **READ_ERRORS}, operation_id="transfer_import_list"
)
@paginate(Page)
def transfer_import_list(request: HttpRequest, partnership_id: Id) -> Any:
    """Your organisation's imports into the partnership, newest first (your partner does not see them)."""
    return importing.import_runs(actor_of(request), partnership_id)


@router.get(
    IMPORTS + "/{run_id}",
    response={200: TransferImportDetailOut, **READ_ERRORS},
    operation_id="transfer_import_get",
)
def transfer_import_get(request: HttpRequest, partnership_id: Id, run_id: Id) -> Any:
    """One import: its status and phase (poll it while a large file is queued, checking or importing), its
    report and its bad rows."""
    return importing.import_run(actor_of(request), partnership_id, run_id)


def _import_again(request: HttpRequest, partnership_id: int, run_id: int, *, dry_run: bool) -> Any:
    run = importing.import_execute(
        actor_of(request), partnership_id=partnership_id, run_id=run_id, dry_run=dry_run
    )
    return _import_outcome(run)


@router.post(
    IMPORTS + "/{run_id}/check",
    response={200: TransferImportDetailOut, 202: TransferImportDetailOut, **IMPORT_ERRORS},
    operation_id="transfer_import_check",
)
def transfer_import_check(request: HttpRequest, partnership_id: Id, run_id: Id) -> Any:
    """Check the uploaded file again (a dry run): 200 with the preview, 422 with every bad row. A large file
    goes to the job worker: 202, then poll the import."""
    return _import_again(request, partnership_id, run_id, dry_run=True)


@router.post(
    IMPORTS + "/{run_id}/commit",
    response={200: TransferImportDetailOut, 202: TransferImportDetailOut, **IMPORT_ERRORS},
    operation_id="transfer_import_commit",
)
def transfer_import_commit(request: HttpRequest, partnership_id: Id, run_id: Id) -> Any:
    """Write every row of the uploaded file, or on any bad row none (422 listing them all). A large file
    goes to the job worker: 202, then poll the import."""
    return _import_again(request, partnership_id, run_id, dry_run=False)
