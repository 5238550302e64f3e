"""ANSI ASC X12 interchanges (versions 004010 and 005010): pyx12 reads the envelope, Mitra maps.

pyx12 reads the fixed-length ISA (its separators and the interchange version) and splits the file into
segments; Mitra checks the envelope (ISA … IEA with the group count, GS … GE with the transaction count,
ST … SE with the segment count and matching control numbers) and maps each transaction set:

- 850 (purchase order) and 855 (acknowledgment, quantities and dates of its ACK segments) → ``open_orders``,
- 856 (ship notice) → ``deliveries``, 810 (invoice) → ``invoices``,
- 852 (product activity) → ``sell_out`` (ZA ``QS``) and ``stock`` (ZA ``QA``), per location of its SDQ.

pyx12's own ``X12Reader`` validates the envelope too, but it stops with an IndexError on a misplaced
trailer and reports without positions, so Mitra uses its lower layer (``RawX12File`` and ``Segment``).
A segment's position counts from 1 at the ISA.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import pyx12.rawx12file
import pyx12.segment
from django.utils.translation import gettext as _

from mitra.transfer.edi.common import (
    MAX_SEGMENTS,
    Collected,
    Problems,
    Seg,
    add_numbers,
    cents,
    date_from,
    days_later,
    format_decimal,
    number,
    pick_sku,
)
from mitra.transfer.edi.documents import DespatchDocument, InvoiceDocument, OrderDocument, ReportDocument

TRANSACTIONS = {"850": "open_orders", "855": "open_orders", "856": "deliveries", "810": "invoices", "852": ""}
VERSIONS = ("004010", "005010")
FUNCTIONAL_GROUPS = {"850": "PO", "855": "PR", "856": "SH", "810": "IN", "852": "PD"}
REJECTED = {"IR", "ID", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"}


@dataclass
class Transaction:
    header: Seg
    version: str
    segs: list[Seg] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return self.header.get(1)

    @property
    def body(self) -> list[Seg]:
        return self.segs[1:-1] if self.segs and self.segs[-1].tag == "SE" else self.segs[1:]


# ---- reading ------------------------------------------------------------------------------------------


def read(text: str, problems: Problems) -> list[Collected]:
    segs = _segments(text.lstrip(" \t\r\n"), problems)
    collected = []
    for transaction in _envelope(segs, problems):
        collected += _map(transaction, problems)
    return collected


def _segments(text: str, problems: Problems) -> list[Seg]:
    isa = text[:106]
    if len(isa) == 106:
        element, component, terminator = isa[3], isa[104], isa[105]
        separators = (element, component, terminator)
        if (
            len(set(separators)) != 3
            or any(c.isalnum() or c == " " for c in separators)
            or isa.count(element) != 16
            or terminator in isa[:105]
        ):
            problems.add(
                1,
                "ISA",
                _(
                    "The ISA interchange header is not valid: it has 16 elements in 106 characters, with "
                    "distinct element, component and segment separators that are not letters, digits or "
                    "spaces."
                ),
            )
            return []
    try:
        raw = pyx12.rawx12file.RawX12File(io.StringIO(text))
    except Exception:
        problems.add(
            1,
            "ISA",
            _(
                "The ISA interchange header is not valid: it is exactly 106 characters long with version "
                "00401 or 00501 (ISA12)."
            ),
        )
        return []
    segs: list[Seg] = []
    position = 0
    try:
        for line in raw:
            position += 1
            if position > MAX_SEGMENTS:
                problems.add(
                    position, "", _("The file has more than %(count)s segments.") % {"count": MAX_SEGMENTS}
                )
                return segs
            segment = pyx12.segment.Segment(line.strip(" "), raw.seg_term, raw.ele_term, raw.subele_term)
            tag = segment.get_seg_id() or ""
            if (
                not segment.is_seg_id_valid()
                or not tag.isascii()
                or (not tag.isupper() and not tag.isdigit())
            ):
                problems.add(
                    position,
                    tag[:12],
                    _("“%(tag)s” is not a segment identifier: it is two or three capital letters or digits.")
                    % {"tag": tag[:12]},
                )
                continue
            elements = [_components(composite, raw.subele_term, tag) for composite in segment.elements]
            segs.append(Seg(tag, elements, position))
    except Exception:
        problems.add(position + 1, "", _("Segment %(position)s cannot be read.") % {"position": position + 1})
        return segs
    rest = raw.buffer.lstrip("\r\n")
    if rest.strip():
        if rest.startswith(raw.seg_term):
            problems.add(position + 1, "", _("Segment %(position)s is empty.") % {"position": position + 1})
        else:
            problems.add(
                position + 1, "", _("The file is cut off: its last segment has no segment terminator.")
            )
    return segs


def _components(composite: pyx12.segment.Composite, subele_term: str, tag: str) -> list[str]:
    # pyx12 splits the ISA's elements on the element separator: an ISA element is one value
    parts = [element.value for element in composite.elements]
    return [subele_term.join(parts)] if tag == "ISA" else parts


def _count_matches(declared: str, actual: int) -> bool:
    return declared.isdigit() and len(declared) <= 9 and int(declared) == actual


def _envelope(segs: list[Seg], problems: Problems) -> list[Transaction]:
    if not segs:
        return []
    isa = segs[0]
    if isa.tag != "ISA":  # pragma: no cover - RawX12File refuses a file that does not start with ISA
        problems.add(isa.pos, isa.tag, _("An X12 interchange starts with ISA."))
        return []
    control = isa.get(12)
    if not control.isdigit():
        problems.add(isa.pos, "ISA", _("The ISA interchange control number (ISA13) is not a number."))
    transactions: list[Transaction] = []
    group: Seg | None = None
    current: Transaction | None = None
    groups = in_group = 0
    iea: Seg | None = None
    last = isa
    for seg in segs[1:]:
        last = seg
        if iea is not None:
            problems.add(seg.pos, seg.tag, _("There is a segment after the interchange trailer IEA."))
            break
        tag = seg.tag
        if tag == "GS":
            if current is not None:
                _unterminated(current, seg.pos, problems)
                current = None
            if group is not None:
                problems.add(seg.pos, "GS", _("A group starts (GS) before the previous one ended (GE)."))
            group, in_group = seg, 0
            groups += 1
            version = seg.get(7)
            if not version.startswith(VERSIONS):
                problems.add(
                    seg.pos,
                    "GS",
                    _("X12 version %(version)s (GS08) is not supported. Supported: %(supported)s.")
                    % {"version": version or "—", "supported": ", ".join(VERSIONS)},
                )
        elif tag == "ST":
            if current is not None:
                _unterminated(current, seg.pos, problems)
            if group is None:
                problems.add(seg.pos, "ST", _("The transaction set (ST) is outside a group (GS … GE)."))
            current = Transaction(header=seg, version=group.get(7) if group else "", segs=[seg])
        elif tag == "SE":
            if current is None:
                problems.add(seg.pos, "SE", _("An SE trailer without its transaction set header ST."))
                continue
            current.segs.append(seg)
            if not _count_matches(seg.get(0), len(current.segs)):
                problems.add(
                    seg.pos,
                    "SE",
                    _(
                        "The SE counts %(declared)s segments, but transaction set %(reference)s has "
                        "%(actual)s (ST to SE)."
                    )
                    % {"declared": seg.get(0) or "—", "reference": current.ref, "actual": len(current.segs)},
                )
            if seg.get(1) != current.ref:
                problems.add(
                    seg.pos,
                    "SE",
                    _("The SE control number %(trailer)s does not match the ST control number %(header)s.")
                    % {"trailer": seg.get(1) or "—", "header": current.ref or "—"},
                )
            transactions.append(current)
            in_group += 1
            current = None
        elif tag == "GE":
            if current is not None:
                _unterminated(current, seg.pos, problems)
                current = None
            if group is None:
                problems.add(seg.pos, "GE", _("A GE trailer without its group header GS."))
                continue
            if not _count_matches(seg.get(0), in_group):
                problems.add(
                    seg.pos,
                    "GE",
                    _("The GE counts %(declared)s transaction sets, but the group has %(actual)s.")
                    % {"declared": seg.get(0) or "—", "actual": in_group},
                )
            if seg.get(1) != group.get(5):
                problems.add(
                    seg.pos,
                    "GE",
                    _("The GE control number %(trailer)s does not match the GS control number %(header)s.")
                    % {"trailer": seg.get(1) or "—", "header": group.get(5) or "—"},
                )
            group = None
        elif tag == "IEA":
            if current is not None:
                _unterminated(current, seg.pos, problems)
                current = None
            if group is not None:
                problems.add(seg.pos, "GE", _("The group has no GE trailer before the IEA."))
                group = None
            iea = seg
        elif tag == "ISA":
            problems.add(seg.pos, "ISA", _("A second ISA inside the interchange."))
        elif current is None:
            problems.add(
                seg.pos, tag, _("The segment %(tag)s is outside a transaction set (ST … SE).") % {"tag": tag}
            )
        else:
            current.segs.append(seg)
    if current is not None:
        _unterminated(current, last.pos + 1, problems)
    if iea is None:
        problems.add(last.pos + 1, "IEA", _("The interchange is cut off: its trailer IEA is missing."))
        return transactions
    if not _count_matches(iea.get(0), groups):
        problems.add(
            iea.pos,
            "IEA",
            _("The IEA counts %(declared)s groups, but the interchange has %(actual)s.")
            % {"declared": iea.get(0) or "—", "actual": groups},
        )
    if iea.get(1) != control:
        problems.add(
            iea.pos,
            "IEA",
            _("The IEA control number %(trailer)s does not match the ISA control number %(header)s.")
            % {"trailer": iea.get(1) or "—", "header": control or "—"},
        )
    return transactions


def _unterminated(transaction: Transaction, position: int, problems: Problems) -> None:
    problems.add(
        position,
        "SE",
        _("Transaction set %(reference)s ends without its trailer SE.")
        % {"reference": transaction.ref or "—"},
    )


# ---- mapping ------------------------------------------------------------------------------------------


class Reader:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def date(self, seg: Seg, element: int, column: str) -> dt.date | None:
        value = seg.get(element)
        if not value:
            return None
        day = date_from(value)
        if day is None or len(value) not in (6, 8):
            self.problems.add(seg.pos, column, _("“%(value)s” is not a date (CCYYMMDD).") % {"value": value})
            return None
        return day

    def dates(self, segs: Iterable[Seg]) -> dict[str, dt.date]:
        found: dict[str, dt.date] = {}
        for seg in segs:
            if seg.tag == "DTM":
                day = self.date(seg, 1, f"DTM*{seg.qualifier}")
                if day is not None:
                    found.setdefault(seg.qualifier, day)
        return found

    def quantity(self, seg: Seg, element: int, column: str) -> str | None:
        value = number(seg.get(element))
        if value is None or "," in seg.get(element):
            self.problems.add(
                seg.pos, column, _("The quantity “%(value)s” is not a number.") % {"value": seg.get(element)}
            )
            return None
        return value

    def missing(self, position: int, column: str, message: str) -> None:
        self.problems.add(position, column, message)


def _first(segs: Iterable[Seg], tag: str) -> Seg | None:
    return next((s for s in segs if s.tag == tag), None)


def _party(segs: Iterable[Seg], *qualifiers: str) -> str:
    for qualifier in qualifiers:
        for seg in segs:
            if seg.tag == "N1" and seg.qualifier == qualifier and seg.get(3):
                return seg.get(3)
    return ""


def _pairs_sku(seg: Seg, start: int) -> str:
    """The preferred item number of a segment's (qualifier, number) pairs from element ``start``."""
    pairs = [(seg.get(i + 1), seg.get(i)) for i in range(start, len(seg.elements) - 1, 2)]
    return pick_sku(pairs)


