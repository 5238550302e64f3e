"""Cell readers for the spreadsheet imports (django-import-export widgets) with Mitra's own messages.

Every cell arrives as text (``mitra.transfer.files``). A widget turns it into a value or raises ValueError
with a message in the user's language, which the import reports against the row and the column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from import_export.widgets import Widget

FIRST_YEAR, LAST_YEAR = 2000, 2100
_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


class Text(Widget):
    def __init__(self, *, required: bool = False, max_length: int = 200, lower: bool = False) -> None:
        super().__init__()
        self.required, self.max_length, self.lower = required, max_length, lower

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = str(value or "").strip()
        if self.required and not text:
            raise ValueError(_("This is required."))
        if len(text) > self.max_length:
            raise ValueError(_("At most %(count)s characters.") % {"count": self.max_length})
        return text.lower() if self.lower else text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


def parse_day(text: str) -> dt.date:
    text = text.strip()
    if "T" in text or " " in text:
        text = re.split(r"[T ]", text, maxsplit=1)[0]
    for fmt in _DAY_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(
                _("The year must be between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return day
    raise ValueError(_("Not a date: write it as YYYY-MM-DD."))


class Day(Widget):
    def __init__(self, *, required: bool = False) -> None:
        super().__init__()
        self.required = required

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> dt.date | None:
        text = str(value or "").strip()
        if not text:
            if self.required:
                raise ValueError(_("This is required."))
            return None
        return parse_day(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.isoformat() if value else ""


class Moment(Widget):
    """A date and time (``YYYY-MM-DD HH:MM`` or ISO); a bare date is noon that day, in the server's zone."""

    def __init__(self, *, required: bool = False) -> None:
        super().__init__()
        self.required = required

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> dt.datetime | None:
        text = str(value or "").strip()
        if not text:
            if self.required:
                raise ValueError(_("This is required."))
            return None
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            day = parse_day(text)
            moment = dt.datetime.combine(day, dt.time(12, 0))
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ValueError(
                _("The year must be between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.isoformat() if value else ""


def parse_decimal(text: str) -> Decimal:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if cleaned.lower().startswith("rp"):
        cleaned = cleaned[2:]
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # a decimal comma, as Indonesian and European sheets write it
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        raise ValueError(_("Not a number: write it without thousands separators, like 1250000.50."))
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only valid decimals
        raise ValueError(_("Not a number.")) from exc


class Amount(Widget):
    def __init__(
        self, *, required: bool = False, minimum: Decimal | None = Decimal(0), places: int = 2
    ) -> None:
        super().__init__()
        self.required, self.minimum, self.places = required, minimum, places

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            if self.required:
                raise ValueError(_("This is required."))
            return None
        number = parse_decimal(text)
        if self.minimum is not None and number < self.minimum:
            raise ValueError(_("Must be at least %(minimum)s.") % {"minimum": self.minimum})
        if abs(number) >= Decimal(10) ** 15:
            raise ValueError(_("This number is too large."))
        if -number.as_tuple().exponent > self.places:  # type: ignore[operator]
            raise ValueError(_("At most %(count)s decimal places.") % {"count": self.places})
        return number

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else f"{value:f}"


class Choice(Widget):
    """One of a model's choices, by its code or its label in English or Indonesian (any case)."""

    def __init__(self, choices: Iterable[tuple[str, Any]], *, default: str | None = None) -> None:
        super().__init__()
        self.choices = list(choices)
        self.default = default
        lookup: dict[str, str] = {}
        for code, label in self.choices:
            lookup[code.lower()] = code
            for language in ("en", "id"):
                with override(language):
                    lookup[str(label).lower()] = code
        self.lookup = lookup

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = str(value or "").strip().lower()
        if not text:
            if self.default is not None:
                return self.default
            raise ValueError(_("This is required."))
        if text not in self.lookup:
            raise ValueError(
                _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(code for code, _label in self.choices)}
            )
        return self.lookup[text]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)
