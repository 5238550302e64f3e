"""UN/EDIFACT interchanges (directories D.96A and D.01B): read with pydifact's tokenizer, mapped by Mitra.

Reading: the UNA service string advice (when there is one) sets the separators and the release character;
pydifact splits the text into segments; Mitra checks the envelope (UNB … UNZ with the message count,
optional UNG … UNE groups, UNH … UNT with the segment count and matching references) and maps each message:

- ORDERS and ORDRSP → ``open_orders`` (one row per LIN; ORDRSP with the confirmed quantity QTY+113),
- DESADV → ``deliveries`` (one row per despatch advice, quantities summed over its lines),
- INVOIC → ``invoices``, SLSRPT → ``sell_out``, INVRPT → ``stock``.

A segment's position counts from 1 at the first segment of the file (the UNA when there is one); written
one segment a line, as Mitra writes them, the position is the line number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from pydifact.control import Characters
from pydifact.parser import Parser, TokenIterator
from pydifact.segments import Segment
from pydifact.serializer import Serializer
from pydifact.token import Token
from pydifact.tokenizer import Tokenizer

from mitra.transfer.edi.common import (
    MAX_SEGMENTS,
    Collected,
    Problems,
    Seg,
    add_numbers,
    date_from,
    days_later,
    format_decimal,
    number,
    pick_sku,
)
from mitra.transfer.edi.documents import DespatchDocument, InvoiceDocument, OrderDocument, ReportDocument

MESSAGE_KINDS = {
    "ORDERS": "open_orders",
    "ORDRSP": "open_orders",
    "DESADV": "deliveries",
    "INVOIC": "invoices",
    "SLSRPT": "sell_out",
    "INVRPT": "stock",
}
VERSIONS = {("D", "96A"): "D.96A", ("D", "01B"): "D.01B"}
# a release character that cannot occur: for a UNA that says "no release character" (a space)
_NO_RELEASE = "\uffff"


@dataclass
class Message:
    header: Seg
    segs: list[Seg] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return self.header.get(0)


# ---- reading ------------------------------------------------------------------------------------------


def read(text: str, problems: Problems) -> list[Collected]:
    segs = _segments(text, problems)
    messages = _envelope(segs, problems)
    collected = []
    for message in messages:
        part = _map(message, problems)
        if part is not None:
            collected.append(part)
    return collected


def _characters(advice: str, problems: Problems) -> Characters | None:
    """The separators of a UNA: component, data, decimal mark, release, reserved, terminator."""
    if len(advice) < 6:
        problems.add(1, "UNA", _("The UNA service string advice is cut off: it gives six characters."))
        return None
    component, data, decimal, release, _reserved, terminator = list(advice[:6])
    used = [component, data, terminator] + ([release] if release != " " else [])
    if len(set(used)) != len(used) or any(c.isalnum() or c in "\r\n" for c in used) or decimal not in ".,":
        problems.add(
            1,
            "UNA",
            _(
                "The UNA service string advice must give distinct separators that are not letters, digits "
                "or line breaks, and '.' or ',' as the decimal mark."
            ),
        )
        return None
    return Characters(
        component_separator=component,
        data_separator=data,
        decimal_point=decimal,
        escape_character=release if release != " " else _NO_RELEASE,
        segment_terminator=terminator,
    )


def _segments(text: str, problems: Problems) -> list[Seg]:
    segs: list[Seg] = []
    position = 0
    characters: Characters | None = Characters(
        component_separator=":",
        data_separator="+",
        decimal_point=".",
        escape_character="?",
        segment_terminator="'",
    )
    if text.startswith("UNA"):
        position = 1
        characters = _characters(text[3:9], problems)
        if characters is None:
            return []
        segs.append(Seg("UNA", [], 1))
        text = text[9:].lstrip("\r\n")
    last: list[Token.Type | None] = [None]

    def tracked() -> Iterator[Token]:
        for token in Tokenizer().get_tokens(text, characters):
            last[0] = token.type
            yield token

    try:
        for raw in Parser().convert_tokens_to_raw_segments(TokenIterator(tracked())):
            position += 1
            if position > MAX_SEGMENTS:
                problems.add(
                    position, "", _("The file has more than %(count)s segments.") % {"count": MAX_SEGMENTS}
                )
                return segs
            tag = raw[0] if raw else ""
            if (
                not isinstance(tag, str)
                or len(tag) != 3
                or not tag.isascii()
                or not tag.isalnum()
                or tag != tag.upper()
            ):
                shown = tag if isinstance(tag, str) else ":".join(tag)
                problems.add(
                    position,
                    shown[:12],
                    _("“%(tag)s” is not a segment tag: a tag is three capital letters or digits.")
                    % {"tag": shown[:12]},
                )
                continue
            elements = [e if isinstance(e, list) else [e] for e in raw[1:]]
            segs.append(Seg(tag, elements, position))
    except Exception:
        problems.add(
            position + 1,
            "",
            _("Segment %(position)s cannot be read: the file is cut off or a release character ends a line.")
            % {"position": position + 1},
        )
        return segs
    if last[0] is not None and last[0] != Token.Type.TERMINATOR:
        problems.add(
            position + 1,
            "",
            _("The file is cut off: its last segment has no segment terminator."),
        )
    return segs


def _count_matches(declared: str, actual: int) -> bool:
    return declared.isdigit() and len(declared) <= 9 and int(declared) == actual


def _envelope(segs: list[Seg], problems: Problems) -> list[Message]:
    """The messages of the interchange, with every envelope problem collected."""
    start = 1 if segs and segs[0].tag == "UNA" else 0
    if start >= len(segs):
        if not problems:
            problems.add(1, "UNB", _("The file has no EDIFACT interchange header (UNB)."))
        return []
    unb = segs[start]
    if unb.tag != "UNB":
        problems.add(
            unb.pos,
            unb.tag,
            _("An EDIFACT interchange starts with UNB (after an optional UNA), not %(tag)s.")
            % {"tag": unb.tag},
        )
        return []
    syntax, syntax_version = unb.get(0, 0), unb.get(0, 1)
    if len(syntax) != 4 or not syntax.startswith("UNO") or syntax_version not in ("1", "2", "3", "4"):
        problems.add(
            unb.pos,
            "UNB",
            _(
                "The UNB syntax identifier %(syntax)s is not supported. Supported: UNOA to UNOY, version 1 to 4."
            )
            % {"syntax": f"{syntax}:{syntax_version}"},
        )
    reference = unb.get(4)
    if not reference:
        problems.add(unb.pos, "UNB", _("The UNB has no interchange control reference."))
    messages: list[Message] = []
    current: Message | None = None
    group: Seg | None = None
    in_group = groups = 0
    unz: Seg | None = None
    last = unb
    for seg in segs[start + 1 :]:
        last = seg
        if unz is not None:
            problems.add(seg.pos, seg.tag, _("There is a segment after the interchange trailer UNZ."))
            break
        tag = seg.tag
        if tag == "UNH":
            if current is not None:
                _unterminated(current, seg.pos, problems)
            current = Message(header=seg, segs=[seg])
        elif tag == "UNT":
            if current is None:
                problems.add(seg.pos, "UNT", _("A UNT message trailer without its message header UNH."))
                continue
            current.segs.append(seg)
            declared = seg.get(0)
            if not _count_matches(declared, len(current.segs)):
                problems.add(
                    seg.pos,
                    "UNT",
                    _(
                        "The UNT counts %(declared)s segments, but message %(reference)s has %(actual)s "
                        "(UNH to UNT)."
                    )
                    % {"declared": declared or "—", "reference": current.ref, "actual": len(current.segs)},
                )
            if seg.get(1) != current.ref:
                problems.add(
                    seg.pos,
                    "UNT",
                    _("The UNT reference %(trailer)s does not match the UNH reference %(header)s.")
                    % {"trailer": seg.get(1) or "—", "header": current.ref or "—"},
                )
            messages.append(current)
            in_group += 1
            current = None
        elif tag == "UNG":
            if current is not None:
                _unterminated(current, seg.pos, problems)
                current = None
            if group is not None:
                problems.add(seg.pos, "UNG", _("A group starts (UNG) before the previous one ended (UNE)."))
            group, in_group = seg, 0
            groups += 1
        elif tag == "UNE":
            if current is not None:
                _unterminated(current, seg.pos, problems)
                current = None
            if group is None:
                problems.add(seg.pos, "UNE", _("A UNE group trailer without its group header UNG."))
                continue
            if not _count_matches(seg.get(0), in_group):
                problems.add(
                    seg.pos,
                    "UNE",
                    _("The UNE counts %(declared)s messages, but the group has %(actual)s.")
                    % {"declared": seg.get(0) or "—", "actual": in_group},
                )
            if seg.get(1) != group.get(4):
                problems.add(
                    seg.pos,
                    "UNE",
                    _("The UNE reference %(trailer)s does not match the UNG reference %(header)s.")
                    % {"trailer": seg.get(1) or "—", "header": group.get(4) or "—"},
                )
            group = None
        elif tag == "UNZ":
            if current is not None:
                _unterminated(current, seg.pos, problems)
                current = None
            if group is not None:
                problems.add(seg.pos, "UNE", _("The group has no UNE trailer before the UNZ."))
                group = None
            unz = seg
        elif tag in ("UNA", "UNB"):
            problems.add(seg.pos, tag, _("A second %(tag)s inside the interchange.") % {"tag": tag})
        elif current is None:
            problems.add(
                seg.pos,
                tag,
                _("The segment %(tag)s is outside a message (UNH … UNT).") % {"tag": tag},
            )
        else:
            current.segs.append(seg)
    if current is not None:
        _unterminated(current, last.pos + 1, problems)
    if unz is None:
        problems.add(last.pos + 1, "UNZ", _("The interchange is cut off: its trailer UNZ is missing."))
        return messages
    expected = groups if groups else len(messages)
    if not _count_matches(unz.get(0), expected):
        problems.add(
            unz.pos,
            "UNZ",
            _("The UNZ counts %(declared)s messages or groups, but the interchange has %(actual)s.")
            % {"declared": unz.get(0) or "—", "actual": expected},
        )
    if unz.get(1) != reference:
        problems.add(
            unz.pos,
            "UNZ",
            _("The UNZ reference %(trailer)s does not match the UNB reference %(header)s.")
            % {"trailer": unz.get(1) or "—", "header": reference or "—"},
        )
    return messages


def _unterminated(message: Message, position: int, problems: Problems) -> None:
    problems.add(
        position,
        "UNT",
        _("Message %(reference)s ends without its trailer UNT.") % {"reference": message.ref or "—"},
    )


# ---- mapping ------------------------------------------------------------------------------------------


@dataclass
class Line:
    """A LIN and the segments of its group up to the next LIN or the summary section."""

    lin: Seg
    segs: list[Seg] = field(default_factory=list)

    @property
    def sku(self) -> str:
        candidates = [(self.lin.get(2, 0), self.lin.get(2, 1))]
        for seg in self.segs:
            if seg.tag == "PIA":
                candidates += [(seg.get(i, 0), seg.get(i, 1)) for i in range(1, len(seg.elements))]
        return pick_sku(candidates)

    @property
    def label(self) -> str:
        return self.lin.get(0) or str(self.lin.pos)


def _split(message: Message) -> tuple[list[Seg], list[Line]]:
    """The header segments (before the first LIN, and the summary after UNS) and the line groups."""
    header: list[Seg] = []
    lines: list[Line] = []
    summary = False
    for seg in message.segs[1:-1] if message.segs[-1].tag == "UNT" else message.segs[1:]:
        if seg.tag == "UNS":
            summary = True
        if seg.tag == "LIN" and not summary:
            lines.append(Line(seg))
        elif lines and not summary:
            lines[-1].segs.append(seg)
        else:
            header.append(seg)
    return header, lines


class Reader:
    """Reads the values of a message's segments, collecting every bad one."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def dates(self, segs: list[Seg]) -> dict[str, tuple[dt.date, Seg]]:
        found: dict[str, tuple[dt.date, Seg]] = {}
        for seg in segs:
            if seg.tag != "DTM":
                continue
            qualifier, value, fmt = seg.get(0, 0), seg.get(0, 1), seg.get(0, 2)
            day = date_from(value, fmt)
            if day is None:
                self.problems.add(
                    seg.pos,
                    f"DTM+{qualifier}",
                    _("“%(value)s” is not a date in format %(format)s (102 is CCYYMMDD).")
                    % {"value": value, "format": fmt or "102"},
                )
                continue
            found.setdefault(qualifier, (day, seg))
        return found

    def quantities(self, segs: list[Seg]) -> dict[str, list[tuple[str, Seg]]]:
        found: dict[str, list[tuple[str, Seg]]] = {}
        for seg in segs:
            if seg.tag != "QTY":
                continue
            value = self.quantity(seg)
            if value is not None:
                found.setdefault(seg.get(0, 0), []).append((value, seg))
        return found

    def quantity(self, seg: Seg) -> str | None:
        value = number(seg.get(0, 1))
        if value is None:
            self.problems.add(
                seg.pos,
                f"QTY+{seg.get(0, 0)}",
                _("The quantity “%(value)s” is not a number.") % {"value": seg.get(0, 1)},
            )
        return value

    def missing(self, position: int, column: str, message: str) -> None:
        self.problems.add(position, column, message)


