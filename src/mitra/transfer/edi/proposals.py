"""Confirmed order proposals as EDI: a planning order as an EDIFACT ORDERS or X12 850 document.

The buyer confirms proposals into orders (one per location); each downloads as an order the supplier's
order entry can read. Both partners may download the orders of their partnership; a stranger gets
NotFound, as for the order itself.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership
from mitra.planning import selectors
from mitra.planning.models import Order
from mitra.transfer.edi.documents import OrderDocument, OrderLine
from mitra.transfer.edi.edifact import write_edifact_orders
from mitra.transfer.edi.x12 import write_x12_850


def party_id(organisation_id: int) -> str:
    """An organisation's party identification in Mitra's messages (qualifier 92/ZZ: mutually defined)."""
    return f"MITRA{organisation_id}"


def document_of(order: Order, partnership: Partnership) -> OrderDocument:
    issued = timezone.localdate(order.created_at)
    lines = []
    for number, line in enumerate(order.lines.all(), start=1):
        item = line.item
        due = line.arrival or issued + dt.timedelta(days=item.lead_time_days)
        lines.append(
            OrderLine(number, item.supplier_sku, item.customer_sku, item.name, line.quantity, item.unit, due)
        )
    return OrderDocument(
        number=order.number,
        issued=issued,
        buyer_id=party_id(partnership.customer_id),
        buyer_name=partnership.customer.name,
        supplier_id=party_id(partnership.supplier_id),
        supplier_name=partnership.supplier.name,
        location=order.location.code,
        currency=partnership.customer.currency,
        lines=tuple(lines),
    )


def order_document(actor: Actor, partnership_id: int, order_id: int) -> OrderDocument:
    """The confirmed order the actor may see, as an order document (NotFound otherwise)."""
    order = selectors.order_get(actor, partnership_id, order_id)
    partnership = Partnership.objects.select_related("supplier", "customer").get(pk=partnership_id)
    return document_of(order, partnership)


def order_edi(actor: Actor, partnership_id: int, order_id: int, syntax: str) -> tuple[str, bytes]:
    """The order as an EDI file: ``(file name, content)``; ``syntax`` is ``edifact`` or ``x12``."""
    document = order_document(actor, partnership_id, order_id)
    safe = "".join(c for c in document.number if c.isascii() and (c.isalnum() or c in "-_")) or "order"
    if syntax == "x12":
        return f"{safe}.x12", write_x12_850(document)
    return f"{safe}.edi", write_edifact_orders(document)
