"""The import pages of a partnership: upload → column mapping → dry run → commit, with progress for large files.

1. The list of the organisation's recent imports and the upload form (the kind, the file).
2. For a spreadsheet, the mapping step: the file's column for each of the kind's columns, guessed at first,
   with the file's first rows to show what each column holds.
3. The dry run: what would be created, changed or left as it is, or every bad row, nothing written.
4. The commit, all rows or none; the same page then shows what was written.

A large file is checked and written by the job worker; its page shows the phase and a progress bar, polled.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.rows import RowErrors
from mitra.core.services import require_writer
from mitra.core.tenancy import Actor
from mitra.partnerships.views import workspace_context
from mitra.transfer import files, importing, kinds
from mitra.transfer.forms import EDI_CHOICE_LABEL, MappingForm, UploadForm
from mitra.transfer.models import ImportFormat, ImportRun, ImportStatus
from mitra.web.http import actor_of, add_invalid, domain_errors, invalid_text

RECENT = 25
SAMPLE_ROWS = 5
HEAD_BYTES = 256 * 1024  # the mapping page reads the first rows of a CSV from this much of it
ACTION_LABELS = {
    "create": gettext_lazy("new"),
    "update": gettext_lazy("changed"),
    "unchanged": gettext_lazy("unchanged"),
}


# ---- shared pieces -----------------------------------------------------------------------------------


def _context(request: HttpRequest, pk: int) -> tuple[Actor, dict[str, Any]]:
    actor = actor_of(request)
    return actor, workspace_context(actor, pk, tab="imports")


def _allowed_kinds(actor: Actor) -> list[kinds.ImportKind]:
    return [k for k in kinds.all_kinds() if actor.is_admin or not k.admin_only]


def _kind_choices(actor: Actor) -> list[tuple[str, Any]]:
    return [*((k.name, k.label) for k in _allowed_kinds(actor)), (importing.EDI_KIND, EDI_CHOICE_LABEL)]


def _kind_labels() -> dict[str, Any]:
    return {**{k.name: k.label for k in kinds.all_kinds()}, importing.EDI_KIND: EDI_CHOICE_LABEL}


def _kinds_help(actor: Actor, pk: int) -> list[dict[str, Any]]:
    template = reverse("transfer:import_template", kwargs={"pk": pk})
    return [
        {
            "name": k.name,
            "label": k.label,
            "description": k.description,
            "columns": k.columns,
            "admin_only": k.admin_only,
            "template_url": f"{template}?kind={k.name}",
        }
        for k in _allowed_kinds(actor)
    ]


def _run_url(pk: int, run_id: int, query: str = "") -> str:
    url = reverse("transfer:import_run", kwargs={"pk": pk, "run_id": run_id})
    return f"{url}?{query}" if query else url


def _list_page(
    request: HttpRequest,
    actor: Actor,
    context: dict[str, Any],
    form: UploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    labels = _kind_labels()
    runs = list(importing.import_runs(actor, context["p"].pk)[:RECENT])
    context.update(
        form=form or UploadForm(kinds=_kind_choices(actor)),
        runs=[{"run": r, "kind_label": labels.get(r.kind, r.kind)} for r in runs],
        kinds_help=_kinds_help(actor, context["p"].pk),
        max_megabytes=files.MAX_FILE_BYTES // (1024 * 1024),
    )
    return render(request, "transfer/imports.html", context, status=status)


def _sample(run: ImportRun) -> list[list[str]]:
    """The first rows of the file, each as wide as its header (for the mapping step)."""
    data = bytes(run.data)
    if run.file_format == ImportFormat.CSV and len(data) > HEAD_BYTES:
        cut = data.rfind(b"\n", 0, HEAD_BYTES)
        if cut > 0:
            data = data[: cut + 1]
    try:
        table = files.read_table(data, run.filename)
    except RowErrors:
        return []
    width = len(run.headers)
    return [(row + [""] * width)[:width] for row in table.rows[:SAMPLE_ROWS]]


def _mapping_page(
    request: HttpRequest,
    context: dict[str, Any],
    run: ImportRun,
    form: MappingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    kind = importing.kind_named(run.kind)
    form = form or MappingForm(kind=kind, headers=run.headers, mapping=run.mapping)
    context.update(
        run=run,
        kind=kind,
        kind_label=kind.label,
        form=form,
        mapping_rows=[{"field": form[c.name], "column": c} for c in kind.columns],
        headers=run.headers,
        sample=_sample(run),
    )
    return render(request, "transfer/import_mapping.html", context, status=status)


def _report_view(run: ImportRun) -> dict[str, Any] | None:
    """The dry run's (or the commit's) counts per kind and each kind's preview rows with their action."""
    report = run.report or {}
    if not report:
        return None
    labels = _kind_labels()
    parts = []
    for k in report.get("kinds", []):
        preview = k.get("preview", [])
        spec = kinds.get(k["kind"])
        titles = {c.name: c.label for c in spec.columns} if spec else {}
        # the kind's columns, and others the loader adds, but not the database ids of what a row names
        columns = [
            c
            for c in (preview[0] if preview else {})
            if c != "action" and (c in titles or not c.endswith("_id"))
        ]
        parts.append(
            {
                **k,
                "label": labels.get(k["kind"], k["kind"]),
                "columns": [{"name": c, "label": titles.get(c, c)} for c in columns],
                "rows_shown": [
                    {
                        "cells": [row.get(c, "") for c in columns],
                        "action": row.get("action", ""),
                        "action_label": ACTION_LABELS.get(row.get("action", ""), row.get("action", "")),
                    }
                    for row in preview
                ],
                "more": max(0, k.get("rows", 0) - len(preview)),
            }
        )
    return {**report, "parts": parts}


