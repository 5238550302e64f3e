"""Planning pages (CPFR): the board (exceptions first, a chart per series), the exception queue, the order
proposals the buyer confirms, the confirmed orders, the planning data upload with a dry run, the agreed
planning terms and the push-versus-partnering simulation.

Both sides see the same plan; only the forms differ by who may do what (the buyer confirms orders).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import secrets
import zlib
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext, to_locale
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mitra.core.errors import Conflict, Invalid
from mitra.core.services import require_writer
from mitra.partnerships.models import Side
from mitra.partnerships.views import workspace_context
from mitra.planning import agreements, charts, forms, io, loading, selectors, services, tasks
from mitra.planning.models import (
    ExceptionStatus,
    PlanningAgreement,
    PlanningCycle,
    PlanningException,
    ProposalStatus,
    RunStatus,
)
from mitra.planning.services import MAX_QUANTITY
from mitra.transfer.edi import proposals as edi_orders
from mitra.transfer.listexport import page_export
from mitra.web import formatting
from mitra.web.http import actor_of, add_invalid, domain_errors, invalid_text, posted_version

BOARD_SIZE = 20
PAGE_SIZE = 50
PREVIEW_ROWS = 20
UPLOAD_SESSION = "planning_upload"
BUSY = (RunStatus.QUEUED, RunStatus.RUNNING)

EVENT_LABELS = {
    "ramadan": gettext_lazy("Ramadan"),
    "lebaran_before": gettext_lazy("Before Lebaran"),
    "lebaran": gettext_lazy("Lebaran"),
    "lebaran_after": gettext_lazy("After Lebaran"),
    "christmas": gettext_lazy("Christmas"),
    "new_year": gettext_lazy("New Year"),
    "school_start": gettext_lazy("School start"),
}
SOURCE_LABELS = {
    "statistical": gettext_lazy("Statistical forecast"),
    "supplier": gettext_lazy("Supplier's forecast"),
    "customer": gettext_lazy("Customer's forecast"),
    "consensus": gettext_lazy("Consensus"),
}
PRIORITY_LABELS = {1: gettext_lazy("High"), 2: gettext_lazy("Medium"), 3: gettext_lazy("Low")}
OWNER_LABELS = {
    "supplier": gettext_lazy("Supplier"),
    "customer": gettext_lazy("Customer"),
    "both": gettext_lazy("Both sides"),
}
ACTION_LABELS = {
    "create": gettext_lazy("new"),
    "update": gettext_lazy("changed"),
    "unchanged": gettext_lazy("unchanged"),
}


# --- formatting ------------------------------------------------------------------------------------


def number(value: Any, digits: int = 0) -> str:
    """A quantity in the reader's number format (``1.234``, ``12,5``); an em dash without one."""
    if value is None:
        return "—"
    value = float(value)
    if value != value or math.isinf(value):
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(round(value, digits), format=pattern, locale=formatting.babel_locale())


def _week(day: dt.date) -> str:
    return formatting.date(day, "medium")


def _measure(criterion: str, value: float) -> str:
    """An exception's value or threshold in its criterion's unit."""
    if criterion in ("forecast_gap", "forecast_error", "forecast_change"):
        return number(value, 1) + " %"
    if criterion in ("low_stock", "overstock"):
        return ngettext("%(n)s week of cover", "%(n)s weeks of cover", 1 if abs(value) == 1 else 2) % {
            "n": number(value, 1)
        }
    return ngettext("%(n)s unit", "%(n)s units", 1 if abs(value) == 1 else 2) % {"n": number(value)}


def _day(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


# --- shared pieces ---------------------------------------------------------------------------------


def _context(request: HttpRequest, pk: int, page: str) -> tuple[Any, dict[str, Any]]:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="planning")
    context["planning_page"] = page
    return actor, context


def _member(request: HttpRequest, pk: int) -> Any:
    """The actor, once the partnership's workspace is known to be theirs (a stranger gets 404)."""
    actor = actor_of(request)
    workspace_context(actor, pk, tab="planning")
    return actor


def _term_label(name: str) -> str:
    return str(getattr(PlanningAgreement._meta.get_field(name), "verbose_name", name))


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1


def _back(name: str, pk: int, query: str = "") -> HttpResponse:
    return redirect(reverse(f"planning:{name}", kwargs={"pk": pk}) + (f"?{query}" if query else ""))


