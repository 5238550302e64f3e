"""The quarterly review's part of the isolation and API-fuzz tests.

The review document only reads; a stranger gets 404 on the page and the API whatever the quarter, language
or format. ``seed`` stores one prepared review (for the supplier, whose admin the fuzzer acts as), so the
prepared-review page and operations have a real record for a stranger to aim at.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mitra.reviews.models import PreparedReview

TENANT_PAGES = {
    "reviews:page": lambda i: {"pk": i["partnership"]},
    "reviews:prepared": lambda i: {"pk": i["partnership"], "review_id": i["prepared_review"]},
}

API_PATH_IDS = {"review_id": "prepared_review"}

PDF = b"%PDF-1.7\n% a prepared review stand-in\n%%EOF\n"


def seed(world: Any) -> dict[str, int]:
    p = world.partnership
    prepared = PreparedReview.objects.create(
        partnership=p,
        organisation_id=p.supplier_id,
        quarter="2026Q3",
        language="en",
        review_date=dt.date(2026, 10, 5),
        pdf=PDF,
        size=len(PDF),
    )
    return {"prepared_review": prepared.pk}


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    """The HTML document of a quarter, in Indonesian (the PDF is the default for generated requests), and
    the supplier's prepared review."""
    p = world.partnership.pk
    return {
        "review_get": {
            "path": {"partnership_id": p},
            "query": {"quarter": "2026Q3", "lang": "id", "format": "html"},
        },
        "review_prepared_list": {"path": {"partnership_id": p}},
        "review_prepared_get": {"path": {"partnership_id": p, "review_id": ids["prepared_review"]}},
    }