def _has(segs: list[Seg], tag: str, qualifiers: tuple[str, ...]) -> bool:
    """Whether a segment of the tag with one of the qualifiers is there (already reported when bad)."""
    return any(s.tag == tag and s.get(0, 0) in qualifiers for s in segs)


def _first(dates: dict[str, tuple[dt.date, Seg]], *qualifiers: str) -> dt.date | None:
    for qualifier in qualifiers:
        if qualifier in dates:
            return dates[qualifier][0]
    return None


def _party(segs: list[Seg], *qualifiers: str) -> str:
    for qualifier in qualifiers:
        for seg in segs:
            if seg.tag == "NAD" and seg.qualifier == qualifier and seg.get(1, 0):
                return seg.get(1, 0)
    return ""


def _place(segs: list[Seg], *qualifiers: str) -> str:
    for seg in segs:
        if seg.tag == "LOC" and (not qualifiers or seg.qualifier in qualifiers) and seg.get(1, 0):
            return seg.get(1, 0)
    return ""


def _reference(segs: list[Seg], qualifier: str) -> str:
    for seg in segs:
        if seg.tag == "RFF" and seg.get(0, 0) == qualifier and seg.get(0, 1):
            return seg.get(0, 1)
    return ""


def _bgm(message: Message, header: list[Seg], reader: Reader) -> tuple[str, Seg | None]:
    for seg in header:
        if seg.tag == "BGM":
            if not seg.get(1, 0):
                reader.missing(seg.pos, "BGM", _("The BGM has no document number."))
            return seg.get(1, 0), seg
    reader.missing(message.header.pos, "BGM", _("The message has no beginning of message (BGM)."))
    return "", None