def _error(request: HttpRequest, exc: Invalid | Conflict) -> None:
    messages.error(request, invalid_text(exc) if isinstance(exc, Invalid) else exc.message)


def _exception_row(e: PlanningException) -> dict[str, Any]:
    return {
        "e": e,
        "criterion": forms.CRITERIA.get(e.criterion, e.criterion),
        "priority": PRIORITY_LABELS.get(e.priority, str(e.priority)),
        "owner": OWNER_LABELS.get(e.owner_side, e.owner_side),
        "value": _measure(e.criterion, e.value),
        "threshold": _measure(e.criterion, e.threshold),
    }


def _cycle_view(cycle: PlanningCycle | None) -> dict[str, Any] | None:
    if cycle is None:
        return None
    return {
        "cycle": cycle,
        "busy": cycle.run_status in BUSY,
        "run_label": RunStatus(cycle.run_status).label,
    }


# --- the board -------------------------------------------------------------------------------------


def _marks(weeks: list[tuple[dt.date, list[str]]]) -> list[charts.Mark]:
    """Consecutive weeks the calendar marks alike, as one shaded span with its label."""
    spans: list[charts.Mark] = []
    for day, events in weeks:
        text = ", ".join(str(EVENT_LABELS.get(e, e)) for e in events)
        if spans and spans[-1][2] == text and (day - spans[-1][1]).days == 7:
            spans[-1] = (spans[-1][0], day, text)
        else:
            spans.append((day, day, text))
    return spans


def _series_card(s: selectors.SeriesView, marks: list[charts.Mark], now: dt.date) -> dict[str, Any]:
    history = [(_day(p), float(q)) for p, q in zip(s.history["period"], s.history["quantity"], strict=True)]
    lines = []
    band: list[tuple[dt.date, float, float]] = []
    for source in ("statistical", "supplier", "customer", "consensus"):
        part = s.forecasts[s.forecasts["source"] == source] if len(s.forecasts) else s.forecasts
        if not len(part):
            continue
        lines.append(
            (
                source,
                str(SOURCE_LABELS[source]),
                [(_day(p), float(q)) for p, q in zip(part["period"], part["quantity"], strict=True)],
            )
        )
        if source == "consensus":
            band = [
                (_day(p), float(lo), float(hi))
                for p, lo, hi in zip(part["period"], part["lo"], part["hi"], strict=True)
                if lo == lo and hi == hi
            ]
    label = _("%(item)s at %(location)s: weekly sell-out of the last year and the forecasts") % {
        "item": s.item.name,
        "location": s.location.name,
    }
    chart = charts.series_chart(
        history=history,
        lines=lines,
        band=band,
        marks=marks,
        now=now,
        label=label,
        history_label=_("Sell-out"),
        band_label=_("Consensus interval"),
        now_label=_("this week"),
        marks_label=_("Marked by the Indonesian calendar"),
        number=lambda v: number(v, 2),
        date=_week,
    )
    open_ones = [e for e in s.exceptions if e.status == ExceptionStatus.OPEN]
    proposal = s.proposal
    return {
        "s": s,
        "exceptions": [_exception_row(e) for e in open_ones],
        "chart": chart,
        "proposal": proposal,
        "proposal_quantity": number(proposal.quantity) if proposal else "",
        "proposal_position": number(proposal.position) if proposal else "",
        "proposal_up_to": number(proposal.order_up_to) if proposal else "",
        "proposal_safety": number(proposal.safety_stock) if proposal else "",
    }


@login_required
@require_GET
@domain_errors
def board(request: HttpRequest, pk: int) -> HttpResponse:
    actor, context = _context(request, pk, "board")
    page = _page_number(request)
    found = selectors.board(actor, pk, offset=(page - 1) * BOARD_SIZE, limit=BOARD_SIZE)
    summary = selectors.planning_summary(actor, pk)
    marks = _marks(selectors.marked_weeks(found.events))
    now = found.cycle.week if found.cycle else io.monday(timezone.localdate())
    pages = max(1, math.ceil(found.total / BOARD_SIZE))
    context.update(
        board=found,
        cycle=_cycle_view(found.cycle),
        summary=summary,
        summary_rows=number(summary["sell_out_rows"]),
        # counted here: cycle_list's two annotated Counts multiply each other over the joins
        open_exceptions=selectors.exception_list(actor, pk, status=ExceptionStatus.OPEN).count(),
        open_proposals=selectors.proposal_list(actor, pk, status=ProposalStatus.PROPOSED).count(),
        cards=[_series_card(s, marks, now) for s in found.series],
        page=page,
        pages=pages,
        previous_page=page - 1 if page > 1 else None,
        next_page=page + 1 if page < pages else None,
        first_shown=(page - 1) * BOARD_SIZE + 1 if found.series else 0,
        last_shown=(page - 1) * BOARD_SIZE + len(found.series),
    )
    return render(request, "planning/board.html", context)


