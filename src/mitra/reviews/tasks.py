"""Jobs of the quarterly review: the daily preparation of reviews before each charter review date."""

from __future__ import annotations

from django_tasks import task

from mitra.reviews import services


@task()
def prepare_upcoming_reviews() -> int:
    """Daily: prepare the review PDFs of every partnership whose charter review date is within a week, for
    both organisations in their languages. Idempotent. Returns how many were prepared."""
    return len(services.prepare_upcoming_reviews().prepared)