def _map(message: Message, problems: Problems) -> Collected | None:
    unh = message.header
    kind_name, directory, release = unh.get(1, 0), unh.get(1, 1), unh.get(1, 2)
    if kind_name not in MESSAGE_KINDS:
        problems.add(
            unh.pos,
            "UNH",
            _("The message type %(type)s is not supported. Supported: %(supported)s.")
            % {"type": kind_name or "—", "supported": ", ".join(MESSAGE_KINDS)},
        )
        return None
    if (directory, release) not in VERSIONS:
        problems.add(
            unh.pos,
            "UNH",
            _("%(type)s version %(version)s is not supported. Supported: %(supported)s.")
            % {
                "type": kind_name,
                "version": f"{directory}.{release}",
                "supported": ", ".join(VERSIONS.values()),
            },
        )
        return None
    reader = Reader(problems)
    header, lines = _split(message)
    number_, bgm = _bgm(message, header, reader)
    part = Collected(kind=MESSAGE_KINDS[kind_name], source=f"{kind_name} {number_}".strip())
    mapper = {
        "ORDERS": _orders,
        "ORDRSP": _orders,
        "DESADV": _desadv,
        "INVOIC": _invoic,
        "SLSRPT": _report,
        "INVRPT": _report,
    }[kind_name]
    mapper(kind_name, message, header, lines, number_, bgm, reader, part)
    return part


