from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests import factories as f
from tests.apiclient import Api, check

from mitra.accounts.models import Role
from mitra.partnerships.models import Status
from mitra.pulse.models import PulseResponse, PulseRound, current_quarter
from mitra.pulse.tests.conftest import SCORES, answer, close, reopen
from mitra.threads.models import Event


def _base(world):
    return f"/partnerships/{world.partnership.pk}/pulse"


# --- opening a round ----------------------------------------------------------------------------------------


def test_an_admin_opens_the_current_quarter_once(client, world, django_capture_on_commit_callbacks):
    api = Api(client, world.customer_admin)
    with django_capture_on_commit_callbacks() as callbacks:
        response = check(api, "POST", _base(world), None, 201)
    body = response.json()
    assert body["quarter"] == current_quarter()
    assert body["is_open"] is True
    assert [b["id"] for b in body["my_pending_bridges"]] == [world.bridge.pk]
    assert len(callbacks) == 1  # the invitations job
    pulse_round = PulseRound.objects.get(pk=body["id"])
    assert pulse_round.history.count() == 1
    assert pulse_round.history.first().history_user == world.customer_admin.user
    assert Event.objects.filter(kind="pulse", verb="opened", object_id=pulse_round.pk).exists()
    # The same quarter again is a conflict that leaves no trace.
    assert check(api, "POST", _base(world), None, 409).json()["code"] == "conflict"


@pytest.mark.parametrize("who", ["supplier_member", "supplier_viewer"])
def test_only_admins_open_a_round(client, world, who):
    check(Api(client, getattr(world, who)), "POST", _base(world), None, 403)


def test_a_stranger_cannot_open_a_round(client, world):
    check(Api(client, world.foreign_admin), "POST", _base(world), None, 404)


def test_an_ended_partnership_takes_no_new_round(client, world):
    world.partnership.status = Status.ENDED
    world.partnership.save()
    check(Api(client, world.supplier_admin), "POST", _base(world), None, 409)


# --- listing and reading ------------------------------------------------------------------------------------


def _rounds(world, n):
    now = timezone.now()
    start = PulseRound.objects.count()
    for i in range(start, start + n):
        PulseRound.objects.create(
            partnership=world.partnership,
            quarter=f"{2000 + i}Q1",
            opened_at=now - dt.timedelta(days=10),
            closes_at=now - dt.timedelta(days=1),
        )


def test_the_list_makes_the_same_queries_for_2_and_20_rounds(client, world):
    api = Api(client, world.supplier_member)
    api("GET", _base(world))  # warm up: the token's first use is recorded once
    counts = []
    for total in (2, 20):
        _rounds(world, total - PulseRound.objects.count())
        with CaptureQueriesContext(connection) as ctx:
            response = check(api, "GET", _base(world), None, 200)
        assert response.json()["count"] == total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_list_is_newest_first_with_answer_counts(client, world, pulse_round):
    _rounds(world, 1)
    answer(world.supplier_admin, pulse_round, world.bridge)
    items = check(Api(client, world.customer_member), "GET", _base(world), None, 200).json()["items"]
    assert [(i["quarter"], i["answers"]) for i in items] == [(pulse_round.quarter, 1), ("2001Q1", 0)]


def test_a_round_shows_my_pending_bridges(client, world, pulse_round):
    url = f"{_base(world)}/{pulse_round.pk}"
    api = Api(client, world.supplier_admin)
    assert [b["id"] for b in check(api, "GET", url, None, 200).json()["my_pending_bridges"]] == [
        world.bridge.pk
    ]
    answer(world.supplier_admin, pulse_round, world.bridge)
    assert check(api, "GET", url, None, 200).json()["my_pending_bridges"] == []
    # Finance is not on the bridge; viewers answer nothing.
    for other in (world.supplier_member, world.supplier_viewer):
        assert check(Api(client, other), "GET", url, None, 200).json()["my_pending_bridges"] == []


def test_a_round_of_another_partnership_is_not_found(client, world):
    foreign = PulseRound.objects.create(
        partnership=world.foreign_partnership,
        quarter=current_quarter(),
        opened_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=5),
    )
    api = Api(client, world.supplier_admin)
    check(api, "GET", f"{_base(world)}/{foreign.pk}", None, 404)
    check(api, "GET", f"{_base(world)}/{foreign.pk}/results", None, 404)
    check(api, "POST", f"{_base(world)}/{foreign.pk}/answers", {"bridge_id": world.bridge.pk, **SCORES}, 404)
    check(Api(client, world.foreign_admin), "GET", _base(world), None, 404)


