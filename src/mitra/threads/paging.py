"""Offset pages without a count: one query per page, reading one row more to know if another page follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass
class OffsetPage:
    number: int
    object_list: list[Any]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def offset_page(queryset: QuerySet[Any], number: str | int | None, size: int) -> OffsetPage:
    try:
        page = max(1, min(int(number or 1), 100_000))
    except (TypeError, ValueError):
        page = 1
    start = (page - 1) * size
    rows = list(queryset[start : start + size + 1])
    return OffsetPage(page, rows[:size], len(rows) > size)
