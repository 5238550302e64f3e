"""What the EDIFACT and the X12 readers share: the batch they hand to the import machinery, the segment
they read, the problems they collect, and the parsing of dates, numbers and item numbers.

Every value of a row is a string: dates as ISO ``YYYY-MM-DD``, numbers with ``.`` as the decimal mark and
no exponent. The import machinery checks them again like a spreadsheet's cells.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from mitra.core.rows import RowError, RowErrors

# pydifact's tokenizer reads some 100-200 kB a second: 5 MB (thousands of order lines) stays under a minute
MAX_BYTES = 5 * 1024 * 1024
MAX_SEGMENTS = 200_000
# enough for the report (RowErrors lists at most 1,000); the rest are only counted
MAX_COLLECTED = 1000

# Import kinds and their columns, as the import machinery knows them.
KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "open_orders": ("number", "sku", "location", "quantity", "due_date"),
    "deliveries": (
        "reference",
        "order",
        "promised_date",
        "actual_date",
        "promised_quantity",
        "delivered_quantity",
    ),
    "invoices": ("reference", "issue_date", "due_date", "amount", "currency"),
    "sell_out": ("sku", "location", "period", "quantity"),
    "stock": ("sku", "location", "as_of", "on_hand"),
}


@dataclass(frozen=True)
class Batch:
    """Rows of one import kind read from an interchange, with the segment position of each row."""

    kind: str
    rows: list[dict[str, str]]
    lines: list[int]
    source: str


@dataclass
class Seg:
    """One segment: its tag, its data elements (each a list of components) and its 1-based position."""

    tag: str
    elements: list[list[str]]
    pos: int

    def get(self, element: int, component: int = 0) -> str:
        if element < len(self.elements):
            parts = self.elements[element]
            if component < len(parts):
                return parts[component].strip()
        return ""

    @property
    def qualifier(self) -> str:
        return self.get(0)


class Problems:
    """Collects every problem of a file, then raises them all at once as ``RowErrors``."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.total = 0

    def add(self, position: int, column: str, message: str) -> None:
        self.total += 1
        if len(self.errors) < MAX_COLLECTED:
            self.errors.append(RowError(row=position, column=column, message=message))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            raise RowErrors(sorted(self.errors, key=lambda e: e.row), total=self.total)


@dataclass
class Collected:
    """The rows one message gives, before the interchange's messages are merged into batches."""

    kind: str
    source: str
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def add(self, row: dict[str, str], line: int) -> None:
        self.rows.append(row)
        self.lines.append(line)


def merge(collected: Iterable[Collected]) -> list[Batch]:
    """One batch per kind (in the order the kinds first appear), its rows in the file's order."""
    by_kind: dict[str, list[Collected]] = {}
    for part in collected:
        if part.rows:
            by_kind.setdefault(part.kind, []).append(part)
    batches = []
    for kind, parts in by_kind.items():
        sources = list(dict.fromkeys(p.source for p in parts))
        source = ", ".join(sources[:5]) + (f" (+{len(sources) - 5})" if len(sources) > 5 else "")
        batches.append(
            Batch(
                kind=kind,
                rows=[row for p in parts for row in p.rows],
                lines=[line for p in parts for line in p.lines],
                source=source,
            )
        )
    return batches


def decode(data: bytes) -> str:
    """UTF-8 when it is, else Latin-1 (EDIFACT's UNOC and most X12 files); a byte-order mark dropped."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.removeprefix("\ufeff")


def sniff_text(text: str) -> str | None:
    head = text.lstrip(" \t\r\n")[:3]
    if head in ("UNA", "UNB"):
        return "edifact"
    if head == "ISA":
        return "x12"
    return None


# ---- values -------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d{1,20}([.,]\d{0,12})?|[.,]\d{1,12})")


def number(value: str) -> str | None:
    """A decimal as text with ``.`` and without exponent or trailing zeros; None when it is not one."""
    value = value.strip()
    if not _NUMBER.fullmatch(value):
        return None
    return format_decimal(Decimal(value.replace(",", ".")))


def format_decimal(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "+0", ""):
        text = "0"
    return text.removeprefix("+")


def add_numbers(values: Iterable[str]) -> str:
    total = Decimal(0)
    for value in values:
        try:
            total += Decimal(value)
        except InvalidOperation:  # pragma: no cover - values come from number()
            continue
    return format_decimal(total)


def cents(value: str) -> str | None:
    """X12's implied two decimals (TDS01 ``123456`` is 1234.56)."""
    value = value.strip()
    if not re.fullmatch(r"-?\d{1,20}", value):
        return None
    return format_decimal(Decimal(value) / 100)


def date_from(value: str, fmt: str = "") -> dt.date | None:
    """A date in one of EDIFACT's formats (2005 format qualifier 102, 203, 204, 101, 718, 616) or X12's
    CCYYMMDD/YYMMDD. None when it is not a valid date."""
    value = value.strip()
    fmt = fmt.strip() or {8: "102", 12: "203", 14: "204", 6: "101"}.get(len(value), "102")
    try:
        if (
            fmt in ("102", "203", "204")
            and value.isdigit()
            and len(value) == {"102": 8, "203": 12, "204": 14}[fmt]
        ):
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        if fmt == "101" and value.isdigit() and len(value) == 6:
            return dt.date(2000 + int(value[:2]), int(value[2:4]), int(value[4:6]))
        if fmt == "718" and len(value) == 17 and value[8] == "-":
            return date_from(value[:8], "102")
        if fmt == "616" and value.isdigit() and len(value) == 6:
            return dt.date.fromisocalendar(int(value[:4]), int(value[4:6]), 1)
    except ValueError:
        return None
    return None


def days_later(day: dt.date, days: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


# ---- item numbers -------------------------------------------------------------------------------------

# The item number a row names: the supplier's article number first, then the buyer's, then any other
# (GTIN/EAN, UPC, manufacturer's). The import machinery matches it against either side's SKU.
SKU_PREFERENCE = ("SA", "VN", "VP", "IN", "BP", "MF", "SRV", "EN", "UP", "UK", "IT")


def pick_sku(candidates: Iterable[tuple[str, str]]) -> str:
    """The preferred item number of ``(number, type code)`` pairs; empty when there is none."""
    found: dict[str, str] = {}
    first = ""
    for value, code in candidates:
        value = value.strip()
        if not value:
            continue
        first = first or value
        found.setdefault(code.strip().upper(), value)
    for code in SKU_PREFERENCE:
        if code in found:
            return found[code]
    return first