def _lines(
    body: list[Seg], tag: str, ends: tuple[str, ...] = ("CTT", "AMT")
) -> tuple[list[Seg], list[list[Seg]]]:
    """The header segments and the line groups, each starting at a ``tag`` segment (PO1, LIN)."""
    header: list[Seg] = []
    groups: list[list[Seg]] = []
    done = False
    for seg in body:
        if seg.tag in ends:
            done = True
        if seg.tag == tag and not done:
            groups.append([seg])
        elif groups and not done:
            groups[-1].append(seg)
        else:
            header.append(seg)
    return header, groups


def _map(transaction: Transaction, problems: Problems) -> list[Collected]:
    st = transaction.header
    kind = st.get(0)
    if kind not in TRANSACTIONS:
        problems.add(
            st.pos,
            "ST",
            _("The transaction set %(type)s is not supported. Supported: %(supported)s.")
            % {"type": kind or "—", "supported": ", ".join(TRANSACTIONS)},
        )
        return []
    if not transaction.version.startswith(VERSIONS):
        return []  # reported at its GS
    reader = Reader(problems)
    body = transaction.body
    if kind in ("850", "855"):
        return [_orders(kind, transaction, body, reader)]
    if kind == "856":
        return [_ship_notice(transaction, body, reader)]
    if kind == "810":
        return [_invoice(transaction, body, reader)]
    return _activity(transaction, body, reader)


