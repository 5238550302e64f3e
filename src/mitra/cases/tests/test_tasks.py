"""SLA breach detection: the hourly job stamps each breached case once, with one timeline event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.contracts.cases import make_case

from mitra.cases import services
from mitra.cases.models import Case
from mitra.cases.tasks import detect_sla_breaches
from mitra.core.schedule import SCHEDULE, run_due
from mitra.threads.models import Event


def overdue(case: Case, hours: int = 1) -> Case:
    Case.objects.filter(pk=case.pk).update(sla_due_at=timezone.now() - dt.timedelta(hours=hours))
    case.refresh_from_db()
    return case


def breach_events(case: Case) -> int:
    return Event.objects.filter(kind="case", object_id=case.pk, verb="breached").count()


def test_the_job_stamps_breached_cases_once_with_one_event(world):
    late = overdue(make_case(world, title="Late"))
    chosen_late = overdue(make_case(world, "chosen", title="Chosen, late"))
    on_time = make_case(world, title="On time")
    closed_on_time = overdue(make_case(world, "closed", title="Closed in time"), hours=0)
    Case.objects.filter(pk=closed_on_time.pk).update(
        sla_due_at=closed_on_time.resolved_at + dt.timedelta(hours=1)
    )
    resolved_late = make_case(world, "resolved", title="Resolved late")
    Case.objects.filter(pk=resolved_late.pk).update(
        sla_due_at=resolved_late.resolved_at - dt.timedelta(hours=1)
    )
    history_before = late.history.count()

    assert detect_sla_breaches.call() == 3
    for case in (late, chosen_late, resolved_late):
        case.refresh_from_db()
        assert case.sla_breached_at is not None
        assert breach_events(case) == 1
    for case in (on_time, closed_on_time):
        case.refresh_from_db()
        assert case.sla_breached_at is None
        assert breach_events(case) == 0
    assert late.history.count() == history_before + 1
    event = Event.objects.get(kind="case", object_id=late.pk, verb="breached")
    assert event.actor_user is None and event.url == late.get_absolute_url()

    # Idempotent: a second run finds nothing new.
    assert detect_sla_breaches.call() == 0
    assert breach_events(late) == 1


def test_the_job_is_set_based(world):
    def run_with(n: int) -> int:
        for i in range(n):
            overdue(make_case(world, title=f"Late {n}-{i}"))
        with CaptureQueriesContext(connection) as captured:
            assert services.case_detect_sla_breaches() == n
        return len(captured.captured_queries)

    assert run_with(2) == run_with(12)


def test_the_job_is_on_the_hourly_schedule():
    assert any(r.job == "mitra.cases.tasks.detect_sla_breaches" and r.every == "hourly" for r in SCHEDULE)


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_queues_it_and_the_worker_runs_it(world):
    case = overdue(make_case(world))
    schedule = tuple(r for r in SCHEDULE if r.job == "mitra.cases.tasks.detect_sla_breaches")
    assert run_due(schedule=schedule) == ["mitra.cases.tasks.detect_sla_breaches"]
    assert run_due(schedule=schedule) == []  # once per hour
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    case.refresh_from_db()
    assert case.sla_breached_at is not None
    assert breach_events(case) == 1