@login_required
@require_GET
@domain_errors
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's status and progress (polled by htmx while the run is queued or running). When a polled
    run has finished, the board reloads to show what it planned."""
    actor, context = _context(request, pk, "board")
    cycle = _cycle_view(selectors.cycle_get(actor, pk))
    context["cycle"] = cycle
    response = render(request, "planning/_run_status.html", context)
    if request.GET.get("poll") == "1" and not (cycle and cycle["busy"]):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
@domain_errors
def run(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _member(request, pk)
    try:
        services.planning_run_queue(actor, partnership_id=pk)
    except (Conflict, Invalid) as exc:
        _error(request, exc)
    else:
        transaction.on_commit(lambda: tasks.run_planning.enqueue(pk))
        messages.success(request, _("Planning run queued. The board updates when it is done."))
    return _back("board", pk)


# --- exceptions ------------------------------------------------------------------------------------


@login_required
@require_GET
@domain_errors
def exception_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor, context = _context(request, pk, "exceptions")
    filters = forms.ExceptionFilterForm(request.GET)
    status = criterion = ""
    if filters.is_valid():
        status, criterion = filters.cleaned_data["status"], filters.cleaned_data["criterion"]
    found = selectors.exception_list(actor, pk, status=status or None, criterion=criterion or None)
    if exported := page_export(request, actor, "planning-exceptions", found, partnership_id=pk):
        return exported
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        filters=filters,
        filtered=bool(status or criterion),
        page=page,
        rows=[_exception_row(e) for e in page.object_list],
        resolve_form=forms.ResolveForm(),
        query_string=urlencode({"status": status, "criterion": criterion}),
        cycle=_cycle_view(selectors.cycle_get(actor, pk)),
    )
    return render(request, "planning/exceptions.html", context)


@login_required
@require_POST
@domain_errors
def exception_resolve(request: HttpRequest, pk: int, exception_id: int) -> HttpResponse:
    actor = _member(request, pk)
    selectors.exception_get(actor, pk, exception_id)
    form = forms.ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a resolution."))
    else:
        try:
            services.planning_exception_resolve(
                actor,
                partnership_id=pk,
                exception_id=exception_id,
                resolution=form.cleaned_data["resolution"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except (Conflict, Invalid) as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Exception resolved."))
    query = request.POST.get("next_query", "")
    return _back("exceptions", pk, query if query.isascii() and "/" not in query else "")


# --- proposals and orders --------------------------------------------------------------------------


@login_required
@require_GET
@domain_errors
def proposal_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor, context = _context(request, pk, "proposals")
    proposals = list(selectors.proposal_list(actor, pk))
    context.update(
        rows=[
            {
                "p": p,
                "quantity": number(p.quantity),
                "quantity_input": f"{p.quantity.normalize():f}",
                "position": number(p.position),
                "demand": number(p.demand_over_cover),
                "safety": number(p.safety_stock),
                "up_to": number(p.order_up_to),
                "open": p.status == ProposalStatus.PROPOSED,
            }
            for p in proposals
        ],
        open_count=sum(1 for p in proposals if p.status == ProposalStatus.PROPOSED),
        is_buyer=context["side"] == Side.CUSTOMER,
        cycle=_cycle_view(selectors.cycle_get(actor, pk)),
    )
    return render(request, "planning/proposals.html", context)


@login_required
@require_POST
@domain_errors
def proposals_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _member(request, pk)
    action = request.POST.get("action")
    ids = [int(v) for v in request.POST.getlist("proposal") if v.isascii() and v.isdigit() and len(v) < 12]
    quantities: dict[int, float] = {}
    bad = False
    for pid in ids:
        raw = request.POST.get(f"quantity_{pid}", "").strip()
        if not raw:
            continue
        try:
            # as the reader writes numbers: "1.200" is one thousand two hundred in Indonesian
            wanted = parse_decimal(raw, locale=to_locale(get_language() or "en"), strict=True)
        except NumberFormatError:
            try:
                wanted = Decimal(raw)
            except InvalidOperation:
                bad = True
                continue
        if not wanted.is_finite() or wanted <= 0 or wanted > MAX_QUANTITY:
            bad = True
            continue
        original = request.POST.get(f"original_{pid}", "")
        if raw != original:
            quantities[pid] = float(wanted)
    if action not in ("confirm", "reject"):
        messages.error(request, _("Choose to confirm or to reject."))
        return _back("proposals", pk)
    if bad:
        messages.error(request, _("Write each quantity as a number."))
        return _back("proposals", pk)
    try:
        orders = services.planning_proposals_decide(
            actor,
            partnership_id=pk,
            proposal_ids=ids,
            confirm=action == "confirm",
            quantities=quantities,
        )
    except (Conflict, Invalid) as exc:
        _error(request, exc)
        return _back("proposals", pk)
    if action == "confirm":
        messages.success(
            request,
            ngettext(
                "%(count)s order confirmed. The supplier sees it under Orders.",
                "%(count)s orders confirmed. The supplier sees them under Orders.",
                len(orders),
            )
            % {"count": len(orders)},
        )
        return _back("orders", pk)
    messages.success(request, _("Proposals rejected."))
    return _back("proposals", pk)


@login_required
@require_GET
@domain_errors
def order_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor, context = _context(request, pk, "orders")
    page = Paginator(selectors.order_list(actor, pk), PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        page=page,
        orders=[
            {
                "o": o,
                "lines": [{"line": line, "quantity": number(line.quantity)} for line in o.lines.all()],
            }
            for o in page.object_list
        ],
    )
    return render(request, "planning/orders.html", context)


@login_required
@require_GET
@domain_errors
def order_export(request: HttpRequest, pk: int, order_id: int) -> HttpResponse:
    actor = _member(request, pk)
    order = selectors.order_get(actor, pk, order_id)
    response = HttpResponse(selectors.order_csv(order), content_type="text/csv; charset=utf-8")
    safe_name = "".join(c for c in order.number if c.isalnum() or c in "-_") or "order"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.csv"'
    return response


def _order_edi(request: HttpRequest, pk: int, order_id: int, syntax: str) -> HttpResponse:
    name, content = edi_orders.order_edi(_member(request, pk), pk, order_id, syntax)
    kind = "application/edi-x12" if syntax == "x12" else "application/edifact"
    response = HttpResponse(content, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
@domain_errors
def order_export_edifact(request: HttpRequest, pk: int, order_id: int) -> HttpResponse:
    """The order as an EDIFACT ORDERS message (D.96A)."""
    return _order_edi(request, pk, order_id, "edifact")


@login_required
@require_GET
@domain_errors
def order_export_x12(request: HttpRequest, pk: int, order_id: int) -> HttpResponse:
    """The order as an X12 850 purchase order (004010)."""
    return _order_edi(request, pk, order_id, "x12")


# --- planning data ---------------------------------------------------------------------------------


def _columns() -> list[dict[str, Any]]:
    rows = [
        {"kind": k.name, "label": k.label, "required": k.required, "optional": k.optional}
        for k in loading.KINDS.values()
    ]
    rows.append(
        {
            "kind": forms.FORECAST_KIND,
            "label": _("My forecast"),
            "required": ("sku", "location", "period", "quantity"),
            "optional": ("source",),
        }
    )
    return rows


def _stash(request: HttpRequest, pk: int, kind: str, name: str, data: bytes) -> str:
    """Keep the checked file for the commit in the session (compressed), under a one-time token."""
    token = secrets.token_urlsafe(16)
    request.session[f"{UPLOAD_SESSION}:{pk}"] = {
        "token": token,
        "kind": kind,
        "name": name,
        "data": base64.b64encode(zlib.compress(data)).decode("ascii"),
    }
    return token


def _unstash(request: HttpRequest, pk: int, token: str) -> tuple[str, str, bytes] | None:
    kept = request.session.get(f"{UPLOAD_SESSION}:{pk}")
    if not kept or not secrets.compare_digest(str(kept.get("token", "")), token):
        return None
    try:
        data = zlib.decompress(base64.b64decode(kept["data"]))
    except (binascii.Error, zlib.error, KeyError):
        return None
    return kept["kind"], kept.get("name", ""), data


def _preview(kind: str, data: bytes, report: loading.LoadReport) -> dict[str, Any]:
    """The first rows of the file as written in it, each with what the load does with it."""
    rows = loading.read_csv(data, "sell_out" if kind == forms.FORECAST_KIND else kind)[:PREVIEW_ROWS]
    columns = list(rows[0]) if rows else []
    actions = [r.get("action", "") for r in report.preview[:PREVIEW_ROWS]]
    return {
        "columns": columns,
        "rows": [
            {
                "number": i + 2,
                "cells": [r.get(c, "") for c in columns],
                "action": ACTION_LABELS.get(actions[i], "") if i < len(actions) else "",
            }
            for i, r in enumerate(rows)
        ],
    }


def _dry_run(actor: Any, pk: int, side: str, kind: str, data: bytes) -> loading.LoadReport:
    if kind == forms.FORECAST_KIND:
        require_writer(actor)
        rows = loading.read_csv(data, "sell_out")
        frame, _sources = loading.forecast_rows(pk, rows, 2, side)
        return loading.LoadReport(kind=kind, rows=len(frame), dry_run=True)
    return services.planning_file_load(actor, partnership_id=pk, kind=kind, data=data, dry_run=True)


def _data_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("form", forms.UploadForm())
    context["columns"] = _columns()
    return render(request, "planning/data.html", context, status=status)


@login_required
@domain_errors
def data(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the upload form. POST: a dry run of the chosen file, and a commit button when it is clean."""
    actor, context = _context(request, pk, "data")
    summary = selectors.planning_summary(actor, pk)
    context.update(summary=summary, summary_rows=number(summary["sell_out_rows"]))
    if request.method != "POST":
        return _data_page(request, context)
    form = forms.UploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return _data_page(request, context, status=400)
    kind = form.cleaned_data["kind"]
    upload = form.cleaned_data["file"]
    content = upload.read()
    context.update(kind=kind, kind_label=dict(forms.upload_kinds()).get(kind, kind), file_name=upload.name)
    try:
        report = _dry_run(actor, pk, context["side"], kind, content)
    except loading.RowErrors as exc:
        context.update(row_errors=exc.rows, error_total=exc.total)
        return _data_page(request, context, status=400)
    except (Invalid, Conflict) as exc:
        context["failure"] = invalid_text(exc) if isinstance(exc, Invalid) else exc.message
        return _data_page(request, context, status=400)
    context.update(
        report=report,
        preview=_preview(kind, content, report),
        token=_stash(request, pk, kind, upload.name, content),
    )
    return _data_page(request, context)