def _orders(kind: str, transaction: Transaction, body: list[Seg], reader: Reader) -> Collected:
    begin_tag = "BEG" if kind == "850" else "BAK"
    header, lines = _lines(body, "PO1")
    begin = _first(header, begin_tag)
    order = begin.get(2) if begin else ""
    if not order:
        reader.missing(
            begin.pos if begin else transaction.header.pos,
            begin_tag,
            _("The %(segment)s has no purchase order number.") % {"segment": begin_tag},
        )
    part = Collected("open_orders", f"{kind} {order}".strip())
    head_dates = reader.dates(header)
    qualifiers = ("002",) if kind == "850" else ("002", "067", "068")
    head_due = next((head_dates[q] for q in qualifiers if q in head_dates), None)
    location = _party(header, "ST")
    if not lines:
        reader.missing(transaction.segs[-1].pos, "PO1", _("The transaction set has no line items (PO1)."))
    for group in lines:
        po1 = group[0]
        label = po1.get(0) or str(po1.pos)
        sku = _pairs_sku(po1, 5)
        if not sku:
            reader.missing(po1.pos, "PO1", _("Line %(line)s has no item number.") % {"line": label})
        quantity = reader.quantity(po1, 1, "PO1") if po1.get(1) else None
        due: dt.date | None = None
        if kind == "855":
            acks = [s for s in group if s.tag == "ACK"]
            if acks:
                confirmed = []
                for ack in acks:
                    value = reader.quantity(ack, 1, "ACK") if ack.get(1) else None
                    if value is not None and ack.qualifier not in REJECTED:
                        confirmed.append(value)
                    if due is None and ack.qualifier not in REJECTED:
                        due = reader.date(ack, 4, "ACK")
                quantity = add_numbers(confirmed)
        if quantity is None and not po1.get(1):
            reader.missing(po1.pos, "PO1", _("Line %(line)s has no quantity (PO102).") % {"line": label})
        line_dates = reader.dates(group[1:])
        due = due or next((line_dates[q] for q in qualifiers if q in line_dates), None) or head_due
        dated = any(
            (s.tag == "DTM" and s.qualifier in qualifiers) or (s.tag == "ACK" and s.get(4))
            for s in group + header
        )
        if due is None and not dated:
            reader.missing(
                po1.pos,
                "DTM*002",
                _("Line %(line)s has no delivery date (DTM*002), and the transaction set has none either.")
                % {"line": label},
            )
        where = _party(group, "ST") or location
        if not where:
            reader.missing(
                po1.pos, "N1*ST", _("Line %(line)s has no ship-to party (N1*ST).") % {"line": label}
            )
        if order and sku and quantity is not None and due and where:
            part.add(
                {
                    "number": order,
                    "sku": sku,
                    "location": where,
                    "quantity": quantity,
                    "due_date": due.isoformat(),
                },
                po1.pos,
            )
    return part


