"""Row-level errors of a data load: every bad row of a file or message, with its row and column.

Shared by every import (the planning tables, the spreadsheet imports and EDI messages). For an EDI message
the row is the segment's position in the message and the column names the segment (``QTY``, ``DTM``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from mitra.core.errors import Invalid

MAX_REPORTED = 1000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class RowErrors(Invalid):
    """Bad rows of a load: every one of them, each with its row and column. Nothing was written."""

    def __init__(self, rows: Sequence[RowError], total: int | None = None) -> None:
        self.rows = list(rows)[:MAX_REPORTED]
        self.total = total if total is not None else len(rows)
        super().__init__(
            {f"row {e.row}.{e.column}" if e.row else e.column or "file": [e.message] for e in self.rows}
        )
        if self.total > len(self.rows):
            self.errors["file"] = [
                _("%(count)s more errors are not listed.") % {"count": self.total - len(self.rows)}
            ]
