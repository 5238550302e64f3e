"""Queue background jobs after the current transaction commits.

Services name a job by its dotted path instead of importing the tasks module, so the domain layer never
depends on the interface layer (tasks import services, not the other way round), and a job never runs
for a write that was rolled back.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task_path: str, *args: int) -> None:
    """Enqueue ``task_path`` with ids as arguments once the surrounding transaction commits."""

    def _enqueue() -> None:
        import_string(task_path).enqueue(*args)

    transaction.on_commit(_enqueue)