def _ship_notice(transaction: Transaction, body: list[Seg], reader: Reader) -> Collected:
    bsn = _first(body, "BSN")
    reference = bsn.get(1) if bsn else ""
    at = bsn.pos if bsn else transaction.header.pos
    if not reference:
        reader.missing(at, "BSN", _("The BSN has no shipment identification."))
    part = Collected("deliveries", f"856 {reference}".strip())
    dates = reader.dates(body)
    shipped = reader.date(bsn, 2, "BSN") if bsn else None
    promised = dates.get("002")
    actual = dates.get("050") or dates.get("011") or shipped
    if promised is None:
        reader.missing(at, "DTM*002", _("The ship notice has no requested delivery date (DTM*002)."))
    if actual is None:
        reader.missing(at, "DTM*011", _("The ship notice has no ship date (DTM*011 or BSN03)."))
    prf = _first(body, "PRF")
    order = prf.get(0) if prf else ""
    ordered: list[str] = []
    shipped_quantities: list[str] = []
    bad = False
    sn1s = [s for s in body if s.tag == "SN1"]
    if not sn1s:
        reader.missing(transaction.segs[-1].pos, "SN1", _("The ship notice has no shipped items (SN1)."))
    for sn1 in sn1s:
        sent = reader.quantity(sn1, 1, "SN1")
        asked = reader.quantity(sn1, 4, "SN1") if sn1.get(4) else sent
        if sent is None or asked is None:
            bad = True
            continue
        shipped_quantities.append(sent)
        ordered.append(asked)
    if reference and promised and actual and sn1s and not bad:
        row = {
            "reference": reference,
            "order": order,
            "promised_date": promised.isoformat(),
            "actual_date": actual.isoformat(),
            "promised_quantity": add_numbers(ordered),
            "delivered_quantity": add_numbers(shipped_quantities),
        }
        part.add({k: v for k, v in row.items() if v or k != "order"}, at)
    return part


