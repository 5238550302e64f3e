"""Money and dates written the way the reader's language writes them (rupiah the Indonesian way)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from django.conf import settings
from django.utils import timezone, translation

# Both languages write numbers the Indonesian way (Rp1.234.568): the money is Indonesian.
LOCALES = {"id": "id_ID", "en": "en_ID"}


def babel_locale(language: str | None = None) -> str:
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return LOCALES.get(language, "en_ID")


def money(
    amount: Decimal | float | int | None, currency: str | None = None, language: str | None = None
) -> str:
    """``Rp1.234.568`` for IDR; the currency's own number of decimals (none for the rupiah)."""
    if amount is None or amount == "":
        return ""
    return format_currency(
        Decimal(str(amount)),
        (currency or settings.MITRA_DEFAULT_CURRENCY).upper(),
        locale=babel_locale(language),
    )


def date(value: dt.date | dt.datetime | None, style: str = "medium", language: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value, style, locale=babel_locale(language))


def datetime(value: dt.datetime | None, style: str = "medium", language: str | None = None) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_datetime(value, style, locale=babel_locale(language))
