"""Query-count baselines: list pages run a fixed number of queries, however many rows they show."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

# Measured and kept on purpose: a change that adds a query per row (N+1) breaks the equality below, and a
# change that adds a fixed query shows up here to be looked at.
PARTNERSHIP_LIST_PAGE_QUERIES = 10  # includes the paginator's count


def _add_partnerships(world, n: int) -> None:
    for _ in range(n):
        p = f.PartnershipFactory(supplier=world.supplier)
        f.BridgeFactory(partnership=p, supplier_owner=world.supplier_member)


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/partnerships/")
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_partnership_list_page_queries_do_not_grow_with_partnerships(client, world):
    client.force_login(world.supplier_admin.user)
    _add_partnerships(world, 1)
    small = _page_queries(client)
    _add_partnerships(world, 18)
    large = _page_queries(client)
    assert small == large == PARTNERSHIP_LIST_PAGE_QUERIES
    assert (
        client.get("/partnerships/").content.decode().count('class="table__primary"') == 20
    )  # 19 added + the world's own


def test_partnership_list_page_is_paginated_and_keeps_the_filters(client, world):
    from mitra.partnerships.views import LIST_PAGE_SIZE

    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    _add_partnerships(world, LIST_PAGE_SIZE)  # one more than a page, with the world's own
    first = client.get("/partnerships/?status=active").content.decode()
    assert first.count('class="table__primary"') == LIST_PAGE_SIZE
    assert f"Page 1 of 2 ({LIST_PAGE_SIZE + 1} partnerships)" in first
    assert "?status=active&amp;q=&amp;page=2" in first
    second = client.get("/partnerships/?status=active&q=&page=2").content.decode()
    assert second.count('class="table__primary"') == 1


def _detail_queries(client, pk: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/partnerships/{pk}/")
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_partnership_overview_queries_do_not_grow_with_workspace_records(
    client, world, django_capture_on_commit_callbacks
):
    """The overview shows a card per workflow; each card aggregates in the database, so more commitments,
    cases, value entries, touchpoints… add no query."""
    from tests import contracts

    client.force_login(world.supplier_admin.user)
    with django_capture_on_commit_callbacks(execute=False):
        ids = contracts.seed_all(world)
    some = _detail_queries(client, world.partnership.pk)
    with django_capture_on_commit_callbacks(execute=False):
        contracts.fuzz_valid_all(world, ids)  # another record or more of every kind, in every state
    more = _detail_queries(client, world.partnership.pk)
    assert some == more, (some, more)
    assert more <= 40, more  # a card is a query or two; the whole page stays bounded
