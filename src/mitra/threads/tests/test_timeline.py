"""The timeline: one filterable, paginated stream per partnership, through the API and the page."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests import factories as f
from tests.apiclient import Api, check

from mitra.threads.events import record_event
from mitra.threads.models import Event

from .test_api import _comment


def _events(world, risk, n: int, *, who=None, verb="updated", at=None) -> None:
    actor = f.actor(who or world.supplier_admin)
    for _ in range(n):
        record_event(actor, risk, kind="risk", verb=verb, title=risk.title, at=at)


def test_comments_go_on_the_timeline_as_the_records_kind(client, world, risk):
    comment = _comment(world, risk, world.customer_admin, "Setuju dengan rencana ini")
    event = Event.objects.get()
    assert (event.kind, event.object_id, event.verb) == ("risk", risk.pk, "commented")
    assert event.actor_side == "customer" and event.actor_user == world.customer_admin.user
    assert event.url.endswith(f"#comment-{comment.pk}") and event.detail == "Setuju dengan rencana ini"
    item = check(
        Api(client, world.supplier_admin), "GET", f"/partnerships/{world.partnership.pk}/timeline", None, 200
    ).json()["items"][0]
    assert item["kind_label"] == "risk" and item["verb_label"] == "commented on"


def test_the_timeline_filters_by_kind_side_actor_and_dates(client, world, risk):
    old = timezone.now() - dt.timedelta(days=40)
    _events(world, risk, 2, who=world.supplier_admin)
    _events(world, risk, 1, who=world.customer_member, at=old)
    plan = SimpleNamespace(pk=1, partnership=world.partnership, restricted_department_id=None)
    record_event(f.actor(world.supplier_member), plan, kind="plan", verb="published", title="JBP")
    api = Api(client, world.supplier_admin)
    base = f"/partnerships/{world.partnership.pk}/timeline"

    def count(query: str) -> int:
        return check(api, "GET", f"{base}?{query}", None, 200).json()["count"]

    assert count("") == 4
    assert count("kind=risk") == 3
    assert count("kind=plan") == 1
    assert count("side=customer") == 1
    assert count(f"actor_id={world.supplier_admin.pk}") == 2
    assert count(f"since={(timezone.localdate() - dt.timedelta(days=7)).isoformat()}") == 3
    assert count(f"until={(timezone.localdate() - dt.timedelta(days=30)).isoformat()}") == 1
    errors = check(api, "GET", f"{base}?actor_id={world.foreign_admin.pk}", None, 422).json()["errors"]
    assert errors[0]["field"] == "actor_id"


def test_strangers_get_404_from_the_timeline(client, world, risk):
    _events(world, risk, 1)
    check(
        Api(client, world.foreign_admin), "GET", f"/partnerships/{world.partnership.pk}/timeline", None, 404
    )


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fn()
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_timeline_api_and_page_run_in_flat_queries_for_2_and_200_events(client, world, risk):
    api = Api(client, world.supplier_admin)
    path = f"/partnerships/{world.partnership.pk}/timeline"
    client.force_login(world.customer_admin.user)
    page = f"/partnerships/{world.partnership.pk}/timeline/"
    _events(world, risk, 1, who=world.supplier_admin)
    _events(world, risk, 1, who=world.customer_member)
    api("GET", path)
    small_api, small_page = _queries(lambda: api("GET", path)), _queries(lambda: client.get(page))
    for i in range(99):
        _events(world, risk, 1, who=world.supplier_member if i % 2 else world.customer_admin)
        _events(world, risk, 1, who=world.customer_member, verb="done")
    assert _queries(lambda: api("GET", path)) == small_api
    assert _queries(lambda: client.get(page)) == small_page


def test_the_page_shows_50_events_and_loads_more(client, world, risk):
    _events(world, risk, 51)
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    url = f"/partnerships/{world.partnership.pk}/timeline/"
    html = client.get(url).content.decode()
    assert html.count('class="activity__item threads-event"') == 50
    assert "Load more" in html and "page=2" in html
    more = client.get(url + "?page=2", headers={"HX-Request": "true"}).content.decode()
    assert more.count('class="activity__item threads-event"') == 1
    assert "<html" not in more and "Load more" not in more


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_timeline_page_renders_who_verb_kind_title(client, world, risk, language):
    _comment(world, risk, world.customer_admin, "Baik")
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = language
    html = client.get(
        f"/partnerships/{world.partnership.pk}/timeline/?kind=risk&side=customer"
    ).content.decode()
    assert world.customer_admin.user.get_full_name() in html
    assert risk.title in html
    if language == "en":
        assert "commented on" in html and "Everything that happened in this partnership" in html
    assert f'lang="{language}"' in html


def test_the_timeline_page_filter_form_shows_errors(client, world, risk):
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    html = client.get(f"/partnerships/{world.partnership.pk}/timeline/?since=not-a-date").content.decode()
    assert "Enter a valid date." in html


def test_strangers_get_404_on_the_timeline_page(client, world):
    client.force_login(world.foreign_admin.user)
    assert client.get(f"/partnerships/{world.partnership.pk}/timeline/").status_code == 404
