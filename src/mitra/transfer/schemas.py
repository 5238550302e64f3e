"""API schemas of the imports (``Transfer…`` names: schema names are unique across the whole API)."""

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from mitra.core.api import Error


class TransferImportRowErrorOut(Schema):
    row: int = Field(
        description="The row of the file (1 is the header) or the segment of an EDI message; 0 for the file"
    )
    column: str = Field(description="The column, or in an EDI message the segment tag")
    message: str


class TransferImportError(Error):
    """An error of an import: for bad rows, every one of them in ``rows`` (nothing was written)."""

    rows: list[TransferImportRowErrorOut] = []
    error_total: int = Field(0, description="How many errors there are; ``rows`` lists up to 1,000")
    run_id: int | None = Field(None, description="The import, when it was recorded (a failed check)")


class TransferImportKindReportOut(Schema):
    kind: str
    rows: int
    created: int
    updated: int
    unchanged: int = Field(description="Rows already in Mitra as they are: a repeated import writes nothing")
    preview: list[dict[str, Any]] = Field(description="The first 50 rows as read, each with its action")


class TransferImportReportOut(Schema):
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    kinds: list[TransferImportKindReportOut]


class TransferImportOut(Schema):
    """An import: one uploaded file, its status and, while the job worker runs it, its phase."""

    id: int
    kind: str = Field(description="The kind of records, or ``edi`` for an EDIFACT or X12 interchange")
    filename: str
    file_format: str = Field(description="csv, xlsx, edifact or x12")
    status: str = Field(description="uploaded, queued, checking, checked, importing, failed or done")
    phase: str
    progress: int = Field(description="Percent done while queued, checking or importing")
    rows_total: int
    error_total: int
    created_at: dt.datetime
    checked_at: dt.datetime | None
    committed_at: dt.datetime | None


class TransferImportDetailOut(TransferImportOut):
    """An import with its column mapping, its report (a dry run's or a commit's) and its bad rows."""

    headers: list[str] = Field(description="The file's column names (a spreadsheet)")
    mapping: dict[str, str] = Field(description="The kind's column → the file's column")
    report: TransferImportReportOut | None = Field(description="None until the file was checked")
    errors: list[TransferImportRowErrorOut]

    @staticmethod
    def resolve_report(obj: Any) -> Any:
        return obj.report or None