def _invoice(transaction: Transaction, body: list[Seg], reader: Reader) -> Collected:
    big = _first(body, "BIG")
    reference = big.get(1) if big else ""
    at = big.pos if big else transaction.header.pos
    if not reference:
        reader.missing(at, "BIG", _("The BIG has no invoice number."))
    part = Collected("invoices", f"810 {reference}".strip())
    issued = reader.date(big, 0, "BIG") if big else None
    if issued is None and not (big and big.get(0)):
        reader.missing(at, "BIG", _("The BIG has no invoice date."))
    due: dt.date | None = None
    itd = _first(body, "ITD")
    if itd is not None:
        due = reader.date(itd, 5, "ITD")
        days = itd.get(6)
        if due is None and days.isdigit() and len(days) <= 4 and issued:
            due = days_later(issued, int(days))
    if due is None and not (itd and itd.get(5)):
        reader.missing(at, "ITD", _("The invoice has no due date: no terms of sale (ITD06 or ITD07)."))
    tds = _first(body, "TDS")
    amount = cents(tds.get(0)) if tds else None
    if amount is None:
        reader.missing(
            tds.pos if tds else transaction.segs[-1].pos,
            "TDS",
            _("The invoice has no total (TDS01, in cents)."),
        )
    currency = next((s.get(1) for s in body if s.tag == "CUR" and s.get(1)), "")
    if reference and issued and due and amount is not None:
        row = {
            "reference": reference,
            "issue_date": issued.isoformat(),
            "due_date": due.isoformat(),
            "amount": amount,
        }
        if currency:
            row["currency"] = currency
        part.add(row, at)
    return part