# --- answering ----------------------------------------------------------------------------------------------


def _answers(world, pulse_round):
    return f"{_base(world)}/{pulse_round.pk}/answers"


def test_an_owner_answers_for_their_bridge_and_the_side_comes_from_their_organisation(
    client, world, pulse_round
):
    body = {"bridge_id": world.bridge.pk, **SCORES, "comment": " Lancar ", "side": "supplier"}
    response = check(Api(client, world.customer_admin), "POST", _answers(world, pulse_round), body, 201)
    data = response.json()
    assert data["side"] == "customer"
    assert data["comment"] == "Lancar"
    assert "respondent" not in json.dumps(data)
    saved = PulseResponse.objects.get(pk=data["id"])
    assert saved.respondent == world.customer_admin
    assert (saved.trust, saved.conflict_handling) == (4, 2)
    assert saved.history.count() == 1
    assert saved.history.first().history_user == world.customer_admin.user
    event = Event.objects.get(kind="pulse", verb="answered", object_id=saved.pk)
    assert event.actor_user is None  # the timeline never says who answered


def test_a_member_of_a_bridged_department_answers(client, world, pulse_round, purchasers):
    check(
        Api(client, purchasers[0]),
        "POST",
        _answers(world, pulse_round),
        {"bridge_id": world.bridge.pk, **SCORES},
        201,
    )


def test_people_off_the_bridge_get_403_and_leave_no_trace(client, world, pulse_round):
    body = {"bridge_id": world.bridge.pk, **SCORES}
    check(Api(client, world.supplier_member), "POST", _answers(world, pulse_round), body, 403)
    check(Api(client, world.customer_member), "POST", _answers(world, pulse_round), body, 403)
    check(Api(client, world.supplier_viewer), "POST", _answers(world, pulse_round), body, 403)
    # An inactive department member is no longer a respondent.
    gone = f.member(world.supplier, Role.MEMBER, "gone@sumber.test", [world.supplier_sales])
    api = Api(client, gone)
    gone.is_active = False
    gone.save()
    assert api("POST", _answers(world, pulse_round), body).status_code in (401, 403)
    assert not PulseResponse.objects.exists()


def test_a_second_answer_for_the_same_bridge_is_409(client, world, pulse_round):
    api = Api(client, world.supplier_admin)
    body = {"bridge_id": world.bridge.pk, **SCORES}
    check(api, "POST", _answers(world, pulse_round), body, 201)
    check(api, "POST", _answers(world, pulse_round), {**body, "trust": 1}, 409)
    assert PulseResponse.objects.get().trust == 4


def test_a_person_answers_once_per_bridge_they_are_on(client, world, pulse_round):
    second = f.BridgeFactory(
        partnership=world.partnership,
        supplier_department=world.supplier_finance,
        customer_department=world.customer_finance,
        supplier_owner=world.supplier_admin,
    )
    api = Api(client, world.supplier_admin)
    for bridge in (world.bridge, second):
        check(api, "POST", _answers(world, pulse_round), {"bridge_id": bridge.pk, **SCORES}, 201)
    assert PulseResponse.objects.filter(respondent=world.supplier_admin).count() == 2


def test_a_closed_round_is_409(client, world, pulse_round):
    PulseRound.objects.filter(pk=pulse_round.pk).update(
        opened_at=timezone.now() - dt.timedelta(days=100), closes_at=timezone.now() - dt.timedelta(seconds=1)
    )
    body = {"bridge_id": world.bridge.pk, **SCORES}
    check(Api(client, world.supplier_admin), "POST", _answers(world, pulse_round), body, 409)


@pytest.mark.parametrize("field", ["trust", "commitment", "satisfaction", "cooperation", "conflict_handling"])
@pytest.mark.parametrize("value", [0, 6])
def test_scores_outside_1_to_5_are_422_naming_the_field(client, world, pulse_round, field, value):
    body = {"bridge_id": world.bridge.pk, **SCORES, field: value}
    response = check(Api(client, world.supplier_admin), "POST", _answers(world, pulse_round), body, 422)
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_bridge_of_another_partnership_is_422(client, world, pulse_round):
    body = {"bridge_id": world.foreign_bridge.pk, **SCORES}
    response = check(Api(client, world.supplier_admin), "POST", _answers(world, pulse_round), body, 422)
    assert response.json()["errors"][0]["field"] == "bridge_id"


