"""One table, written as CSV or XLSX: the list exports' writer.

A table is declared as columns (a translated header, a getter and a kind) and any iterable of rows. Every
text cell is neutralised against formula injection before it is written, so a title such as
``=HYPERLINK(...)`` arrives in the spreadsheet as text, never as a formula. In XLSX, numbers stay numbers,
money is a number in the organisation's currency format, and dates stay dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from babel.numbers import get_currency_precision, get_currency_symbol
from django.utils import timezone
from django.utils.translation import gettext as _

# A cell starting with one of these is read as a formula (or, for tab and CR, can smuggle one into the next
# cell) by Excel, LibreOffice or Google Sheets. The full-width forms count too: some spreadsheets fold them
# to their ASCII twins before deciding.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\u2212")
# Whitespace a spreadsheet skips before looking at the first character.
SKIPPED = " \u00a0\u3000"


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"


CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    """One column: its header (a lazy translation, read when the table is written), how to read its value from
    a row, and what kind of value it is."""

    header: Any
    get: Callable[[Any], Any]
    kind: Kind = Kind.TEXT
    # For money kept in its own currency per row (a value entry): the row's currency, instead of the table's.
    currency: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Exported:
    content: bytes
    content_type: str
    extension: str


def safe_cell(value: Any) -> Any:
    """A spreadsheet cell that cannot be read as a formula: text starting with =, +, -, @, tab, CR or LF (or a
    full-width twin, or any of them after leading spaces) gets a single quote in front. Other values pass."""
    if isinstance(value, str) and value.lstrip(SKIPPED)[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """A value as a CSV cell: text, with numbers and dates written the machine-readable way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat(
            timespec="seconds"
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return safe_cell(str(value))


def _typed(value: Any, kind: Kind) -> Any:
    """A value as an XLSX cell: numbers stay numbers, dates stay dates (local, without a time zone)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date | Decimal | int | float):
        return value
    if kind in (Kind.NUMBER, Kind.MONEY):
        try:
            return Decimal(str(value))
        except ArithmeticError:
            pass
    return safe_cell(str(value))


@functools.lru_cache(maxsize=64)
def money_format(currency: str) -> str:
    """An Excel number format for amounts in ``currency`` (``"Rp"#,##0`` for the rupiah)."""
    symbol = get_currency_symbol(currency, locale="id_ID").replace('"', "")
    decimals = get_currency_precision(currency)
    return f'"{symbol}"#,##0' + ("." + "0" * decimals if decimals else "")


def headers(columns: Sequence[Column], currency: str | None = None) -> list[str]:
    out = []
    for column in columns:
        header = str(column.header)
        if column.kind is Kind.MONEY and currency and column.currency is None:
            header = f"{header} ({currency})"
        out.append(header)
    return out


def export_table(
    columns: Sequence[Column], rows: Iterable[Any], fmt: Format | str, *, currency: str | None = None
) -> Exported:
    """Write ``rows`` as a table. Money columns are in ``currency`` (the header names it)."""
    fmt = Format(fmt)
    if fmt is Format.CSV:
        return Exported(_csv(columns, rows, currency), CONTENT_TYPES[fmt], fmt.value)
    return Exported(_xlsx(columns, rows, currency), CONTENT_TYPES[fmt], fmt.value)


def _csv(columns: Sequence[Column], rows: Iterable[Any], currency: str | None) -> bytes:
    out = io.StringIO()
    # The BOM makes Excel read the file as UTF-8 (names such as "Sari Roti" with accents, "—" …).
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers(columns, currency)])
    for row in rows:
        writer.writerow([_plain(column.get(row)) for column in columns])
    return out.getvalue().encode("utf-8")


def _xlsx(columns: Sequence[Column], rows: Iterable[Any], currency: str | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    def text(value: Any) -> Any:
        # control characters (other than tab and newline) cannot be stored in a worksheet: drop them
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Export")[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers(columns, currency):
        cell = WriteOnlyCell(sheet, value=text(safe_cell(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    formats = {
        Kind.MONEY: money_format(currency) if currency else "#,##0.00",
        Kind.DATE: "yyyy-mm-dd",
        Kind.DATETIME: "yyyy-mm-dd hh:mm",
    }
    for row in rows:
        cells = []
        for column in columns:
            value = text(_typed(column.get(row), column.kind))
            number_format = formats.get(column.kind)
            if column.currency is not None and value is not None:
                number_format = money_format(str(column.currency(row) or currency or "IDR"))
            if number_format and value is not None and not isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(list_name: str, partnership_id: int | None, extension: str, today: dt.date | None = None) -> str:
    """``risks-12-2026-11-29.xlsx``: the list, the partnership (when the list belongs to one) and the day."""
    day = (today or timezone.localdate()).isoformat()
    parts = [list_name, str(partnership_id)] if partnership_id is not None else [list_name]
    return "-".join([*parts, day]) + "." + extension
