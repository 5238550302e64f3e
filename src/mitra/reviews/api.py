"""The quarterly partnership review as a file: GET /api/v1/partnerships/{partnership_id}/review.

Either partner downloads the same document (PDF or HTML) of a quarter, in English or Bahasa Indonesia.
The reviews prepared before each charter review date are listed under ``…/reviews/prepared`` (the
reader's organisation's copies) and downloaded from ``…/reviews/prepared/{review_id}``. A stranger to the
partnership gets 404; a malformed quarter, language or format is a 422 naming the field.
"""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Query, Router, Schema
from pydantic import Field

from mitra.core.api import Id, actor_of, errors
from mitra.reviews import selectors, services

router = Router(tags=["reviews"])

FILE_RESPONSES = {
    "responses": {
        200: {
            "description": "The review document: a PDF (format=pdf, the default) or one HTML page (format=html)",
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "text/html": {"schema": {"type": "string"}},
            },
        }
    }
}


class ReviewsQuery(Schema):
    quarter: str = Field(
        "",
        max_length=20,
        description="The quarter as YYYYQn, e.g. 2026Q3 (default: the current quarter)",
        examples=["2026Q3"],
    )
    lang: Literal["en", "id"] | None = Field(
        None, description="The document's language (default: the language of the request)"
    )
    format: Literal["pdf", "html"] = Field("pdf", description="pdf or html")


@router.get(
    "/partnerships/{partnership_id}/review",
    response=errors(401, 404, 422),
    operation_id="review_get",
    openapi_extra=FILE_RESPONSES,
)
def review_get(request: HttpRequest, partnership_id: Id, filters: Query[ReviewsQuery]) -> HttpResponse:
    """The quarterly business review of the partnership: cover, health trend and dimensions, the value
    ledger of both sides, commitments kept and missed, cases and their outcomes, initiatives and KPI
    progress, planning accuracy and exceptions (where planning is in use), open risks and the next
    quarter's commitments."""
    lang = filters.lang or (translation.get_language() or "en").split("-")[0]
    document = services.review_document(
        actor_of(request),
        partnership_id=partnership_id,
        quarter=filters.quarter,
        lang=lang,
        fmt=filters.format,
    )
    response = HttpResponse(document.content, content_type=document.content_type)
    disposition = "attachment" if filters.format == "pdf" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
    return response


class ReviewsPreparedOut(Schema):
    id: int
    quarter: str = Field(description="The quarter the review covers, as YYYYQn")
    language: str = Field(description="The document's language (the organisation's)")
    review_date: dt.date = Field(description="The charter review date it was prepared for")
    size: int = Field(description="The PDF's size in bytes")
    created_at: dt.datetime
    url: str = Field(description="Where to download the PDF")


PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "The prepared review as a PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/partnerships/{partnership_id}/reviews/prepared",
    response={200: list[ReviewsPreparedOut], **errors(401, 404, 422)},
    operation_id="review_prepared_list",
)
def review_prepared_list(request: HttpRequest, partnership_id: Id) -> Any:
    """The reviews Mitra prepared for your organisation before each review date in the charter (the last
    complete quarter, in your organisation's language), newest review date first; at most the last 12."""
    return [
        {
            "id": r.pk,
            "quarter": r.quarter,
            "language": r.language,
            "review_date": r.review_date,
            "size": r.size,
            "created_at": r.created_at,
            "url": f"/api/v1/partnerships/{partnership_id}/reviews/prepared/{r.pk}",
        }
        for r in selectors.prepared_list(actor_of(request), partnership_id)
    ]


@router.get(
    "/partnerships/{partnership_id}/reviews/prepared/{review_id}",
    response=errors(401, 404, 422),
    operation_id="review_prepared_get",
    openapi_extra=PDF_RESPONSE,
)
def review_prepared_get(request: HttpRequest, partnership_id: Id, review_id: Id) -> HttpResponse:
    """One prepared review's PDF."""
    prepared = selectors.prepared_get(actor_of(request), partnership_id, review_id)
    response = HttpResponse(bytes(prepared.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{prepared.filename}"'
    return response
