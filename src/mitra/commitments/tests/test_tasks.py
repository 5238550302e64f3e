"""The daily job that marks overdue commitments as missed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests import factories as f

from mitra.commitments import services
from mitra.commitments.models import Commitment, CommitmentStatus
from mitra.commitments.tasks import mark_overdue
from mitra.commitments.tests.helpers import backdate
from mitra.core.schedule import SCHEDULE, run_due
from mitra.threads.models import Event

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_marks_open_commitments_past_their_due_date_as_missed_once(world, make):
    past = make(title="Past")
    backdate(past, 1)
    today = make(title="Due today", days=0)
    future = make(title="Future")
    done = make(title="Done, past")
    services.commitment_done(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, commitment_id=done.pk
    )
    backdate(done, 3)
    cancelled = make(title="Cancelled, past")
    services.commitment_cancel(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        commitment_id=cancelled.pk,
        reason="x",
    )
    backdate(cancelled, 3)

    assert mark_overdue.call() == 1
    statuses = dict(Commitment.objects.values_list("title", "status"))
    assert statuses == {
        "Past": "missed",
        "Due today": "open",
        "Future": "open",
        "Done, past": "done",
        "Cancelled, past": "cancelled",
    }
    past.refresh_from_db()
    assert past.missed_at is not None and past.version == 2
    event = Event.objects.get(kind="commitment", object_id=past.pk, verb="missed")
    assert event.actor_user is None and event.actor_side == "" and event.url == past.get_absolute_url()
    latest = past.history.order_by("-history_date", "-history_id").first()
    assert latest.status == "missed" and latest.history_type == "~" and latest.history_user is None

    # Idempotent: nothing left to mark, no second event or history row.
    assert mark_overdue.call() == 0
    assert Event.objects.filter(verb="missed").count() == 1
    assert past.history.count() == 2
    assert today.pk and future.pk


def test_due_dates_are_days_in_the_site_time_zone(world, make):
    c = make(title="Due the 10th")
    Commitment.objects.filter(pk=c.pk).update(due_date=dt.date(2030, 3, 10))
    # 23:30 UTC on the 10th is already the 11th in Jakarta (UTC+7): past due there.
    assert services.commitments_mark_overdue(now=dt.datetime(2030, 3, 10, 16, 30, tzinfo=dt.UTC)) == 0
    assert services.commitments_mark_overdue(now=dt.datetime(2030, 3, 10, 23, 30, tzinfo=dt.UTC)) == 1
    assert timezone.localtime(dt.datetime(2030, 3, 10, 23, 30, tzinfo=dt.UTC), JAKARTA).date() == dt.date(
        2030, 3, 11
    )


def test_the_job_is_set_based(world, make):
    def run_with(n: int) -> int:
        for _ in range(n):
            backdate(make(), 2)
        with CaptureQueriesContext(connection) as captured:
            assert services.commitments_mark_overdue() == n
        return len(captured.captured_queries)

    assert run_with(2) == run_with(15)


def test_the_job_is_on_the_daily_schedule():
    assert any(r.job == "mitra.commitments.tasks.mark_overdue" and r.every == "daily" for r in SCHEDULE)


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_queues_it_and_the_worker_runs_it(world, make):
    c = make()
    backdate(c, 1)
    schedule = tuple(r for r in SCHEDULE if r.job == "mitra.commitments.tasks.mark_overdue")
    assert run_due(schedule=schedule) == ["mitra.commitments.tasks.mark_overdue"]
    assert run_due(schedule=schedule) == []  # once per day
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    c.refresh_from_db()
    assert c.status == CommitmentStatus.MISSED