def test_a_stranger_cannot_answer(client, world, pulse_round):
    body = {"bridge_id": world.bridge.pk, **SCORES}
    check(Api(client, world.foreign_admin), "POST", _answers(world, pulse_round), body, 404)


# --- results ------------------------------------------------------------------------------------------------


def _results(client, world, pulse_round, who=None):
    api = Api(client, who or world.supplier_member)
    return check(api, "GET", f"{_base(world)}/{pulse_round.pk}/results", None, 200).json()


def _side(data, side):
    return next(s for s in data["sides"] if s["side"] == side)


def test_results_are_suppressed_at_two_answers_and_shown_at_three(client, world, pulse_round, purchasers):
    answer(purchasers[0], pulse_round, world.bridge, trust=5, comment="Tim purchasing responsif")
    answer(purchasers[1], pulse_round, world.bridge, trust=2)
    data = _results(client, world, close(pulse_round))
    assert data["published"] is True
    customer = _side(data, "customer")
    assert customer["suppressed"] is True
    # Not even the count of a suppressed group: it could tell that the one person at a bridge's end answered.
    assert customer["answers"] is None
    assert all(customer[q] is None for q in ("trust", "commitment", "overall"))
    assert customer["comments"] == []
    cell = data["bridges"][0]["customer"]
    assert (cell["suppressed"], cell["trust"], cell["answers"]) == (True, None, None)

    answer(purchasers[2], reopen(pulse_round), world.bridge, trust=2)
    data = _results(client, world, close(pulse_round))
    customer = _side(data, "customer")
    assert customer["suppressed"] is False
    assert customer["answers"] == 3
    assert customer["trust"] == 3.0
    assert customer["commitment"] == 5.0
    assert customer["overall"] == pytest.approx((3 + 5 + 3 + 4 + 2) / 5, abs=0.01)
    assert customer["comments"] == ["Tim purchasing responsif"]
    assert data["bridges"][0]["customer"]["trust"] == 3.0
    # The supplier side has no answers: suppressed too.
    assert _side(data, "supplier")["suppressed"] is True


def test_one_person_on_three_bridges_does_not_lift_the_suppression(client, world, pulse_round):
    bridges = [world.bridge]
    for n in range(2):
        dept = f.DepartmentFactory(organisation=world.supplier, name=f"Dept {n}")
        bridges.append(
            f.BridgeFactory(
                partnership=world.partnership,
                supplier_department=dept,
                customer_department=world.customer_finance if n else world.customer_purchasing,
                supplier_owner=world.supplier_admin,
            )
        )
    for bridge in bridges:
        answer(world.supplier_admin, pulse_round, bridge)
    supplier = _side(_results(client, world, close(pulse_round)), "supplier")
    assert supplier["answers"] is None
    assert supplier["suppressed"] is True
    assert supplier["trust"] is None


def test_results_never_name_a_person(client, world, pulse_round, purchasers):
    for person in purchasers:
        answer(person, pulse_round, world.bridge, comment="Oke")
    text = json.dumps(_results(client, world, close(pulse_round), world.customer_admin))
    for person in purchasers:
        assert person.user.email not in text
        assert f'"{person.pk}"' not in text
    assert "respondent" not in text
    assert "membership" not in text


def test_the_trend_has_each_round_per_side_oldest_first(client, world, pulse_round, purchasers):
    old = PulseRound.objects.create(
        partnership=world.partnership,
        quarter="2001Q1",
        opened_at=timezone.now() - dt.timedelta(days=400),
        closes_at=timezone.now() - dt.timedelta(days=300),
    )
    for person in purchasers:
        PulseResponse.objects.create(
            partnership=world.partnership,
            round=old,
            bridge=world.bridge,
            respondent=person,
            side="customer",
            **{**SCORES, "trust": 1},
        )
        answer(person, pulse_round, world.bridge)
    assert [p["quarter"] for p in _results(client, world, pulse_round)["trend"]] == ["2001Q1"]  # still open
    trend = _results(client, world, close(pulse_round))["trend"]
    assert [p["quarter"] for p in trend] == ["2001Q1", pulse_round.quarter]
    assert [p["customer"]["trust"] for p in trend] == [1.0, 4.0]
    assert [p["supplier"]["suppressed"] for p in trend] == [True, True]
