"""The recurring-job scheduler: each job queued once per period, whatever the number of schedulers."""

from __future__ import annotations

import datetime as dt
import inspect
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from mitra.core.models import ScheduledRun
from mitra.core.schedule import SCHEDULE, Recurring, period_of, run_due

JAKARTA = ZoneInfo("Asia/Jakarta")
SOME_JOB = SCHEDULE[0]


def test_periods_are_calendar_units_in_the_site_time_zone():
    # 18:30 UTC on 29 November is already 30 November in Jakarta (UTC+7).
    now = dt.datetime(2026, 11, 29, 18, 30, tzinfo=dt.UTC)
    assert period_of("daily", now) == "2026-11-30"
    assert period_of("hourly", now) == "2026-11-30T01"
    assert period_of("weekly", now) == "2026-W49"
    with pytest.raises(ValueError):
        period_of("fortnightly", now)


@pytest.mark.parametrize("item", SCHEDULE, ids=lambda r: r.job)
def test_every_scheduled_job_is_a_task_that_takes_no_arguments(item: Recurring):
    task = import_string(item.job)
    assert hasattr(task, "enqueue"), item.job
    assert list(inspect.signature(task.func).parameters) == [], item.job
    assert item.every in ("hourly", "daily", "weekly")


@pytest.mark.django_db
def test_a_job_is_queued_once_per_period(django_capture_on_commit_callbacks):
    day = dt.datetime(2026, 11, 29, 8, 0, tzinfo=JAKARTA)
    schedule = (Recurring(SOME_JOB.job, "daily"),)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due(day, schedule) == [SOME_JOB.job]
        # Later the same day, or a second scheduler: nothing more.
        assert run_due(day + dt.timedelta(hours=10), schedule) == []
    assert DBTaskResult.objects.filter(task_path=SOME_JOB.job).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due(day + dt.timedelta(days=1), schedule) == [SOME_JOB.job]
    assert list(ScheduledRun.objects.order_by("period").values_list("period", flat=True)) == [
        "2026-11-29",
        "2026-11-30",
    ]
    assert DBTaskResult.objects.filter(task_path=SOME_JOB.job).count() == 2


@pytest.mark.django_db
def test_the_command_queues_what_is_due_and_says_so(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("schedule", "--once")
    out = capsys.readouterr().out
    assert all(f"queued {item.job}" in out for item in SCHEDULE)
    assert ScheduledRun.objects.count() == len(SCHEDULE)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("schedule", "--once")
    assert "nothing due" in capsys.readouterr().out
    assert ScheduledRun.objects.count() == len(SCHEDULE)
