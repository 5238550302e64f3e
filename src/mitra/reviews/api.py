"""The quarterly partnership review as a file: GET /api/v1/partnerships/{partnership_id}/review.

Either partner downloads the same document (PDF or HTML) of a quarter, in English or Bahasa Indonesia.
A stranger to the partnership gets 404; a malformed quarter, language or format is a 422 naming the field.
"""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Query, Router, Schema
from pydantic import Field

from mitra.core.api import Id, actor_of, errors
from mitra.reviews import services

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
