"""Bridge liveness: a bridge is alive when its two ends met (a moment of truth on it) within the cadence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests import factories as f
from tests.apiclient import Api

from mitra.moments import services as moments
from mitra.partnerships import selectors

pytestmark = pytest.mark.django_db


def _meet(world, days_ago: float, **kwargs) -> None:
    moments.touchpoint_create(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        kind="meeting",
        summary="Weekly stock review",
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        bridge_id=world.bridge.pk,
        **kwargs,
    )


def test_a_bridge_without_any_meeting_is_not_live(world):
    bridge = selectors.bridge_get(f.actor(world.customer_admin), world.bridge.pk)
    assert bridge.last_contact_at is None
    assert bridge.live is False


def test_a_meeting_within_the_cadence_keeps_the_bridge_live_and_an_older_one_does_not(world):
    cadence = world.bridge.cadence_days
    _meet(world, days_ago=cadence + 5)
    bridge = selectors.bridge_get(f.actor(world.customer_admin), world.bridge.pk)
    assert bridge.last_contact_at is not None and bridge.live is False
    _meet(world, days_ago=1)
    bridge = selectors.bridge_get(f.actor(world.customer_admin), world.bridge.pk)
    assert bridge.live is True
    assert (timezone.now() - bridge.last_contact_at) < dt.timedelta(days=2)


def test_a_restricted_meeting_does_not_show_to_those_who_may_not_see_it(world):
    # Restricted to the supplier's Sales department: the supplier member (Finance) does not see it.
    _meet(world, days_ago=1, restricted_department_id=world.supplier_sales.pk)
    assert selectors.bridge_get(f.actor(world.supplier_admin), world.bridge.pk).live is True
    assert selectors.bridge_get(f.actor(world.supplier_member), world.bridge.pk).last_contact_at is None


def test_the_api_and_the_matrix_say_when_the_ends_last_met(client, world):
    _meet(world, days_ago=3)
    body = Api(client, world.customer_admin)("GET", f"/partnerships/{world.partnership.pk}/bridges").json()
    assert body["items"][0]["live"] is True and body["items"][0]["last_contact_at"]
    client.force_login(world.customer_admin.user)
    client.cookies["mitra_language"] = "en"
    html = client.get(f"/partnerships/{world.partnership.pk}/").content.decode()
    assert "last met 3\xa0days ago" in html