def _activity(transaction: Transaction, body: list[Seg], reader: Reader) -> list[Collected]:
    """852: per LIN the ZA activities (QS sold, QA on hand), split per location by the SDQ after them."""
    xq = _first(body, "XQ")
    start = reader.date(xq, 1, "XQ") if xq else None
    end = (reader.date(xq, 2, "XQ") if xq else None) or start
    reference = next((s.get(1) for s in body if s.tag == "XPO" and s.get(1)), "") or transaction.ref
    sales = Collected("sell_out", f"852 {reference}".strip())
    stock = Collected("stock", f"852 {reference}".strip())
    header, lines = _lines(body, "LIN")
    location = _party(header, "ST", "RL")
    if not lines:
        reader.missing(transaction.segs[-1].pos, "LIN", _("The transaction set has no line items (LIN)."))
    for group in lines:
        lin = group[0]
        sku = _pairs_sku(lin, 1)
        if not sku:
            reader.missing(
                lin.pos, "LIN", _("Line %(line)s has no item number.") % {"line": lin.get(0) or lin.pos}
            )
        index = 1
        while index < len(group):
            za = group[index]
            index += 1
            if za.tag != "ZA" or za.qualifier not in ("QS", "QA"):
                continue
            total = reader.quantity(za, 1, f"ZA*{za.qualifier}") if za.get(1) else None
            day = (
                reader.date(za, 4, f"ZA*{za.qualifier}")
                if za.get(4)
                else (start if za.qualifier == "QS" else end)
            )
            if day is None:
                reader.missing(
                    za.pos, "XQ", _("The activity has no date: neither ZA05 nor the reporting period (XQ).")
                )
            places: list[tuple[str, str | None, Seg]] = []
            while index < len(group) and group[index].tag == "SDQ":
                sdq = group[index]
                index += 1
                for i in range(2, min(len(sdq.elements), 22) - 1, 2):
                    if sdq.get(i):
                        places.append((sdq.get(i), reader.quantity(sdq, i + 1, "SDQ"), sdq))
            if not places:
                if za.get(1) and total is None:
                    continue
                if not za.get(1):
                    reader.missing(za.pos, f"ZA*{za.qualifier}", _("The activity has no quantity (ZA02)."))
                    continue
                if not location:
                    reader.missing(za.pos, "N1*ST", _("The activity has no location: no SDQ and no N1*ST."))
                    continue
                places = [(location, total, za)]
            target = sales if za.qualifier == "QS" else stock
            for where, value, seg in places:
                if value is None or day is None or not sku:
                    continue
                if target is sales:
                    target.add(
                        {"sku": sku, "location": where, "period": day.isoformat(), "quantity": value}, seg.pos
                    )
                else:
                    target.add(
                        {"sku": sku, "location": where, "as_of": day.isoformat(), "on_hand": value}, seg.pos
                    )
    return [sales, stock]


# ---- writing ------------------------------------------------------------------------------------------

_UNITS = {"pcs": "EA", "pc": "EA", "kg": "KG", "l": "LT", "box": "BX", "case": "CA", "carton": "CT"}
_FORBIDDEN = str.maketrans({c: " " for c in "*~:^\r\n>|"})


def unit_code(unit: str) -> str:
    return _UNITS.get(unit.strip().lower(), "EA")


def _clean(value: str) -> str:
    return value.translate(_FORBIDDEN).strip()


def _seg(tag: str, *elements: str) -> str:
    kept = [_clean(e) for e in elements]
    while kept and not kept[-1]:
        kept.pop()
    return "*".join([tag, *kept]) + "~"