@login_required
@require_POST
@domain_errors
def data_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the file the dry run checked (kept in the session), all of it or nothing."""
    actor, context = _context(request, pk, "data")
    form = forms.CommitForm(request.POST)
    kept = _unstash(request, pk, form.data.get("token", "")) if form.is_valid() else None
    if kept is None:
        messages.error(request, _("The checked file is no longer at hand. Choose it again."))
        return _back("data", pk)
    kind, name, content = kept
    try:
        if kind == forms.FORECAST_KIND:
            written = services.planning_forecast_submit(
                actor, partnership_id=pk, rows=loading.read_csv(content, "sell_out")
            )
            done = ngettext(
                "Your forecast is in: %(count)s week written.",
                "Your forecast is in: %(count)s weeks written.",
                written,
            ) % {"count": written}
        else:
            report = services.planning_file_load(actor, partnership_id=pk, kind=kind, data=content)
            done = _("%(file)s loaded: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % {
                "file": name,
                "created": number(report.created),
                "updated": number(report.updated),
                "unchanged": number(report.unchanged),
            }
    except loading.RowErrors as exc:
        summary = selectors.planning_summary(actor, pk)
        context.update(
            summary=summary,
            summary_rows=number(summary["sell_out_rows"]),
            kind=kind,
            kind_label=dict(forms.upload_kinds()).get(kind, kind),
            file_name=name,
            row_errors=exc.rows,
            error_total=exc.total,
        )
        return _data_page(request, context, status=400)
    except (Invalid, Conflict) as exc:
        _error(request, exc)
        return _back("data", pk)
    request.session.pop(f"{UPLOAD_SESSION}:{pk}", None)
    messages.success(request, done)
    return _back("data", pk)


# --- the terms -------------------------------------------------------------------------------------


def _term_value(name: str, value: Any) -> str:
    field = PlanningAgreement._meta.get_field(name)
    if value is None:
        return _("off")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = dict(getattr(field, "choices", None) or ())
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, int | float | Decimal):
        return number(value, 1)
    return str(value)


def _terms_page(
    request: HttpRequest, actor: Any, pk: int, context: dict[str, Any], form: Any = None, status: int = 200
) -> HttpResponse:
    view = selectors.agreement_get(actor, pk)
    rows = [
        {
            "name": name,
            "label": _term_label(name),
            "value": _term_value(name, view.terms[name]),
            "changed": name in view.changes,
            "proposed": _term_value(name, view.proposed[name]) if name in view.changes else "",
        }
        for name in agreements.TERMS
    ]
    waiting = bool(view.changes)
    mine = waiting and view.agreement.proposed_by_side == view.my_side
    context.update(
        view=view,
        rows=rows,
        changes=[r for r in rows if r["changed"]],
        waiting=waiting,
        mine=mine,
        can_decide=waiting and not mine and context["writable"],
        proposer=OWNER_LABELS.get(view.agreement.proposed_by_side, ""),
        form=form or forms.TermsForm(initial={**view.proposed, "version": view.agreement.version}),
        can_propose=context["writable"] and not (waiting and not mine),
    )
    return render(request, "planning/terms.html", context, status=status)


@login_required
@require_GET
@domain_errors
def terms(request: HttpRequest, pk: int) -> HttpResponse:
    actor, context = _context(request, pk, "terms")
    return _terms_page(request, actor, pk, context)


@login_required
@require_POST
@domain_errors
def terms_propose(request: HttpRequest, pk: int) -> HttpResponse:
    actor, context = _context(request, pk, "terms")
    form = forms.TermsForm(request.POST)
    if form.is_valid():
        try:
            services.planning_agreement_propose(
                actor, partnership_id=pk, changes=form.changes(), version=form.cleaned_data["version"]
            )
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Terms proposed. They apply once the other side agrees."))
            return _back("terms", pk)
    return _terms_page(request, actor, pk, context, form=form, status=400)


@login_required
@require_POST
@domain_errors
def terms_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _member(request, pk)
    agree = request.POST.get("action") == "agree"
    try:
        services.planning_agreement_decide(
            actor, partnership_id=pk, agree=agree, version=posted_version(request)
        )
    except (Conflict, Invalid) as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("The new terms apply.") if agree else _("The terms in force stay as they were.")
        )
    return _back("terms", pk)


# --- the simulation --------------------------------------------------------------------------------

METRICS = (
    ("average_stock", gettext_lazy("Average stock (units)"), 0),
    ("weeks_of_cover", gettext_lazy("Weeks of cover"), 1),
    ("fill_rate", gettext_lazy("Fill rate"), 1),
    ("stockout_weeks", gettext_lazy("Stock-out weeks"), 0),
    ("lost_sales", gettext_lazy("Lost sales (units)"), 0),
    ("overstock", gettext_lazy("Overstock (unit-weeks)"), 0),
)


def _metric_text(key: str, value: Any, digits: int) -> str:
    if value is None or value != value:
        return "—"
    if key == "fill_rate":
        return number(100 * float(value), digits) + " %"
    return number(value, digits)


@login_required
@require_GET
@domain_errors
def simulation(request: HttpRequest, pk: int) -> HttpResponse:
    actor, context = _context(request, pk, "simulation")
    try:
        found = selectors.simulation(actor, pk)
    except ValueError:  # a history shorter than the simulation's warm-up
        found = None
        context["too_short"] = True
    rows: list[dict[str, Any]] = []
    chart = None
    if found is not None:
        by_policy = {str(r["policy"]): r for r in found.policies.to_dict("records")}
        push, partnering = by_policy.get("push", {}), by_policy.get("partnering", {})
        for key, label, digits in METRICS:
            a, b = push.get(key), partnering.get(key)
            rows.append(
                {
                    "label": label,
                    "push": _metric_text(key, a, digits),
                    "partnering": _metric_text(key, b, digits),
                    "a": None if a is None else float(a),
                    "b": None if b is None else float(b),
                }
            )
        chart = charts.comparison_chart(
            [(str(r["label"]), r["a"], r["b"], r["push"], r["partnering"]) for r in rows],
            names=(_("Push"), _("Partnering")),
            label=_("Push orders against partnering on this partnership's own sell-out"),
        )
    context.update(
        sim=found,
        rows=rows,
        chart=chart,
        lead=found.params.lead_time_weeks if found else None,
        review=found.params.review_weeks if found else None,
        service=number(100 * found.params.service_level, 1) if found else None,
    )
    return render(request, "planning/simulation.html", context)
