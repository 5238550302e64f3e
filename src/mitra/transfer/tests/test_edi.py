"""EDI readers and writers: a round trip of every message type, and malformed input naming the segment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mitra.core.rows import RowErrors
from mitra.transfer.edi import Batch, edifact, read, samples, sniff, write_edifact_orders, write_x12_850, x12
from mitra.transfer.edi.documents import OrderDocument, OrderLine, ReportDocument, ReportLine

FILES = samples.sample_files()
EXPECTED = samples.expected_rows()


def errors_of(data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(RowErrors) as caught:
        read(data)
    return [(e.row, e.column) for e in caught.value.rows]


def messages_of(data: bytes) -> list[str]:
    with pytest.raises(RowErrors) as caught:
        read(data)
    return [e.message for e in caught.value.rows]


def line_of(data: bytes, prefix: str, nth: int = 1) -> int:
    """The 1-based line (= segment position: the writers put one segment on a line) of a segment."""
    found = [i for i, line in enumerate(data.decode().splitlines(), start=1) if line.startswith(prefix)]
    return found[nth - 1]


def replace(data: bytes, old: str, new: str) -> bytes:
    assert old.encode() in data, old
    return data.replace(old.encode(), new.encode(), 1)


# ---- round trips --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_message_type_round_trips_to_the_expected_rows(name):
    batches = read(FILES[name])
    assert {b.kind: b.rows for b in batches} == EXPECTED[name]
    for batch in batches:
        assert isinstance(batch, Batch) and len(batch.lines) == len(batch.rows)
        # each row points at a real segment of its kind
        text = FILES[name].decode().splitlines()
        tags = {text[line - 1][:3] for line in batch.lines}
        assert tags <= {"LIN", "PO1", "BGM", "BSN", "BIG", "QTY", "SDQ"}, tags


def test_every_type_and_version_is_covered():
    kinds = {"ORDERS", "ORDRSP", "DESADV", "INVOIC", "SLSRPT", "INVRPT"}
    for version in ("D:96A", "D:01B"):
        for kind in kinds:
            assert any(f"UNH+1+{kind}:{version}:UN".encode() in data for data in FILES.values()), (
                kind,
                version,
            )
    for transaction in ("850", "855", "856", "810", "852"):
        assert any(f"ST*{transaction}*".encode() in data for data in FILES.values()), transaction


def test_the_rows_carry_their_segment_position_and_source():
    data = FILES["orders-d96a.edi"]
    (batch,) = read(data)
    assert batch.kind == "open_orders" and batch.source == "ORDERS 4500012345"
    assert batch.lines == [line_of(data, "LIN", 1), line_of(data, "LIN", 2)]
    (batch,) = read(FILES["850.x12"])
    assert batch.source == "850 4500012345"
    assert batch.lines == [line_of(FILES["850.x12"], "PO1*1"), line_of(FILES["850.x12"], "PO1*2")]


def test_the_order_writers_escape_separators_and_keep_both_skus():
    edi = write_edifact_orders(samples.order()).decode()
    assert "IMD+F++:::Sambal?: pedas?+manis ?'extra?''" in edi
    assert "LIN+1++SR-001:SA'" in edi and "PIA+1+RM-1:IN'" in edi and "QTY+21:12.5:KGM'" in edi
    x = write_x12_850(samples.order()).decode()
    assert "PO1*2*12.5*KG***VP*SR-002*BP*RM-2~" in x
    assert "PID*F****Sambal  pedas+manis 'extra'~" in x  # X12 has no release character: separators go
    isa = x.splitlines()[0]
    assert len(isa) == 106 and isa[3] == "*" and isa[104] == ":" and isa[105] == "~"


def test_an_interchange_of_several_messages_merges_rows_of_a_kind_into_one_batch():
    first, second = samples.order(), samples.confirmed()
    other = OrderDocument(**{**first.__dict__, "number": "4500012399"})
    data = edifact.interchange(
        [
            ("ORDERS", edifact.orders_body(first)),
            ("INVOIC", edifact.invoic_body(samples.invoice(net_days=True))),
            ("ORDERS", edifact.orders_body(other)),
            ("ORDRSP", edifact.orders_body(second, response="R-1")),
        ],
        sender="A",
        recipient="B",
        reference="77",
        version="D01B",
    )
    orders, invoices = read(data)
    assert orders.kind == "open_orders" and invoices.kind == "invoices"
    assert [r["number"] for r in orders.rows] == ["4500012345"] * 2 + ["4500012399"] * 2 + ["4500012345"] * 2
    assert orders.source == "ORDERS 4500012345, ORDERS 4500012399, ORDRSP R-1"
    # PAT+1++5:3:D:30 → 30 days after the invoice date
    assert invoices.rows == [{**EXPECTED["invoic-d96a.edi"]["invoices"][0], "due_date": "2026-02-19"}]
    x = x12.interchange(
        [
            ("850", x12.po_body(first)),
            ("810", x12.invoice_body(samples.invoice(net_days=True))),
            ("850", x12.po_body(other)),
        ],
        sender="A",
        receiver="B",
        control=5,
    )
    orders, invoices = read(x)
    assert [r["number"] for r in orders.rows] == ["4500012345"] * 2 + ["4500012399"] * 2
    assert invoices.rows[0]["due_date"] == "2026-02-19"


def test_una_sets_the_separators_and_the_release_character():
    data = FILES["orders-d96a.edi"].decode()
    swapped = data.replace("?'", "\x00").replace("?+", "\x01").replace("?:", "\x02")
    swapped = swapped.replace("'", "!").replace("+", "*").replace(":", "^").replace("?", "#")
    swapped = swapped.replace("\x00", "#!").replace("\x01", "+").replace("\x02", ":")
    assert swapped.startswith("UNA^*.# !\n")
    assert {b.kind: b.rows for b in read(swapped.encode())} == EXPECTED["orders-d96a.edi"]
    # without a UNA the default separators apply; a release character keeps a separator as data
    bare = data.split("\n", 1)[1].replace("LIN+1++SR-001:SA", "LIN+1++SR?+001:SA")
    (batch,) = read(bare.encode())
    assert batch.rows[0]["sku"] == "SR+001" and batch.lines[0] == line_of(bare.encode(), "LIN")


def test_sniff():
    assert sniff(FILES["orders-d96a.edi"]) == "edifact"
    assert sniff(FILES["orders-d96a.edi"].split(b"\n", 1)[1]) == "edifact"
    assert sniff(b"\xef\xbb\xbf  \r\n" + FILES["850.x12"]) == "x12"
    assert sniff(b"sku,location\n") is None
    assert sniff(b"") is None


def test_decimal_commas_and_other_date_formats_are_read():
    data = replace(FILES["orders-d96a.edi"], "QTY+21:12.5:KGM", "QTY+21:12,50:KGM")
    data = replace(data, "DTM+2:20260119:102", "DTM+2:202601191530:203")
    data = replace(data, "DTM+2:20260126:102", "DTM+2:202605:616")
    rows = read(data)[0].rows
    assert (rows[0]["due_date"], rows[1]["quantity"], rows[1]["due_date"]) == (
        "2026-01-19",
        "12.5",
        "2026-01-26",
    )


# ---- malformed input ----------------------------------------------------------------------------------


def test_a_bad_unt_count_names_the_unt_and_its_position():
    data = replace(FILES["orders-d96a.edi"], "UNT+20+1", "UNT+19+1")
    assert errors_of(data) == [(line_of(data, "UNT"), "UNT")]
    assert messages_of(data) == ["The UNT counts 19 segments, but message 1 has 20 (UNH to UNT)."]


def test_bad_counts_and_references_of_every_envelope_are_all_reported():
    data = replace(FILES["orders-d01b.edi"], "UNT+20+1", "UNT+20+2")
    data = replace(data, "UNZ+1+4500012345", "UNZ+2+4500012346")
    assert errors_of(data) == [
        (line_of(data, "UNT"), "UNT"),
        (line_of(data, "UNZ"), "UNZ"),
        (line_of(data, "UNZ"), "UNZ"),
    ]
    x = replace(FILES["850.x12"], "SE*14*", "SE*15*")
    x = replace(x, "GE*1*1~", "GE*2*9~")
    x = replace(x, "IEA*1*", "IEA*3*")
    assert errors_of(x) == [
        (line_of(x, "SE*"), "SE"),
        (line_of(x, "GE*"), "GE"),
        (line_of(x, "GE*"), "GE"),
        (line_of(x, "IEA"), "IEA"),
    ]


def test_a_missing_mandatory_date_names_each_line():
    doc = samples.order()
    body = [s for s in edifact.orders_body(doc) if not (s.tag == "DTM" and s.elements[0][0] == "2")]
    data = edifact.interchange([("ORDERS", body)], sender="A", recipient="B", reference="1")
    assert errors_of(data) == [(line_of(data, "LIN", 1), "DTM+2"), (line_of(data, "LIN", 2), "DTM+2")]
    assert messages_of(data)[0] == "Line 1 has no delivery date (DTM+2), and the message has none either."
    x = x12.interchange(
        [("850", [s for s in x12.po_body(doc) if not s.startswith("DTM")])], sender="A", receiver="B"
    )
    assert errors_of(x) == [(line_of(x, "PO1*1"), "DTM*002"), (line_of(x, "PO1*2"), "DTM*002")]
    despatch = [
        s for s in edifact.desadv_body(samples.despatch()) if not (s.tag == "DTM" and s.elements[0][0] == "2")
    ]
    data = edifact.interchange([("DESADV", despatch)], sender="A", recipient="B", reference="1")
    assert errors_of(data) == [(line_of(data, "BGM"), "DTM+2")]


def test_non_numeric_quantities_and_bad_dates_are_all_reported_with_their_segment():
    data = replace(FILES["orders-d96a.edi"], "QTY+21:48:PCE", "QTY+21:4x8:PCE")
    data = replace(data, "QTY+21:12.5:KGM", "QTY+21::KGM")
    data = replace(data, "DTM+2:20260126:102", "DTM+2:20260231:102")
    assert errors_of(data) == [
        (line_of(data, "QTY", 1), "QTY+21"),
        (line_of(data, "QTY", 2), "QTY+21"),
        (line_of(data, "DTM+2", 2), "DTM+2"),
    ]
    assert messages_of(data)[0] == "The quantity “4x8” is not a number."
    x = replace(FILES["850.x12"], "PO1*1*48*", "PO1*1*many*")
    x = replace(x, "DTM*002*20260126", "DTM*002*2026012")
    assert errors_of(x) == [(line_of(x, "PO1*1"), "PO1"), (line_of(x, "DTM*002", 2), "DTM*002")]
    x = replace(FILES["852.x12"], "SDQ*EA*92*JKT-01*45*", "SDQ*EA*92*JKT-01*lots*")
    assert errors_of(x) == [(line_of(x, "SDQ"), "SDQ")]


def test_an_unknown_message_type_or_version_says_which_are_supported():
    data = replace(FILES["orders-d96a.edi"], "UNH+1+ORDERS:D:96A", "UNH+1+PRICAT:D:96A")
    assert errors_of(data) == [(3, "UNH")]
    assert messages_of(data) == [
        "The message type PRICAT is not supported. Supported: ORDERS, ORDRSP, DESADV, INVOIC, SLSRPT, INVRPT."
    ]
    data = replace(FILES["desadv-d96a.edi"], "DESADV:D:96A", "DESADV:D:93A")
    assert messages_of(data) == ["DESADV version D.93A is not supported. Supported: D.96A, D.01B."]
    x = replace(FILES["850.x12"], "ST*850*", "ST*837*")
    assert errors_of(x) == [(3, "ST")]
    assert messages_of(x) == ["The transaction set 837 is not supported. Supported: 850, 855, 856, 810, 852."]
    x = replace(FILES["856.x12"], "*X*004010~", "*X*003040~")
    assert messages_of(x) == ["X12 version 003040 (GS08) is not supported. Supported: 004010, 005010."]


def test_a_truncated_file_is_reported_where_it_ends():
    data = FILES["invoic-d96a.edi"]
    cut = data[: data.index(b"MOA+77") + 8]
    assert errors_of(cut)[-3:] == [
        (line_of(cut, "MOA"), ""),
        (line_of(cut, "MOA"), "UNT"),
        (line_of(cut, "MOA"), "UNZ"),
    ]
    assert "cut off" in messages_of(cut)[0]
    # cut after a whole segment: the trailers are missing
    lines = FILES["orders-d96a.edi"].split(b"\n")
    assert errors_of(b"\n".join(lines[:10])) == [(11, "UNT"), (11, "UNZ")]
    x = FILES["856.x12"]
    cut = x[: x.index(b"SN1*") + 10]
    assert errors_of(cut) == [
        (line_of(cut, "SN1"), ""),
        (line_of(cut, "SN1"), "SE"),
        (line_of(cut, "SN1"), "IEA"),
    ]
    assert errors_of(x[:80]) == [(1, "ISA")]


def test_a_bad_isa_is_refused():
    x = FILES["810.x12"].decode()
    assert errors_of(x.replace("*00401*", "*00300*", 1).encode()) == [(1, "ISA")]
    assert errors_of(x.replace("ISA*00*          *", "ISA*00*         *", 1).encode()) == [(1, "ISA")]
    assert errors_of(x.replace("*P*:~", "*P*~~", 1).encode()) == [(1, "ISA")]
    assert "106 characters" in messages_of(x.replace("*00401*", "*00300*", 1).encode())[0]


def test_segments_outside_the_envelope_and_bad_tags_are_named():
    data = replace(FILES["slsrpt-d96a.edi"], "UNZ+1", "FTX+AAI+++late'\nUNZ+1")
    assert errors_of(data) == [(line_of(data, "FTX"), "FTX")]
    data = replace(FILES["invrpt-d96a.edi"], "LIN+2++SR-002:SA'", "L:N+2'")
    found = errors_of(data)
    assert (line_of(data, "L:N"), "L:N") in found
    x = FILES["810.x12"] + b"REF*IA*1~\n"
    assert errors_of(x) == [(line_of(x, "REF"), "REF")]
    assert messages_of(x) == ["There is a segment after the interchange trailer IEA."]


def test_missing_documents_parts_are_reported_for_each_type():
    invoice = [
        s
        for s in edifact.invoic_body(samples.invoice())
        if s.tag not in ("MOA", "PAT") and not (s.tag == "DTM" and s.elements[0][0] == "13")
    ]
    data = edifact.interchange([("INVOIC", invoice)], sender="A", recipient="B", reference="1")
    assert errors_of(data) == [(line_of(data, "BGM"), "DTM+13"), (line_of(data, "BGM"), "MOA+77")]
    x = x12.interchange(
        [("810", [s for s in x12.invoice_body(samples.invoice()) if not s.startswith(("ITD", "TDS"))])],
        sender="A",
        receiver="B",
    )
    assert sorted(errors_of(x)) == [(line_of(x, "BIG"), "ITD"), (line_of(x, "SE"), "TDS")]
    x = replace(FILES["856.x12"], "DTM*011*20260116~\n", "")
    x = replace(x, "BSN*00*DN-2026-0042*20260116*1200~", "BSN*00*DN-2026-0042~")
    x = replace(x, "DTM*050*20260120~\n", "")
    x = replace(x, "SE*17*", "SE*15*")
    assert errors_of(x) == [(line_of(x, "BSN"), "DTM*011")]
    report = ReportDocument(
        "S-1", dt.date(2026, 1, 1), "A", "B", (ReportLine("JKT", "SR-1", dt.date(2026, 1, 1), Decimal(1)),)
    )
    body = [s for s in edifact.slsrpt_body(report) if s.tag != "LOC"]
    data = edifact.interchange([("SLSRPT", body)], sender="A", recipient="B", reference="1")
    assert errors_of(data) == [(line_of(data, "QTY"), "LOC")]


def test_an_empty_or_foreign_file_is_refused_cleanly():
    for data in (b"", b"   ", b"sku,location\nSR-1,DC\n", b"\x00\xff" * 10, b"UNA", b"ISA"):
        with pytest.raises(RowErrors) as caught:
            read(data)
        assert caught.value.rows and all(isinstance(e.message, str) and e.message for e in caught.value.rows)


def test_an_oversized_file_is_refused_before_it_is_read():
    with pytest.raises(RowErrors) as caught:
        read(b"UNB+" + b"x" * (5 * 1024 * 1024))
    assert caught.value.rows[0].message == "The file is larger than 5 MB."


def test_an_interchange_without_rows_is_an_error():
    body = [s for s in edifact.orders_body(samples.order()) if s.tag in ("BGM", "DTM", "NAD")]
    data = edifact.interchange([("ORDERS", body)], sender="A", recipient="B", reference="1")
    assert messages_of(data) == ["The message has no line items (LIN)."]


def test_the_order_response_855_takes_the_acknowledged_quantity_and_date():
    doc = samples.order()
    lines = (OrderLine(1, "SR-001", "RM-1", "", Decimal(10), "pcs", dt.date(2026, 3, 2)),)
    body = x12.po_body(OrderDocument(**{**doc.__dict__, "lines": lines}), acknowledgment=True)
    body.insert(-1, "ACK*IR*5*EA~")  # a rejected part does not count
    body.insert(-1, "ACK*IA*4*EA*067*20260309~")
    (batch,) = read(x12.interchange([("855", body)], sender="A", receiver="B"))
    assert batch.rows == [
        {
            "number": "4500012345",
            "sku": "SR-001",
            "location": "DC",
            "quantity": "14",
            "due_date": "2026-03-02",
        }
    ]


def _interchange(kind: str, body: list[str]) -> bytes:
    """An EDIFACT interchange of one message from segment texts (without UNH/UNT)."""
    from pydifact.segmentcollection import RawSegmentCollection

    segments = RawSegmentCollection.from_str("".join(body)).segments
    return edifact.interchange([(kind, segments)], sender="A", recipient="B", reference="9")


def test_a_sales_report_period_before_the_location_groups_applies_to_each():
    data = _interchange(
        "SLSRPT",
        [
            "BGM+73E+S-9+9'",
            "DTM+90:20260105:102'",
            "LOC+162+JKT-01'",
            "LIN+1++SR-001:SA'",
            "QTY+153:5'",
            "LOC+162+BDG-01'",
            "DTM+356:20260112:102'",
            "LIN+2++RM-2:IN'",
            "QTY+153:7'",
            "LOC+162+SBY-01'",
            "LIN+3++4006381333931:SRV'",
            "PIA+1+SR-003:SA'",
            "QTY+153:1'",
        ],
    )
    (batch,) = read(data)
    assert batch.rows == [
        {"sku": "SR-001", "location": "JKT-01", "period": "2026-01-05", "quantity": "5"},
        {"sku": "RM-2", "location": "BDG-01", "period": "2026-01-12", "quantity": "7"},
        {"sku": "SR-003", "location": "SBY-01", "period": "2026-01-05", "quantity": "1"},
    ]


def test_a_stock_report_takes_the_location_before_or_after_each_quantity():
    data = _interchange(
        "INVRPT",
        [
            "BGM+35+I-9+9'",
            "DTM+137:20260110:102'",
            "LOC+18+DC'",
            "LIN+1++SR-001:SA'",
            "QTY+145:10'",
            "LIN+2++SR-002:SA'",
            "QTY+145:4'",
            "LOC+18+JKT-01'",
            "QTY+145:6'",
            "LOC+18+BDG-01'",
            "LIN+3++SR-003:SA'",
            "LOC+18+SBY-01'",
            "QTY+145:2'",
        ],
    )
    (batch,) = read(data)
    assert [(r["sku"], r["location"], r["as_of"], r["on_hand"]) for r in batch.rows] == [
        ("SR-001", "DC", "2026-01-10", "10"),
        ("SR-002", "JKT-01", "2026-01-10", "4"),
        ("SR-002", "BDG-01", "2026-01-10", "6"),
        ("SR-003", "SBY-01", "2026-01-10", "2"),
    ]
    # an order number is optional on a despatch advice: the column is left out
    body = [s for s in edifact.desadv_body(samples.despatch()) if s.tag != "RFF"]
    (batch,) = read(edifact.interchange([("DESADV", body)], sender="A", recipient="B", reference="1"))
    assert "order" not in batch.rows[0] and batch.rows[0]["delivered_quantity"] == "54"
