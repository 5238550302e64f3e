"""Reading an uploaded table (CSV or XLSX) into a tablib Dataset, within limits.

Limits guard the server before any parser runs: the file size; for XLSX (a zip) the number of entries,
their total uncompressed size and each entry's compression ratio (a zip bomb), and XML parsed through
defusedxml (openpyxl uses it when it is installed; we check it is). Every cell becomes text: ISO dates
(YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with a time), plain decimals, so that one set of column checks serves
both formats.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.utils.translation import gettext as _

from mitra.core.rows import RowError, RowErrors

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 500_000
MAX_COLUMNS = 100
MAX_ZIP_ENTRIES = 200
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
XLSX_MAGIC = b"PK\x03\x04"

FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    """A sheet's header and rows (text cells), with each row's line number in the file."""

    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def append(self, cells: list[str], line: int) -> None:
        self.rows.append(cells)
        self.lines.append(line)

    def as_dataset(self) -> tablib.Dataset:
        return tablib.Dataset(*self.rows, headers=self.headers)


def _fail(message: str, row: int = 0, column: str = "file") -> RowErrors:
    return RowErrors([RowError(row, column, message)])


def detect_format(data: bytes, filename: str = "") -> str:
    """``xlsx`` for a zip file, else ``csv``; an .xls (old binary Excel) file is refused by name."""
    name = filename.lower()
    if name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _fail(_("Old Excel files (.xls) are not read. Save the sheet as .xlsx or CSV."))
    return "xlsx" if data[:4] == XLSX_MAGIC else "csv"


def check_size(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise _fail(_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)})
    if not data.strip():
        raise _fail(_("The file is empty."))


def read_table(data: bytes, filename: str = "") -> Table:
    """The file's first sheet as a table of text cells with its header row; refuses what breaks a limit."""
    check_size(data)
    fmt = detect_format(data, filename)
    dataset = _read_xlsx(data) if fmt == "xlsx" else _read_csv(data)
    if not dataset.headers or not any(h.strip() for h in dataset.headers):
        raise _fail(_("The first row must name the columns."), row=1)
    if len(dataset.headers) > MAX_COLUMNS:
        raise _fail(_("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS}, row=1)
    seen: set[str] = set()
    for header in dataset.headers:
        key = header.strip().lower()
        if key and key in seen:
            raise _fail(_("The column %(column)s appears twice.") % {"column": header}, row=1, column=header)
        seen.add(key)
    return dataset


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data:
        raise _fail(_("The file contains NUL characters: it is not a text file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(_("The file is not UTF-8 text.")) from exc
    sample = text[:4096]
    delimiter = max((";", ",", "\t"), key=sample.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise _fail(_("The file is not valid CSV: %(error)s") % {"error": exc}, row=1) from exc
    dataset = Table([h.strip() for h in header])
    width = len(header)
    try:
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > width:
                raise _fail(_("This row has more values than the header."), row=number)
            if len(dataset.rows) >= MAX_ROWS:
                raise _fail(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
            dataset.append([cell.strip() for cell in row] + [""] * (width - len(row)), number)
    except csv.Error as exc:
        raise _fail(_("The file is not valid CSV: %(error)s") % {"error": exc}, row=reader.line_num) from exc
    return dataset


def check_zip(data: bytes) -> None:
    """Refuse a zip with too many entries, too much uncompressed data, or an entry compressed beyond reason."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _fail(_("The file is not a valid XLSX workbook.")) from exc
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _fail(_("The workbook has more than %(count)s parts.") % {"count": MAX_ZIP_ENTRIES})
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise _fail(_("The workbook is compressed beyond reason (a zip bomb?)."))
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _fail(
            _("The workbook unpacks to more than %(size)s MB.")
            % {"size": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    check_zip(data)
    import defusedxml  # noqa: F401  openpyxl parses with defusedxml when it can import it
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise _fail(_("The server cannot read XLSX safely (defusedxml is missing)."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise _fail(_("The file is not a valid XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise _fail(_("The workbook has no sheet."))
        rows = sheet.iter_rows(values_only=True)
        try:
            header = [_text(v) for v in next(rows, ())]
        except Exception as exc:
            raise _fail(_("The file is not a valid XLSX workbook.")) from exc
        while header and not header[-1]:
            header.pop()
        if len(header) > MAX_COLUMNS:
            raise _fail(_("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS}, row=1)
        dataset = Table(header)
        width = len(header)
        try:
            for number, row in enumerate(rows, start=2):
                cells = [_text(v) for v in row]
                if not any(cells):
                    continue
                if any(cells[width:]):
                    raise _fail(_("This row has more values than the header."), row=number)
                if len(dataset.rows) >= MAX_ROWS:
                    raise _fail(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
                cells = cells[:width]
                dataset.append(cells + [""] * (width - len(cells)), number)
        except RowErrors:
            raise
        except Exception as exc:
            raise _fail(_("The file is not a valid XLSX workbook.")) from exc
        return dataset
    finally:
        workbook.close()
