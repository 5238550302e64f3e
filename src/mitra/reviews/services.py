"""Making the review document: one call for the page, the API, the command and the scheduled job.

Reading only: the review is built from the partnership's records each time and is not stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from mitra.core.tenancy import Actor
from mitra.reviews.builder import build_review
from mitra.reviews.render import check_format, check_language, filename, render_html, render_pdf

CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Document:
    content: bytes
    content_type: str
    filename: str


def review_document(
    actor: Actor, *, partnership_id: int, quarter: str | None, lang: str | None, fmt: str | None
) -> Document:
    """The review of ``quarter`` ("2026Q3"; empty: the current one) as ``fmt`` (pdf or html) in ``lang``
    (en or id). ``Invalid`` names the field at fault (quarter, lang, format); ``NotFound`` for a stranger
    to the partnership."""
    review = build_review(actor, partnership_id, quarter or "")  # a stranger gets NotFound first
    fmt = check_format(fmt)
    lang = check_language(lang)
    content = render_pdf(review, lang) if fmt == "pdf" else render_html(review, lang).encode()
    return Document(content=content, content_type=CONTENT_TYPES[fmt], filename=filename(review, lang, fmt))
