"""A JSON client for the API tests and their shared authorisation-matrix helpers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mitra.accounts import services
from mitra.accounts.models import Membership
from tests import factories as f
from tests.dbstate import db_state

ANON, FOREIGN, VIEWER, MEMBER, ADMIN = "anonymous", "foreign", "viewer", "member", "admin"


class Api:
    """A JSON client for /api/v1 that authenticates with a fresh Bearer token of one membership (or none)."""

    def __init__(self, client: Client, membership: Membership | None) -> None:
        self.client = client
        # Messages are asserted in English; without this header the API answers in the organisation's language.
        self.headers: dict[str, str] = {"Accept-Language": "en"}
        if membership is not None:
            _, raw = services.api_token_create(f.actor(membership), name="test")
            self.headers["Authorization"] = f"Bearer {raw}"

    def __call__(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body) if body is not None else ""
        return self.client.generic(
            method, f"/api/v1{path}", data, content_type="application/json", headers=self.headers
        )


def as_(client: Client, world, who: str) -> Api:
    membership = {
        ANON: None,
        FOREIGN: world.foreign_admin,
        VIEWER: world.supplier_viewer,
        MEMBER: world.supplier_member,
        ADMIN: world.supplier_admin,
    }[who]
    return Api(client, membership)


def check(api: Api, method: str, path: str, body: Any, expected: int) -> Any:
    """Call, assert the status, and for a refused write assert the database is untouched."""
    before = db_state() if method != "GET" and expected >= 400 else None
    response = api(method, path, body)
    assert response.status_code == expected, response.content
    if before is not None:
        assert db_state() == before
    if expected == 401:
        assert response.json() == {
            "detail": "Sign in or send a valid API token.",
            "code": "unauthenticated",
            "errors": [],
        }
        assert response["WWW-Authenticate"] == 'Bearer realm="mitra"'
    if expected == 403:
        assert response.json()["code"] == "permission_denied"
    if expected == 404:
        assert response.json()["code"] == "not_found"
    return response


def matrix(**expected: int) -> Any:
    return pytest.mark.parametrize("who, expected", list(expected.items()))
