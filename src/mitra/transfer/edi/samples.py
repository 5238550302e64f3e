"""Sample documents and interchanges of every supported message type, for the documentation, the CLI and
the round-trip tests: ``sample_files()`` maps a file name to its bytes, ``expected_rows()`` to the rows
``mitra.transfer.edi.read`` gives for it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mitra.transfer.edi import edifact, x12
from mitra.transfer.edi.documents import (
    DespatchDocument,
    DespatchLine,
    InvoiceDocument,
    OrderDocument,
    OrderLine,
    ReportDocument,
    ReportLine,
)

BUYER, SUPPLIER = "8990001000002", "8990002000009"
ISSUED = dt.date(2026, 1, 5)


def order() -> OrderDocument:
    return OrderDocument(
        number="4500012345",
        issued=ISSUED,
        buyer_id=BUYER,
        buyer_name="PT Ritel Maju Bersama",
        supplier_id=SUPPLIER,
        supplier_name="PT Sumber Rasa Nusantara",
        location="DC",
        currency="IDR",
        lines=(
            OrderLine(1, "SR-001", "RM-1", "Kecap manis 600 ml", Decimal(48), "pcs", dt.date(2026, 1, 19)),
            OrderLine(
                2,
                "SR-002",
                "RM-2",
                "Sambal: pedas+manis 'extra'",
                Decimal("12.5"),
                "kg",
                dt.date(2026, 1, 26),
            ),
        ),
    )


def confirmed() -> OrderDocument:
    """The order as the supplier confirms it: fewer of the first line, the second a week later."""
    doc = order()
    first, second = doc.lines
    return OrderDocument(
        **{
            **doc.__dict__,
            "lines": (first._replace(quantity=Decimal(42)), second._replace(due_date=dt.date(2026, 2, 2))),
        }
    )


def despatch() -> DespatchDocument:
    return DespatchDocument(
        number="DN-2026-0042",
        issued=dt.date(2026, 1, 16),
        order="4500012345",
        buyer_id=BUYER,
        supplier_id=SUPPLIER,
        location="DC",
        requested=dt.date(2026, 1, 19),
        shipped=dt.date(2026, 1, 16),
        delivered=dt.date(2026, 1, 20),
        lines=(
            DespatchLine("SR-001", Decimal(48), Decimal(42)),
            DespatchLine("SR-002", Decimal(12), Decimal(12)),
        ),
    )


def invoice(*, net_days: bool = False) -> InvoiceDocument:
    return InvoiceDocument(
        number="INV-2026-0107",
        issued=dt.date(2026, 1, 20),
        amount=Decimal("1234567.50"),
        currency="IDR",
        buyer_id=BUYER,
        supplier_id=SUPPLIER,
        order="4500012345",
        due=None if net_days else dt.date(2026, 2, 19),
        net_days=30 if net_days else None,
    )


def sales() -> ReportDocument:
    return ReportDocument(
        number="SR-2026-02",
        issued=dt.date(2026, 1, 13),
        buyer_id=BUYER,
        supplier_id=SUPPLIER,
        lines=(
            ReportLine("JKT-01", "SR-001", dt.date(2026, 1, 5), Decimal(45)),
            ReportLine("JKT-01", "SR-002", dt.date(2026, 1, 5), Decimal(3)),
            ReportLine("BDG-01", "SR-001", dt.date(2026, 1, 5), Decimal("41.5")),
        ),
    )


def stock() -> ReportDocument:
    return ReportDocument(
        number="IR-2026-02",
        issued=dt.date(2026, 1, 12),
        buyer_id=BUYER,
        supplier_id=SUPPLIER,
        lines=(
            ReportLine("DC", "SR-001", dt.date(2026, 1, 11), Decimal(120)),
            ReportLine("JKT-01", "SR-001", dt.date(2026, 1, 11), Decimal(10)),
            ReportLine("DC", "SR-002", dt.date(2026, 1, 11), Decimal(200)),
        ),
    )


def sample_files() -> dict[str, bytes]:
    """Every supported message type: EDIFACT in D.96A and D.01B, X12 in 004010 (and an 850 in 005010)."""
    files: dict[str, bytes] = {}
    for version in ("D96A", "D01B"):
        tail = version.lower()
        files[f"orders-{tail}.edi"] = edifact.write_edifact_orders(order(), version=version)
        files[f"ordrsp-{tail}.edi"] = edifact.write_edifact_ordrsp(
            confirmed(), "RSP-4500012345", version=version
        )
        files[f"desadv-{tail}.edi"] = edifact.write_edifact_desadv(despatch(), version=version)
        files[f"invoic-{tail}.edi"] = edifact.write_edifact_invoic(invoice(), version=version)
        files[f"slsrpt-{tail}.edi"] = edifact.write_edifact_report(sales(), "SLSRPT", version=version)
        files[f"invrpt-{tail}.edi"] = edifact.write_edifact_report(stock(), "INVRPT", version=version)
    files["850.x12"] = x12.write_x12_850(order())
    files["850-5010.x12"] = x12.write_x12_850(order(), version="005010")
    files["855.x12"] = x12.write_x12_855(confirmed())
    files["856.x12"] = x12.write_x12_856(despatch())
    files["810.x12"] = x12.write_x12_810(invoice())
    files["852.x12"] = x12.write_x12_852(sales(), stock())
    return files


def _order_rows(doc: OrderDocument) -> list[dict[str, str]]:
    return [
        {
            "number": doc.number,
            "sku": line.supplier_sku,
            "location": doc.location,
            "quantity": f"{line.quantity.normalize():f}",
            "due_date": line.due_date.isoformat(),
        }
        for line in doc.lines
    ]


def expected_rows() -> dict[str, dict[str, list[dict[str, str]]]]:
    """Per sample file: the rows of each kind ``read`` gives (what the round-trip tests assert)."""
    delivery = [
        {
            "reference": "DN-2026-0042",
            "order": "4500012345",
            "promised_date": "2026-01-19",
            "actual_date": "2026-01-20",
            "promised_quantity": "60",
            "delivered_quantity": "54",
        }
    ]
    bill = [
        {
            "reference": "INV-2026-0107",
            "issue_date": "2026-01-20",
            "due_date": "2026-02-19",
            "amount": "1234567.5",
            "currency": "IDR",
        }
    ]
    sold = [
        {
            "sku": line.sku,
            "location": line.location,
            "period": line.day.isoformat(),
            "quantity": f"{line.quantity:f}",
        }
        for line in sales().lines
    ]
    counted = [
        {
            "sku": line.sku,
            "location": line.location,
            "as_of": line.day.isoformat(),
            "on_hand": f"{line.quantity:f}",
        }
        for line in stock().lines
    ]
    found: dict[str, dict[str, list[dict[str, str]]]] = {}
    for tail in ("d96a", "d01b"):
        found[f"orders-{tail}.edi"] = {"open_orders": _order_rows(order())}
        found[f"ordrsp-{tail}.edi"] = {"open_orders": _order_rows(confirmed())}
        found[f"desadv-{tail}.edi"] = {"deliveries": delivery}
        found[f"invoic-{tail}.edi"] = {"invoices": bill}
        found[f"slsrpt-{tail}.edi"] = {"sell_out": sold}
        found[f"invrpt-{tail}.edi"] = {"stock": counted}
    found["850.x12"] = {"open_orders": _order_rows(order())}
    found["850-5010.x12"] = {"open_orders": _order_rows(order())}
    found["855.x12"] = {"open_orders": _order_rows(confirmed())}
    found["856.x12"] = {"deliveries": delivery}
    found["810.x12"] = {"invoices": bill}
    # the 852 lists activities per item: SR-001's sales, then SR-002's; stock likewise
    found["852.x12"] = {
        "sell_out": [sold[0], sold[2], sold[1]],
        "stock": [counted[0], counted[1], counted[2]],
    }
    return found