def _no_lines(message: Message, reader: Reader) -> None:
    reader.missing(message.segs[-1].pos, "LIN", _("The message has no line items (LIN)."))


def _orders(
    kind: str,
    message: Message,
    header: list[Seg],
    lines: list[Line],
    number_: str,
    bgm: Seg | None,
    reader: Reader,
    part: Collected,
) -> None:
    response = kind == "ORDRSP"
    order = (_reference(header, "ON") if response else "") or number_
    head_dates = reader.dates(header)
    due_qualifiers = ("2", "69", "67") if response else ("2",)
    head_due = _first(head_dates, *due_qualifiers)
    location = _party(header, "DP", "ST") or _place(header, "7")
    if not lines:
        _no_lines(message, reader)
    for line in lines:
        sku = line.sku
        if not sku:
            reader.missing(line.lin.pos, "LIN", _("Line %(line)s has no item number.") % {"line": line.label})
        quantities = reader.quantities(line.segs)
        wanted = ("113", "21") if response else ("21",)
        quantity = next((quantities[q][0][0] for q in wanted if q in quantities), None)
        if quantity is None and not _has(line.segs, "QTY", wanted):
            reader.missing(
                line.lin.pos,
                f"QTY+{wanted[0]}",
                _("Line %(line)s has no %(segment)s quantity.")
                % {"line": line.label, "segment": f"QTY+{wanted[0]}"},
            )
        due = _first(reader.dates(line.segs), *due_qualifiers) or head_due
        if due is None and not _has(line.segs, "DTM", due_qualifiers):
            reader.missing(
                line.lin.pos,
                "DTM+2",
                _("Line %(line)s has no delivery date (DTM+2), and the message has none either.")
                % {"line": line.label},
            )
        where = _party(line.segs, "DP", "ST") or _place(line.segs, "7") or location
        if not where:
            reader.missing(
                line.lin.pos,
                "NAD+DP",
                _("Line %(line)s has no delivery party (NAD+DP) or place (LOC+7).") % {"line": line.label},
            )
        if sku and quantity is not None and due is not None and where and order:
            part.add(
                {
                    "number": order,
                    "sku": sku,
                    "location": where,
                    "quantity": quantity,
                    "due_date": due.isoformat(),
                },
                line.lin.pos,
            )


