"""Export what a list page (or a list API operation) lists, as CSV or XLSX: one mechanism for every list.

A list page answers ``?export=csv`` or ``?export=xlsx`` with a file of exactly the rows it lists under its
current filters, every page of them; the API has an ``…/export?format=csv|xlsx`` operation next to each list
operation, with the same filters. Both hand their scoped, filtered rows to ``export_response``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query

from mitra.core.tenancy import Actor
from mitra.transfer.exports import Format, export_table, filename
from mitra.transfer.lists import LISTS

PARAM = "export"
CHUNK = 2000


def requested_format(request: HttpRequest) -> Format | None:
    """The format a page was asked to export to (``?export=csv|xlsx`` on a GET), if any."""
    if request.method not in ("GET", "HEAD"):
        return None
    value = request.GET.get(PARAM, "")
    return Format(value) if value in (Format.CSV, Format.XLSX) else None


def _rows(list_name: str, rows: Iterable[Any]) -> Iterable[Any]:
    spec = LISTS[list_name]
    if not isinstance(rows, QuerySet):
        return rows
    if spec.select_related:
        rows = rows.select_related(*spec.select_related)
    if spec.prefetch_related:
        rows = rows.prefetch_related(*spec.prefetch_related)
    # Streamed from the database in chunks (prefetches included) instead of held as one big list.
    return rows.iterator(chunk_size=CHUNK)


def export_response(
    actor: Actor,
    list_name: str,
    rows: Iterable[Any],
    fmt: Format | str,
    *,
    partnership_id: int | None = None,
) -> HttpResponse:
    """The file of ``rows`` as the list ``list_name`` declares its columns, as an attachment."""
    spec = LISTS[list_name]
    currency = actor.organisation.currency if spec.money else None
    exported = export_table(spec.columns(), _rows(list_name, rows), fmt, currency=currency)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    name = filename(list_name, partnership_id, exported.extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def page_export(
    request: HttpRequest,
    actor: Actor,
    list_name: str,
    rows: Iterable[Any] | Callable[[], Iterable[Any]],
    *,
    partnership_id: int | None = None,
) -> HttpResponse | None:
    """The export a list page was asked for, or ``None`` when the page should render as usual. ``rows`` may be
    a function, called only for an export, when reading them costs a query the page itself does not make."""
    fmt = requested_format(request)
    if fmt is None:
        return None
    listed = rows() if callable(rows) else rows
    return export_response(actor, list_name, listed, fmt, partnership_id=partnership_id)


# --- the API: ``GET …/<list>/export?format=csv|xlsx`` next to each list operation ---------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
API_EXPORT_DOC: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The list as a CSV (UTF-8 with BOM) or XLSX file, every row under the filters",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}

ExportFormat = Format
# ``?format=csv|xlsx`` (``format`` is a Python builtin, hence the alias).
EXPORT_FORMAT: Any = Query(Format.CSV, alias="format", description="csv (the default) or xlsx")
