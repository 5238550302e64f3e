"""Errors the planning engine raises on bad input (plain English; the interface layer translates)."""

from __future__ import annotations


class PlanningInputError(ValueError):
    """An input frame the engine cannot use, naming the first bad row (1-based, as in the input) and column."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message