def _desadv(
    kind: str,
    message: Message,
    header: list[Seg],
    lines: list[Line],
    number_: str,
    bgm: Seg | None,
    reader: Reader,
    part: Collected,
) -> None:
    dates = reader.dates(header)
    promised = _first(dates, "2", "69")
    actual = _first(dates, "35", "11")
    at = bgm.pos if bgm else message.header.pos
    if promised is None:
        reader.missing(at, "DTM+2", _("The despatch advice has no requested delivery date (DTM+2)."))
    if actual is None:
        reader.missing(
            at, "DTM+11", _("The despatch advice has no despatch date (DTM+11) or delivery date (DTM+35).")
        )
    order = _reference(header, "ON")
    ordered: list[str] = []
    despatched: list[str] = []
    if not lines:
        _no_lines(message, reader)
    for line in lines:
        order = order or _reference(line.segs, "ON")
        quantities = reader.quantities(line.segs)
        if "12" not in quantities:
            if not _has(line.segs, "QTY", ("12",)):
                reader.missing(
                    line.lin.pos,
                    "QTY+12",
                    _("Line %(line)s has no %(segment)s quantity.")
                    % {"line": line.label, "segment": "QTY+12"},
                )
            continue
        sent = add_numbers(v for v, _seg in quantities["12"])
        despatched.append(sent)
        ordered.append(add_numbers(v for v, _seg in quantities["21"]) if "21" in quantities else sent)
    if number_ and promised and actual and lines and len(despatched) == len(lines):
        row = {
            "reference": number_,
            "order": order,
            "promised_date": promised.isoformat(),
            "actual_date": actual.isoformat(),
            "promised_quantity": add_numbers(ordered),
            "delivered_quantity": add_numbers(despatched),
        }
        part.add({k: v for k, v in row.items() if v or k != "order"}, at)


def _invoic(
    kind: str,
    message: Message,
    header: list[Seg],
    lines: list[Line],
    number_: str,
    bgm: Seg | None,
    reader: Reader,
    part: Collected,
) -> None:
    at = bgm.pos if bgm else message.header.pos
    dates = reader.dates(header)
    issued = _first(dates, "137", "3")
    if issued is None:
        reader.missing(at, "DTM+137", _("The invoice has no document date (DTM+137)."))
    due = _first(dates, "13", "140")
    if due is None:
        due = _terms(header, issued)
    if due is None:
        reader.missing(
            at, "DTM+13", _("The invoice has no due date: neither DTM+13 nor payment terms (PAT) in days.")
        )
    amounts: dict[str, str] = {}
    currency = ""
    for seg in header:
        if seg.tag == "MOA" and seg.get(0, 0) in ("77", "86", "39"):
            value = number(seg.get(0, 1))
            if value is None:
                reader.problems.add(
                    seg.pos,
                    f"MOA+{seg.get(0, 0)}",
                    _("The amount “%(value)s” is not a number.") % {"value": seg.get(0, 1)},
                )
                continue
            amounts.setdefault(seg.get(0, 0), value)
            currency = currency or seg.get(0, 2)
        elif seg.tag == "CUX" and seg.get(0, 0) in ("2", "") and seg.get(0, 1):
            currency = seg.get(0, 1)
    amount = amounts.get("77") or amounts.get("86") or amounts.get("39")
    if amount is None and not any(s.tag == "MOA" and s.get(0, 0) in ("77", "86", "39") for s in header):
        reader.missing(at, "MOA+77", _("The invoice has no total amount (MOA+77, 86 or 39)."))
    if number_ and issued and due and amount is not None:
        row = {
            "reference": number_,
            "issue_date": issued.isoformat(),
            "due_date": due.isoformat(),
            "amount": amount,
        }
        if currency:
            row["currency"] = currency
        part.add(row, at)


def _terms(header: list[Seg], issued: dt.date | None) -> dt.date | None:
    """The due date of PAT's terms: a number of days or weeks after the invoice date."""
    if issued is None:
        return None
    for seg in header:
        if seg.tag != "PAT":
            continue
        unit, count = seg.get(2, 2), seg.get(2, 3)
        if count.isdigit() and len(count) <= 4 and unit in ("D", "WK"):
            return days_later(issued, int(count) * (7 if unit == "WK" else 1))
    return None