def _d(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _q(value: Decimal) -> str:
    return format_decimal(Decimal(value))


def _fixed(value: str, width: int) -> str:
    return _clean(value)[:width].ljust(width)


def interchange(
    transactions: list[tuple[str, list[str]]],
    *,
    sender: str,
    receiver: str,
    control: int = 1,
    when: dt.datetime | None = None,
    version: str = "004010",
) -> bytes:
    """An interchange with one group per transaction set type; ``transactions`` are (type, body segments
    without ST/SE), written one segment a line."""
    when = when or dt.datetime(2026, 1, 1, 12, 0)
    five = version.startswith("005")
    isa = (
        "*".join(
            [
                "ISA",
                "00",
                " " * 10,
                "00",
                " " * 10,
                "ZZ",
                _fixed(sender, 15),
                "ZZ",
                _fixed(receiver, 15),
                when.strftime("%y%m%d"),
                when.strftime("%H%M"),
                "^" if five else "U",
                "00501" if five else "00401",
                f"{control % 10**9:09d}",
                "0",
                "P",
                ":",
            ]
        )
        + "~"
    )
    lines = [isa]
    groups: dict[str, list[list[str]]] = {}
    for kind, body in transactions:
        groups.setdefault(kind, []).append(body)
    for number_, (kind, bodies) in enumerate(groups.items(), start=1):
        lines.append(
            _seg(
                "GS",
                FUNCTIONAL_GROUPS.get(kind, "ZZ"),
                sender,
                receiver,
                when.strftime("%Y%m%d"),
                when.strftime("%H%M"),
                str(number_),
                "X",
                version,
            )
        )
        for index, body in enumerate(bodies, start=1):
            ref = f"{number_:04d}{index:05d}"
            lines.append(_seg("ST", kind, ref))
            lines.extend(body)
            lines.append(_seg("SE", str(len(body) + 2), ref))
        lines.append(_seg("GE", str(len(bodies)), str(number_)))
    lines.append(_seg("IEA", str(len(groups)), f"{control % 10**9:09d}"))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _product(doc_line_sku: str, customer_sku: str = "") -> list[str]:
    ids = ["VP", doc_line_sku]
    if customer_sku:
        ids += ["BP", customer_sku]
    return ids


def po_body(doc: OrderDocument, *, acknowledgment: bool = False) -> list[str]:
    """850 (or, with ``acknowledgment``, the 855 accepting each line with its quantity and date)."""
    if acknowledgment:
        body = [_seg("BAK", "00", "AC", doc.number, _d(doc.issued))]
    else:
        body = [_seg("BEG", "00", "SA", doc.number, "", _d(doc.issued))]
    if doc.currency:
        body.append(_seg("CUR", "BY", doc.currency))
    body += [
        _seg("N1", "BY", doc.buyer_name or doc.buyer_id, "92", doc.buyer_id),
        _seg("N1", "SE", doc.supplier_name or doc.supplier_id, "92", doc.supplier_id),
        _seg("N1", "ST", doc.location, "92", doc.location),
    ]
    for line in doc.lines:
        unit = unit_code(line.unit)
        body.append(
            _seg(
                "PO1",
                str(line.number),
                _q(line.quantity),
                unit,
                "",
                "",
                *_product(line.supplier_sku, line.customer_sku),
            )
        )
        if line.description:
            body.append(_seg("PID", "F", "", "", "", line.description[:80]))
        if acknowledgment:
            body.append(_seg("ACK", "IA", _q(line.quantity), unit, "067", _d(line.due_date)))
        else:
            body.append(_seg("DTM", "002", _d(line.due_date)))
    body.append(_seg("CTT", str(len(doc.lines))))
    return body


def write_x12_850(doc: OrderDocument, *, version: str = "004010") -> bytes:
    """The order as an X12 850 interchange from the buyer to the supplier."""
    return interchange(
        [("850", po_body(doc))],
        sender=doc.buyer_id,
        receiver=doc.supplier_id,
        control=_control(doc.number),
        when=dt.datetime.combine(doc.issued, dt.time(12, 0)),
        version=version,
    )


def write_x12_855(doc: OrderDocument, *, version: str = "004010") -> bytes:
    return interchange(
        [("855", po_body(doc, acknowledgment=True))],
        sender=doc.supplier_id,
        receiver=doc.buyer_id,
        control=_control(doc.number),
        version=version,
    )


def ship_notice_body(doc: DespatchDocument) -> list[str]:
    body = [
        _seg("BSN", "00", doc.number, _d(doc.shipped), "1200"),
        _seg("DTM", "011", _d(doc.shipped)),
        _seg("DTM", "002", _d(doc.requested)),
    ]
    if doc.delivered:
        body.append(_seg("DTM", "050", _d(doc.delivered)))
    body += [
        _seg("HL", "1", "", "S"),
        _seg("N1", "ST", doc.location, "92", doc.location),
        _seg("HL", "2", "1", "O"),
        _seg("PRF", doc.order),
    ]
    for index, line in enumerate(doc.lines, start=3):
        body += [
            _seg("HL", str(index), "2", "I"),
            _seg("LIN", "", "VP", line.sku),
            _seg("SN1", "", _q(line.despatched), "EA", "", _q(line.ordered), "EA"),
        ]
    body.append(_seg("CTT", str(len(doc.lines))))
    return body


def write_x12_856(doc: DespatchDocument, *, version: str = "004010") -> bytes:
    return interchange(
        [("856", ship_notice_body(doc))],
        sender=doc.supplier_id,
        receiver=doc.buyer_id,
        control=_control(doc.number),
        version=version,
    )


def invoice_body(doc: InvoiceDocument) -> list[str]:
    body = [_seg("BIG", _d(doc.issued), doc.number, "", doc.order), _seg("CUR", "SE", doc.currency)]
    if doc.due is not None:
        body.append(_seg("ITD", "01", "3", "", "", "", _d(doc.due)))
    elif doc.net_days is not None:
        body.append(_seg("ITD", "01", "3", "", "", "", "", str(doc.net_days)))
    cents_total = int((Decimal(doc.amount) * 100).to_integral_value())
    body.append(_seg("TDS", str(cents_total)))
    return body


def write_x12_810(doc: InvoiceDocument, *, version: str = "004010") -> bytes:
    return interchange(
        [("810", invoice_body(doc))],
        sender=doc.supplier_id,
        receiver=doc.buyer_id,
        control=_control(doc.number),
        version=version,
    )


def activity_body(sales: ReportDocument | None, stock: ReportDocument | None) -> list[str]:
    """852: a LIN per item, a ZA per activity and day, and the SDQ giving the quantity per location."""
    doc = sales or stock
    assert doc is not None
    days = [line.day for report in (sales, stock) if report for line in report.lines]
    body = [_seg("XQ", "H", _d(min(days)), _d(max(days))), _seg("XPO", doc.number)]
    items: dict[str, dict[tuple[str, dt.date], list[tuple[str, Decimal]]]] = {}
    for code, report in (("QS", sales), ("QA", stock)):
        for line in report.lines if report else ():
            items.setdefault(line.sku, {}).setdefault((code, line.day), []).append(
                (line.location, line.quantity)
            )
    for index, (sku, activities) in enumerate(items.items(), start=1):
        body.append(_seg("LIN", str(index), "VN", sku))
        for (code, day), places in activities.items():
            total = sum((q for _where, q in places), Decimal(0))
            body.append(_seg("ZA", code, _q(total), "EA", "007", _d(day)))
            for chunk in range(0, len(places), 10):
                pairs = [v for where, q in places[chunk : chunk + 10] for v in (where, _q(q))]
                body.append(_seg("SDQ", "EA", "92", *pairs))
    body.append(_seg("CTT", str(len(items))))
    return body


def write_x12_852(
    sales: ReportDocument | None, stock: ReportDocument | None = None, *, version: str = "004010"
) -> bytes:
    doc = sales or stock
    assert doc is not None
    return interchange(
        [("852", activity_body(sales, stock))],
        sender=doc.buyer_id,
        receiver=doc.supplier_id,
        control=_control(doc.number),
        version=version,
    )


def _control(text: str) -> int:
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    return int(digits[-9:]) if digits else 1
