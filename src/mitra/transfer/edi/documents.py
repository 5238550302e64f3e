"""The business documents Mitra writes as EDI messages (and the tests and samples build messages from).

An order (``OrderDocument``) is written as EDIFACT ORDERS or X12 850, and the same document with the
confirmed quantities and dates as an order response (ORDRSP / 855). The others are for the samples and the
round-trip tests: a despatch advice, an invoice, a sales report and a stock report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple


class OrderLine(NamedTuple):
    number: int
    supplier_sku: str
    customer_sku: str
    description: str
    quantity: Decimal
    unit: str
    due_date: dt.date


@dataclass(frozen=True)
class OrderDocument:
    """A purchase order: the buyer orders the lines from the supplier for delivery to one location."""

    number: str
    issued: dt.date
    buyer_id: str
    buyer_name: str
    supplier_id: str
    supplier_name: str
    location: str
    currency: str
    lines: tuple[OrderLine, ...]


class DespatchLine(NamedTuple):
    sku: str
    ordered: Decimal
    despatched: Decimal


@dataclass(frozen=True)
class DespatchDocument:
    """A despatch advice (DESADV / 856): what the supplier shipped against an order."""

    number: str
    issued: dt.date
    order: str
    buyer_id: str
    supplier_id: str
    location: str
    requested: dt.date
    shipped: dt.date
    lines: tuple[DespatchLine, ...]
    delivered: dt.date | None = None


@dataclass(frozen=True)
class InvoiceDocument:
    """An invoice (INVOIC / 810): its total and when it is due, as a date or as days after issue."""

    number: str
    issued: dt.date
    amount: Decimal
    currency: str
    buyer_id: str
    supplier_id: str
    order: str = ""
    due: dt.date | None = None
    net_days: int | None = None


class ReportLine(NamedTuple):
    location: str
    sku: str
    day: dt.date
    quantity: Decimal


@dataclass(frozen=True)
class ReportDocument:
    """A sales report (SLSRPT, 852 ``QS``) or a stock report (INVRPT, 852 ``QA``): quantities of items
    at locations on days (the sales period, or the day the stock was counted)."""

    number: str
    issued: dt.date
    buyer_id: str
    supplier_id: str
    lines: tuple[ReportLine, ...]