def _report(
    kind: str,
    message: Message,
    header: list[Seg],
    lines: list[Line],
    number_: str,
    bgm: Seg | None,
    reader: Reader,
    part: Collected,
) -> None:
    """SLSRPT (QTY+153 per LOC and sales period DTM+356/90/194) and INVRPT (QTY+145 per LOC, on the
    inventory date DTM+366/179 or the document date). A LOC right after a QTY names that quantity's
    location (INVRPT's QTY-LOC group); a LOC after the line's quantities starts the next location."""
    sales = kind == "SLSRPT"
    wanted = "153" if sales else "145"
    day_qualifiers = ("356", "90", "194") if sales else ("366", "179")
    day_column = "DTM+356" if sales else "DTM+366"
    quantity_column, place, day_name = f"QTY+{wanted}", "location", "period" if sales else "as_of"
    value_name = "quantity" if sales else "on_hand"
    body = message.segs[1:-1] if message.segs[-1].tag == "UNT" else message.segs[1:]
    document_day: dt.date | None = None
    head_location = ""
    head_day: dt.date | None = None
    report_day: dt.date | None = None  # a period before the first LOC group applies to every group
    grouped = False
    in_line = False
    sku = ""
    line_location = ""
    line_day: dt.date | None = None
    line_quantities = 0
    pending: list[tuple[dict[str, str], Seg]] = []
    rows: list[tuple[dict[str, str], int]] = []
    lin: Seg | None = None

    def flush() -> None:
        nonlocal pending
        for row, seg in pending:
            if head_location:
                row[place] = head_location
                rows.append((row, seg.pos))
            else:
                reader.missing(seg.pos, "LOC", _("The quantity has no location (LOC)."))
        pending = []
        if lin is not None and in_line and line_quantities == 0 and sku:
            reader.missing(
                lin.pos,
                quantity_column,
                _("Line %(line)s has no %(segment)s quantity.")
                % {"line": lin.get(0) or lin.pos, "segment": quantity_column},
            )

    line_segs: list[Seg] = []
    for seg in body:
        tag = seg.tag
        if tag == "LIN":
            flush()
            in_line, lin, line_location, line_day, line_quantities = True, seg, "", None, 0
            line_segs = []
            sku = Line(seg, []).sku
            if not sku:
                reader.missing(
                    seg.pos, "LIN", _("Line %(line)s has no item number.") % {"line": seg.get(0) or seg.pos}
                )
        elif tag == "PIA" and in_line:
            line_segs.append(seg)
            sku = Line(lin, line_segs).sku if lin is not None else sku
        elif tag in ("UNS", "CNT"):
            flush()
            in_line = False
        elif tag == "LOC" and seg.get(1, 0):
            if in_line and pending and not sales:
                for row, qty in pending:
                    row[place] = seg.get(1, 0)
                    rows.append((row, qty.pos))
                pending = []
            elif in_line and (line_quantities == 0 or not sales):
                line_location = seg.get(1, 0)
            else:
                flush()
                in_line, head_location, head_day, grouped = False, seg.get(1, 0), report_day, True
        elif tag == "DTM":
            found = reader.dates([seg])
            for qualifier, (day, _seg) in found.items():
                if qualifier in day_qualifiers:
                    if in_line:
                        line_day = day
                    else:
                        head_day = day
                        report_day = report_day if grouped else day
                elif qualifier == "137" and not in_line:
                    document_day = document_day or day
        elif tag == "QTY" and seg.get(0, 0) == wanted and not in_line:
            reader.missing(
                seg.pos, quantity_column, _("The quantity is outside a line item (no LIN before it).")
            )
        elif tag == "QTY" and seg.get(0, 0) == wanted:
            line_quantities += 1
            value = reader.quantity(seg)
            when = line_day or head_day or (None if sales else document_day)
            if when is None:
                reader.missing(
                    seg.pos,
                    day_column,
                    _("The quantity has no date (%(segment)s).") % {"segment": day_column},
                )
            if value is None or when is None or not sku:
                continue
            where = line_location or (head_location if sales else "")
            row = {"sku": sku, place: where, day_name: when.isoformat(), value_name: value}
            if where:
                rows.append((row, seg.pos))
            else:
                pending.append((row, seg))
    flush()
    if not any(seg.tag == "LIN" for seg in body):
        _no_lines(message, reader)
    for row, position in sorted(rows, key=lambda r: r[1]):
        part.add(
            {"sku": row["sku"], place: row[place], day_name: row[day_name], value_name: row[value_name]},
            position,
        )


# ---- writing ------------------------------------------------------------------------------------------

_UNITS = {
    "pcs": "PCE",
    "pc": "PCE",
    "kg": "KGM",
    "g": "GRM",
    "l": "LTR",
    "box": "BX",
    "case": "CS",
    "carton": "CT",
}
_DIRECTORIES = {"D96A": ("D", "96A"), "D01B": ("D", "01B")}


