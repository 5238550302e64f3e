"""A fingerprint of every business row, to prove that a refused request changed nothing."""

from __future__ import annotations

from typing import Any

from django.apps import apps

# Rows that a refused request legitimately writes or touches: the audit log records the refusal, a token's
# last-used time moves, sessions and the job queue are infrastructure.
IGNORED_MODELS = {"accounts.SecurityEvent", "sessions.Session", "django_tasks_db.DBTaskResult"}
IGNORED_FIELDS = {"accounts.ApiToken": {"last_used_at"}, "accounts.User": {"last_login"}}
APPS = (
    "accounts",
    "partnerships",
    "core",
    "risks",
    "cases",
    "improvement",
    "value",
    "commitments",
    "moments",
    "pulse",
    "plans",
    "threads",
    "health",
)


def db_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of Mitra's own tables (history tables and many-to-many links included)."""
    state: dict[str, list[dict[str, Any]]] = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            key = model._meta.label
            if key in IGNORED_MODELS:
                continue
            rows = [dict(row) for row in model.objects.order_by("pk").values()]
            for row in rows:
                for field in IGNORED_FIELDS.get(key, ()):
                    row.pop(field, None)
            state[key] = rows
    return state
