"""The quarterly review's part of the isolation and API-fuzz tests.

The review only reads: it needs no records of its own (``seed`` adds none), and a stranger gets 404 on
the page and the API whatever the quarter, language or format.
"""

from __future__ import annotations

from typing import Any

TENANT_PAGES = {
    "reviews:page": lambda i: {"pk": i["partnership"]},
}


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    """The HTML document of a quarter, in Indonesian (the PDF is the default for generated requests)."""
    return {
        "review_get": {
            "path": {"partnership_id": world.partnership.pk},
            "query": {"quarter": "2026Q3", "lang": "id", "format": "html"},
        },
    }