def _status_context(run: ImportRun) -> dict[str, Any]:
    return {"run": run, "busy": run.busy, "status_label": run.get_status_display()}


# ---- pages -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def import_list(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: recent imports and the upload form. POST: take the file; then map its columns (a spreadsheet)
    or check it at once (an EDI interchange)."""
    actor, context = _context(request, pk)
    if request.method != "POST":
        return _list_page(request, actor, context)
    require_writer(actor)
    form = UploadForm(request.POST, request.FILES, kinds=_kind_choices(actor))
    if not form.is_valid():
        return _list_page(request, actor, context, form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read(files.MAX_FILE_BYTES + 1)
    try:
        run = importing.import_upload(
            actor, partnership_id=pk, kind=form.cleaned_data["kind"], data=data, filename=upload.name
        )
    except RowErrors as exc:
        context.update(upload_errors=[e.as_dict() for e in exc.rows], upload_name=upload.name)
        return _list_page(request, actor, context, form, status=400)
    except Invalid as exc:
        add_invalid(form, exc)
        return _list_page(request, actor, context, form, status=400)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("transfer:imports", pk=pk)
    if run.is_edi:
        importing.import_execute(actor, partnership_id=pk, run_id=run.pk, dry_run=True)
    return redirect(_run_url(pk, run.pk))


@login_required
@require_GET
@domain_errors
def import_run(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """One import: its mapping step, its progress, its dry run or what it wrote."""
    actor, context = _context(request, pk)
    run = importing.import_run(actor, pk, run_id)
    mapping_step = (
        not run.is_edi
        and not run.busy
        and context["writable"]
        and (run.status == ImportStatus.UPLOADED or request.GET.get("step") == "map")
    )
    if mapping_step:
        return _mapping_page(request, context, run)
    context.update(
        kind_label=_kind_labels().get(run.kind, run.kind),
        report=None if run.busy else _report_view(run),
        **_status_context(run),
    )
    return render(request, "transfer/import_run.html", context)


@login_required
@require_POST
@domain_errors
def import_map(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """Save the column mapping and check the file with it (a dry run)."""
    actor, context = _context(request, pk)
    require_writer(actor)
    run = importing.import_run(actor, pk, run_id)
    if run.is_edi:
        raise Http404("An EDI message has no column mapping.")
    kind = importing.kind_named(run.kind)
    if kind.admin_only and not actor.is_admin:
        raise PermissionDenied(_("Only your organisation's admins can import this."))
    form = MappingForm(request.POST, kind=kind, headers=run.headers, mapping=run.mapping)
    if not form.is_valid():
        return _mapping_page(request, context, run, form, status=400)
    try:
        importing.import_map(actor, partnership_id=pk, run_id=run.pk, mapping=form.mapping())
        importing.import_execute(actor, partnership_id=pk, run_id=run.pk, dry_run=True)
    except RowErrors as exc:
        for e in exc.rows:
            form.add_error(e.column if e.column in form.fields else None, e.message)
        return _mapping_page(request, context, run, form, status=400)
    except Conflict as exc:
        messages.error(request, exc.message)
    return redirect(_run_url(pk, run.pk))


def _execute(request: HttpRequest, pk: int, run_id: int, *, dry_run: bool) -> HttpResponse:
    actor, _page = _context(request, pk)
    require_writer(actor)
    try:
        run = importing.import_execute(actor, partnership_id=pk, run_id=run_id, dry_run=dry_run)
    except Conflict as exc:
        messages.error(request, exc.message)
    except Invalid as exc:
        messages.error(request, invalid_text(exc))
    else:
        if run.status == ImportStatus.DONE:
            report = run.report
            messages.success(
                request,
                _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
                % {
                    "created": report.get("created", 0),
                    "updated": report.get("updated", 0),
                    "unchanged": report.get("unchanged", 0),
                },
            )
    return redirect(_run_url(pk, run_id))


@login_required
@require_POST
@domain_errors
def import_check(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """Check the uploaded file again (a dry run): nothing is written."""
    return _execute(request, pk, run_id, dry_run=True)


@login_required
@require_POST
@domain_errors
def import_commit(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """Write every row of the file, or on any bad row none of them."""
    return _execute(request, pk, run_id, dry_run=False)


@login_required
@require_GET
@domain_errors
def import_status(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """The run's phase and progress (polled by htmx while it is queued, checking or importing). When a
    polled run has ended, the page reloads to show its outcome."""
    actor, context = _context(request, pk)
    run = importing.import_run(actor, pk, run_id)
    context.update(_status_context(run))
    response = render(request, "transfer/_import_status.html", context)
    if request.GET.get("poll") == "1" and not run.busy:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
@domain_errors
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """An empty CSV file with the chosen kind's columns, to fill in."""
    _context(request, pk)
    kind = kinds.get(request.GET.get("kind", ""))
    if kind is None:
        raise Http404("No such kind of import.")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(kind.column_names)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mitra-import-{kind.name}.csv"'
    return response
