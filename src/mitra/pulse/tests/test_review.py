"""Anonymity and isolation holes found in review: each test failed before its fix."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse
from tests import factories as f
from tests.apiclient import Api, check

from mitra.pulse.tests.conftest import answer, close
from mitra.threads.models import Event


def _base(world):
    return f"/partnerships/{world.partnership.pk}/pulse"


def _side(data, side):
    return next(s for s in data["sides"] if s["side"] == side)


@pytest.fixture
def lone_bridge(world):
    """A second bridge whose customer end (Finance) has one respondent only: ``world.customer_member``."""
    return f.BridgeFactory(
        partnership=world.partnership,
        supplier_department=f.DepartmentFactory(organisation=world.supplier, name="Gudang"),
        customer_department=world.customer_finance,
    )


def test_a_side_result_cannot_be_differenced_against_its_bridges(
    client, world, pulse_round, purchasers, lone_bridge
):
    """Side minus the shown bridge gave away the lone Finance respondent's exact scores."""
    for n, person in enumerate(purchasers):
        answer(person, pulse_round, world.bridge, trust=4, comment="" if n else "Tim purchasing responsif")
    answer(world.customer_member, pulse_round, lone_bridge, trust=1, comment="Rahasia finance")
    close(pulse_round)
    data = check(
        Api(client, world.supplier_admin), "GET", f"{_base(world)}/{pulse_round.pk}/results", None, 200
    )
    data = data.json()
    customer = _side(data, "customer")
    cells = {b["bridge"]["id"]: b["customer"] for b in data["bridges"]}
    assert cells[lone_bridge.pk]["suppressed"] is True
    assert cells[world.bridge.pk]["trust"] == 4.0
    # The side's averages and comments come only from groups that are shown themselves.
    assert customer["suppressed"] is False
    assert customer["trust"] == 4.0
    assert customer["comments"] == ["Tim purchasing responsif"]
    assert data["trend"][-1]["customer"]["trust"] == 4.0


def test_the_summary_card_cannot_be_differenced_either(world, pulse_round, purchasers, lone_bridge):
    fours = dict.fromkeys(("trust", "commitment", "satisfaction", "cooperation", "conflict_handling"), 4)
    for person in purchasers:
        answer(person, pulse_round, world.bridge, **fours)
    answer(world.customer_member, pulse_round, lone_bridge, **dict.fromkeys(fours, 1))
    close(pulse_round)
    html = Template("{% load pulse_web %}{% pulse_summary p actor %}").render(
        Context({"p": world.partnership, "actor": f.actor(world.supplier_admin)})
    )
    assert '<span class="pulse-score">3.' not in html  # (3 × 4 + 1) / 4 before the fix
    assert html.count('<span class="pulse-score">4.0</span>') == 5


def test_answer_counts_leave_out_answers_on_bridges_restricted_from_the_reader(client, world, pulse_round):
    hidden = f.BridgeFactory(
        partnership=world.partnership,
        customer_department=world.customer_purchasing,
        customer_owner=world.customer_admin,
        restricted_department=world.customer_purchasing,
    )
    answer(world.customer_admin, pulse_round, hidden)
    # customer_member works in Finance: the restricted bridge and its answers are out of their reach.
    outsider = Api(client, world.customer_member)
    listed = check(outsider, "GET", _base(world), None, 200).json()["items"]
    assert listed[0]["answers"] == 0
    assert check(outsider, "GET", f"{_base(world)}/{pulse_round.pk}", None, 200).json()["answers"] == 0
    # Their admin sees it.
    admin = Api(client, world.customer_admin)
    assert check(admin, "GET", _base(world), None, 200).json()["items"][0]["answers"] == 1


def _snapshot(client, world, pulse_round):
    return check(
        Api(client, world.supplier_admin), "GET", f"{_base(world)}/{pulse_round.pk}/results", None, 200
    )


def test_an_open_rounds_results_are_withheld_so_a_new_answer_cannot_be_differenced(
    client, world, pulse_round, purchasers
):
    """Live averages before and after a fourth answer gave that person's exact scores away."""
    for person in purchasers:
        answer(person, pulse_round, world.bridge, comment="Oke")
    data = _snapshot(client, world, pulse_round).json()
    assert data["published"] is False
    cells = [*data["sides"], *(c for b in data["bridges"] for c in (b["supplier"], b["customer"]))]
    assert all(c["suppressed"] and c["trust"] is None and c["answers"] is None for c in cells)
    assert all(c["comments"] == [] for c in data["sides"])
    assert data["trend"] == []
    client.force_login(world.supplier_admin.user)
    page = client.get(reverse("pulse:overview", args=[world.partnership.pk])).content.decode()
    assert 'data-testid="pulse-withheld"' in page
    assert "pulse-score" not in page
    card = Template("{% load pulse_web %}{% pulse_summary p actor %}").render(
        Context({"p": world.partnership, "actor": f.actor(world.supplier_admin)})
    )
    assert "pulse-score" not in card

    close(pulse_round)
    data = _snapshot(client, world, pulse_round).json()
    assert data["published"] is True
    assert _side(data, "customer")["trust"] == 4.0


def test_the_timeline_does_not_say_for_which_bridge_someone_answered(world, pulse_round):
    answer(world.customer_admin, pulse_round, world.bridge)
    event = Event.objects.get(kind="pulse", verb="answered")
    assert event.title == str(pulse_round)
    assert event.actor_user is None and event.actor_side == ""
    for name in (world.bridge.supplier_department.name, world.bridge.customer_department.name):
        assert name not in event.title


def test_the_invitation_gives_the_closing_time_in_the_recipients_time_zone(world, pulse_round, mailoutbox):
    from mitra.pulse.tasks import send_pulse_invitations

    world.customer.time_zone = "Asia/Jayapura"  # UTC+9, two hours after the site's Jakarta
    world.customer.language = "en"
    world.customer.save()
    world.supplier.language = "en"
    world.supplier.save()
    send_pulse_invitations.call(pulse_round.pk)
    by_email = {m.to[0]: m.body for m in mailoutbox}
    jayapura = by_email[world.customer_admin.user.email]
    jakarta = by_email[world.supplier_admin.user.email]
    # A quarter closes at midnight in Jakarta: 2 a.m. in Jayapura.
    assert ", 00.00" in jakarta
    assert ", 02.00" in jayapura


def test_operators_cannot_see_who_answered_in_the_admin(world, pulse_round, client):
    from simple_history.admin import SimpleHistoryAdmin

    from mitra.pulse.admin import PulseResponseAdmin

    assert "respondent" in PulseResponseAdmin.exclude
    assert "respondent" not in PulseResponseAdmin.raw_id_fields
    assert not issubclass(PulseResponseAdmin, SimpleHistoryAdmin)


def test_the_quarter_is_the_sites_whatever_the_readers_time_zone():
    """A Jayapura user on 31 December, 23:30 in Jakarta, opened next year's round and closed it wrong."""
    import datetime as dt
    import zoneinfo

    from django.utils import timezone

    from mitra.pulse.models import current_quarter, quarter_bounds

    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    now = dt.datetime(2026, 12, 31, 23, 30, tzinfo=jakarta)
    with timezone.override("Asia/Jayapura"):
        assert current_quarter(now) == "2026Q4"
        assert quarter_bounds("2026Q4")[1] == dt.datetime(2027, 1, 1, tzinfo=jakarta)