def unit_code(unit: str) -> str:
    return _UNITS.get(unit.strip().lower(), "PCE")


def _d(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _q(value: Decimal) -> str:
    return format_decimal(Decimal(value))


def _s(tag: str, *elements: str | list[str]) -> Segment:
    """A segment without its trailing empty elements."""
    kept = list(elements)
    while kept and kept[-1] in ("", []):
        kept.pop()
    return Segment(tag, *kept)


def interchange(
    messages: list[tuple[str, list[Segment]]],
    *,
    sender: str,
    recipient: str,
    reference: str,
    when: dt.datetime | None = None,
    version: str = "D96A",
) -> bytes:
    """An interchange of messages (type, body segments without UNH/UNT), one segment a line."""
    when = when or dt.datetime(2026, 1, 1, 12, 0)
    directory, release = _DIRECTORIES[version]
    segments = [
        _s(
            "UNB",
            ["UNOC", "3"],
            [sender, "14"],
            [recipient, "14"],
            [when.strftime("%y%m%d"), when.strftime("%H%M")],
            reference,
        )
    ]
    for index, (kind, body) in enumerate(messages, start=1):
        ref = str(index)
        segments.append(_s("UNH", ref, [kind, directory, release, "UN", "EAN008"]))
        segments.extend(body)
        segments.append(_s("UNT", str(len(body) + 2), ref))
    segments.append(_s("UNZ", str(len(messages)), reference))
    characters = Characters(
        component_separator=":",
        data_separator="+",
        decimal_point=".",
        escape_character="?",
        segment_terminator="'",
    )
    text = Serializer(characters).serialize(segments, with_una_header=True, break_lines=True)
    return text.encode("utf-8")


def _parties(
    buyer: str, supplier: str, location: str = "", buyer_name: str = "", supplier_name: str = ""
) -> list[Segment]:
    found = [
        _s("NAD", "BY", [buyer, "", "92"], "", buyer_name),
        _s("NAD", "SU", [supplier, "", "92"], "", supplier_name),
    ]
    if location:
        found.append(_s("NAD", "DP", [location, "", "92"]))
    return found


def _item(number_: int, supplier_sku: str, customer_sku: str = "") -> list[Segment]:
    found = [_s("LIN", str(number_), "", [supplier_sku, "SA"])]
    if customer_sku:
        found.append(_s("PIA", "1", [customer_sku, "IN"]))
    return found


def orders_body(doc: OrderDocument, *, response: str = "") -> list[Segment]:
    """ORDERS (or, with ``response``, the ORDRSP confirming the lines' quantities and dates)."""
    body = [
        _s("BGM", "231" if response else "220", response or doc.number, "29" if response else "9"),
        _s("DTM", ["137", _d(doc.issued), "102"]),
    ]
    if response:
        body.append(_s("RFF", ["ON", doc.number]))
    body += _parties(doc.buyer_id, doc.supplier_id, doc.location, doc.buyer_name, doc.supplier_name)
    if doc.currency:
        body.append(_s("CUX", ["2", doc.currency, "9"]))
    for line in doc.lines:
        body += _item(line.number, line.supplier_sku, line.customer_sku)
        if line.description:
            body.append(_s("IMD", "F", "", ["", "", "", line.description[:70]]))
        unit = unit_code(line.unit)
        if response:
            body.append(_s("QTY", ["113", _q(line.quantity), unit]))
        else:
            body.append(_s("QTY", ["21", _q(line.quantity), unit]))
        body.append(_s("DTM", ["2", _d(line.due_date), "102"]))
    body += [_s("UNS", "S"), _s("CNT", ["2", str(len(doc.lines))])]
    return body


def write_edifact_orders(doc: OrderDocument, *, version: str = "D96A") -> bytes:
    """The order as an EDIFACT ORDERS interchange from the buyer to the supplier."""
    return interchange(
        [("ORDERS", orders_body(doc))],
        sender=doc.buyer_id,
        recipient=doc.supplier_id,
        reference=_control(doc.number),
        when=dt.datetime.combine(doc.issued, dt.time(12, 0)),
        version=version,
    )


def write_edifact_ordrsp(doc: OrderDocument, response: str, *, version: str = "D96A") -> bytes:
    return interchange(
        [("ORDRSP", orders_body(doc, response=response))],
        sender=doc.supplier_id,
        recipient=doc.buyer_id,
        reference=_control(response),
        version=version,
    )


def desadv_body(doc: DespatchDocument) -> list[Segment]:
    body = [
        _s("BGM", "351", doc.number, "9"),
        _s("DTM", ["137", _d(doc.issued), "102"]),
        _s("DTM", ["11", _d(doc.shipped), "102"]),
        _s("DTM", ["2", _d(doc.requested), "102"]),
    ]
    if doc.delivered:
        body.append(_s("DTM", ["35", _d(doc.delivered), "102"]))
    body.append(_s("RFF", ["ON", doc.order]))
    body += _parties(doc.buyer_id, doc.supplier_id, doc.location)
    body.append(_s("CPS", "1"))
    for index, line in enumerate(doc.lines, start=1):
        body += _item(index, line.sku)
        body.append(_s("QTY", ["12", _q(line.despatched), "PCE"]))
        body.append(_s("QTY", ["21", _q(line.ordered), "PCE"]))
    body.append(_s("CNT", ["2", str(len(doc.lines))]))
    return body


def write_edifact_desadv(doc: DespatchDocument, *, version: str = "D96A") -> bytes:
    return interchange(
        [("DESADV", desadv_body(doc))],
        sender=doc.supplier_id,
        recipient=doc.buyer_id,
        reference=_control(doc.number),
        version=version,
    )


def invoic_body(doc: InvoiceDocument) -> list[Segment]:
    body = [_s("BGM", "380", doc.number, "9"), _s("DTM", ["137", _d(doc.issued), "102"])]
    if doc.order:
        body.append(_s("RFF", ["ON", doc.order]))
    body += _parties(doc.buyer_id, doc.supplier_id)
    body.append(_s("CUX", ["2", doc.currency, "4"]))
    if doc.due is not None:
        body += [_s("PAT", "1"), _s("DTM", ["13", _d(doc.due), "102"])]
    elif doc.net_days is not None:
        body.append(_s("PAT", "1", "", ["5", "3", "D", str(doc.net_days)]))
    body += [_s("UNS", "S"), _s("MOA", ["77", _q(doc.amount), doc.currency])]
    return body


def write_edifact_invoic(doc: InvoiceDocument, *, version: str = "D96A") -> bytes:
    return interchange(
        [("INVOIC", invoic_body(doc))],
        sender=doc.supplier_id,
        recipient=doc.buyer_id,
        reference=_control(doc.number),
        version=version,
    )


def slsrpt_body(doc: ReportDocument) -> list[Segment]:
    """One LOC group per location and sales day (DTM+356), a LIN with QTY+153 per item."""
    body = [_s("BGM", "73E", doc.number, "9"), _s("DTM", ["137", _d(doc.issued), "102"])]
    body += _parties(doc.buyer_id, doc.supplier_id)
    groups: dict[tuple[str, dt.date], list[tuple[str, Decimal]]] = {}
    for line in doc.lines:
        groups.setdefault((line.location, line.day), []).append((line.sku, line.quantity))
    index = 0
    for (location, day), items in groups.items():
        body += [_s("LOC", "162", [location, "", "92"]), _s("DTM", ["356", _d(day), "102"])]
        for sku, quantity in items:
            index += 1
            body += _item(index, sku)
            body.append(_s("QTY", ["153", _q(quantity), "PCE"]))
    return body


def invrpt_body(doc: ReportDocument) -> list[Segment]:
    """One LIN per item and day (DTM+366), then QTY+145 and the LOC it was counted at, per location."""
    body = [_s("BGM", "35", doc.number, "9"), _s("DTM", ["137", _d(doc.issued), "102"])]
    body += _parties(doc.buyer_id, doc.supplier_id)
    groups: dict[tuple[str, dt.date], list[tuple[str, Decimal]]] = {}
    for line in doc.lines:
        groups.setdefault((line.sku, line.day), []).append((line.location, line.quantity))
    for index, ((sku, day), places) in enumerate(groups.items(), start=1):
        body += _item(index, sku)
        body.append(_s("DTM", ["366", _d(day), "102"]))
        for location, quantity in places:
            body += [_s("QTY", ["145", _q(quantity), "PCE"]), _s("LOC", "18", [location, "", "92"])]
    return body


def write_edifact_report(doc: ReportDocument, kind: str, *, version: str = "D96A") -> bytes:
    """SLSRPT (``kind="SLSRPT"``) or INVRPT (``kind="INVRPT"``)."""
    body = slsrpt_body(doc) if kind == "SLSRPT" else invrpt_body(doc)
    return interchange(
        [(kind, body)],
        sender=doc.buyer_id,
        recipient=doc.supplier_id,
        reference=_control(doc.number),
        version=version,
    )


def _control(text: str) -> str:
    """An interchange control reference (at most 14 characters) made from a document number."""
    cleaned = "".join(c for c in text if c.isascii() and c.isalnum())
    return (cleaned or "1")[-14:]
