"""health_recompute, the command and the weekly job."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from mitra.core.schedule import SCHEDULE
from mitra.health import tasks
from mitra.health.engine import DEFAULT_WEIGHTS
from mitra.health.io import monday
from mitra.health.models import HealthSnapshot
from mitra.health.services import health_recompute
from mitra.health.tests.records import at, commitment, touchpoint

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 5)
UNTIL = dt.date(2026, 3, 29)  # a Sunday: 12 weeks from 5 January to 23 March


@pytest.fixture
def p(world):
    world.partnership.start_date = START
    world.partnership.save(update_fields=["start_date"])
    touchpoint(
        world.partnership, at("2026-01-14"), kind="delivery", on_time=True, in_full=True, outcome="positive"
    )
    commitment(
        world.partnership, due_date=dt.date(2026, 2, 4), status="done", on_time=True, done_at=at("2026-02-03")
    )
    commitment(world.partnership, due_date=dt.date(2026, 2, 25), status="missed", missed_at=at("2026-02-26"))
    return world.partnership


def rows(pk: int) -> list[tuple]:
    return list(
        HealthSnapshot.objects.filter(partnership_id=pk)
        .order_by("week")
        .values_list("week", "score", "band", "delta_1w", "delta_4w", "dimensions", "drivers", "weights")
    )


def test_writes_one_snapshot_per_week_and_is_idempotent(p):
    result = health_recompute(partnership_ids=[p.pk], until=UNTIL)
    first = rows(p.pk)
    assert result.snapshots == len(first) == 12 and result.weeks == 12
    assert first[0][0] == START and first[-1][0] == dt.date(2026, 3, 23)
    assert first[-1][7] == dict(DEFAULT_WEIGHTS)
    assert set(first[-1][5]) == set(DEFAULT_WEIGHTS)
    # the missed commitment (due 25 February) lowers the commitment dimension that week
    by_week = {r[0]: r for r in first}
    assert by_week[dt.date(2026, 2, 23)][5]["commitment"] < by_week[dt.date(2026, 2, 16)][5]["commitment"]
    health_recompute(partnership_ids=[p.pk], until=UNTIL)
    assert rows(p.pk) == first
    assert HealthSnapshot.objects.count() == 12


def test_drivers_explain_the_weekly_change(p):
    health_recompute(partnership_ids=[p.pk], until=UNTIL)
    snap = HealthSnapshot.objects.get(partnership=p, week=dt.date(2026, 2, 23))
    assert snap.drivers, "the missed commitment moved the score"
    assert snap.drivers[0]["component"] == "supplier_on_time"
    assert snap.drivers[0]["contribution"] < 0
    assert abs(sum(d["contribution"] for d in snap.drivers) - snap.delta_1w) < 1e-6


def test_since_recomputes_only_from_that_week(p):
    health_recompute(partnership_ids=[p.pk], until=UNTIL)
    HealthSnapshot.objects.update(score=-1.0)
    result = health_recompute(partnership_ids=[p.pk], since=dt.date(2026, 3, 4), until=UNTIL)
    assert result.snapshots == 4  # 2, 9, 16 and 23 March
    kept = dict(HealthSnapshot.objects.values_list("week", "score"))
    assert len(kept) == 12
    assert all(score == -1.0 for week, score in kept.items() if week < dt.date(2026, 3, 2))
    assert all(score != -1.0 for week, score in kept.items() if week >= dt.date(2026, 3, 2))
    # the trend still looks back before --since
    assert HealthSnapshot.objects.get(week=dt.date(2026, 3, 2)).delta_4w is not None


def test_progress_callback(p, world):
    calls = []
    health_recompute(until=UNTIL, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)  # world.partnership and world.foreign_partnership


def test_command_prints_progress_and_a_summary(p):
    out = io.StringIO()
    call_command("health", "recompute", "--partnership", str(p.pk), "--since", "2026-03-04", stdout=out)
    text = out.getvalue()
    assert "  0/1 partnerships\n" in text
    assert "  1/1 partnerships\n" in text
    assert "\r" not in text  # not a terminal: plain lines
    assert "snapshots written for 1 partnership over" in text
    assert "Alerts: " in text and " opened, " in text
    weeks = (monday(timezone.localdate()) - dt.date(2026, 3, 2)).days // 7 + 1
    assert HealthSnapshot.objects.count() == weeks


def test_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("health", "recompute", "--since", "4 March")


def test_weekly_job_recomputes_last_and_this_week(p, world):
    world.foreign_partnership.start_date = START
    world.foreign_partnership.save(update_fields=["start_date"])
    health_recompute(partnership_ids=[p.pk], until=UNTIL)
    written = tasks.recompute_current_week.call()
    this_week = monday(timezone.localdate())
    assert written == 4  # two weeks of world.partnership and world.foreign_partnership
    weeks = set(HealthSnapshot.objects.filter(partnership=p).values_list("week", flat=True))
    assert {this_week, this_week - dt.timedelta(weeks=1)} <= weeks
    assert dt.date(2026, 3, 23) in weeks  # the older history stays
    assert tasks.recompute_current_week.call() == 4
    assert any(
        item.job == "mitra.health.tasks.recompute_current_week" and item.every == "weekly"
        for item in SCHEDULE
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_command_updates_the_progress_line_in_place_on_a_terminal(p):
    out = Terminal()
    call_command("health", "recompute", "--partnership", str(p.pk), stdout=out)
    text = out.getvalue()
    assert "\r  0/1 partnerships\r  1/1 partnerships\n" in text
    assert "snapshots written" in text.splitlines()[-2]
    assert text.splitlines()[-1].startswith("Alerts: ")


def test_command_refuses_an_unknown_partnership(p):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--partnership") as exc:
        call_command("health", "recompute", "--partnership", str(p.pk), "--partnership", "999999")
    assert "999999" in str(exc.value)
    assert HealthSnapshot.objects.count() == 0  # nothing written


@pytest.mark.django_db
def test_the_demo_world_comes_with_its_weekly_health_history():
    from mitra.demo.services import demo_seed
    from mitra.health.models import HealthSnapshot
    from mitra.partnerships.models import SHARED_STATUSES, Partnership

    summary = demo_seed(size="small")
    shared = Partnership.objects.filter(status__in=SHARED_STATUSES).count()
    assert summary.workflows["health_snapshots"] == HealthSnapshot.objects.count()
    assert HealthSnapshot.objects.values("partnership").distinct().count() == shared
    # Two years of weekly history for the oldest partnerships.
    assert HealthSnapshot.objects.values("week").distinct().count() > 52
