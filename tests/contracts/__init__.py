"""Each workflow app's part of the cross-cutting isolation and API-fuzz tests, one module per app.

A module ``tests/contracts/<app>.py`` may define:

- ``TENANT_PAGES``: page name -> ``lambda ids: url kwargs`` (a stranger gets 404 there);
- ``OWN_PAGES``, ``TOKEN_PAGES``, ``OWN_API_OPERATIONS``: sets, as in ``tests/test_isolation.py``;
- ``API_PATH_IDS``: API path parameter -> the ``ids`` key of its record;
- ``seed(world) -> dict[str, int]``: creates the app's records in ``world.partnership`` and returns their ids
  (keys unique across apps, e.g. ``commitment``);
- ``api_bodies(ids) -> dict``: operation id -> a valid body, so a 404 is the access check answering;
- ``fuzz_valid(world, ids) -> dict``: operation id -> one request that succeeds (``path``, ``query``,
  ``body``, ``headers``, ``cookies``), for ``tests/test_api_fuzz.py``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

APPS = (
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
    "planning",
    "transfer",
    "reviews",
    "partnerships",
)


def modules() -> list[ModuleType]:
    found = []
    for app in APPS:
        try:
            found.append(importlib.import_module(f"tests.contracts.{app}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.contracts.{app}":
                raise
    return found


def merged(attribute: str, empty: Any) -> Any:
    result = type(empty)()
    for module in modules():
        value = getattr(module, attribute, empty)
        if isinstance(result, dict):
            result.update(value)
        else:
            result |= set(value)
    return result


def seed_all(world: Any) -> dict[str, int]:
    ids: dict[str, int] = {}
    for module in modules():
        if hasattr(module, "seed"):
            ids.update(module.seed(world))
    return ids


def bodies_all(ids: dict[str, int]) -> dict[str, Any]:
    bodies: dict[str, Any] = {}
    for module in modules():
        if hasattr(module, "api_bodies"):
            bodies.update(module.api_bodies(ids))
    return bodies


def fuzz_valid_all(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    valid: dict[str, Any] = {}
    for module in modules():
        if hasattr(module, "fuzz_valid"):
            valid.update(module.fuzz_valid(world, ids))
    return valid
