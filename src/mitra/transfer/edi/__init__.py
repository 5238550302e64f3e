"""EDI in and out: UN/EDIFACT (pydifact) and ANSI X12 (pyx12 for the envelope), as pure code.

``read(data)`` turns an interchange into batches of rows for the import machinery, one batch per import
kind (``open_orders``, ``deliveries``, ``invoices``, ``sell_out``, ``stock``); every problem of the file
is raised at once as ``mitra.core.rows.RowErrors``, each naming the segment (``QTY+21``, ``DTM*002``) and
its position. No other exception leaves ``read``, whatever the bytes.

``write_edifact_orders`` and ``write_x12_850`` write an order; ``mitra.transfer.edi.samples`` builds
every supported message type for the documentation and the tests.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mitra.core.rows import RowError, RowErrors
from mitra.transfer.edi import edifact, x12
from mitra.transfer.edi.common import MAX_BYTES, Batch, Problems, decode, merge, sniff_text
from mitra.transfer.edi.documents import OrderDocument, OrderLine
from mitra.transfer.edi.edifact import write_edifact_orders
from mitra.transfer.edi.x12 import write_x12_850

__all__ = [
    "MAX_BYTES",
    "Batch",
    "OrderDocument",
    "OrderLine",
    "read",
    "sniff",
    "write_edifact_orders",
    "write_x12_850",
]


def sniff(data: bytes) -> str | None:
    """``"edifact"`` (starts with UNA or UNB), ``"x12"`` (starts with ISA) or None."""
    return sniff_text(decode(data[:64]))


def read(data: bytes) -> list[Batch]:
    """The batches of an EDIFACT or X12 interchange. Raises ``RowErrors`` (and nothing else) listing
    every problem found, each with the segment's position and tag."""
    if len(data) > MAX_BYTES:
        raise RowErrors(
            [
                RowError(
                    0,
                    "",
                    _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)},
                )
            ]
        )
    problems = Problems()
    try:
        text = decode(data)
        syntax = sniff_text(text)
        if syntax is None:
            raise RowErrors(
                [
                    RowError(
                        0,
                        "",
                        _(
                            "This is not an EDI file: an EDIFACT interchange starts with UNA or UNB, an X12 "
                            "interchange with ISA."
                        ),
                    )
                ]
            )
        text = text.lstrip(" \t\r\n")
        collected = edifact.read(text, problems) if syntax == "edifact" else x12.read(text, problems)
        problems.raise_if_any()
        batches = merge(collected)
        if not batches:
            raise RowErrors([RowError(0, "", _("The interchange has no messages with rows to import."))])
        return batches
    except RowErrors:
        raise
    except Exception:
        # a parser's surprise is still the file's problem, never a traceback
        problems.add(0, "", _("The file cannot be read as EDI."))
        raise RowErrors(problems.errors, total=problems.total) from None
