"""Review findings: one use under concurrency, months in the organisation's time zone, the public page."""

from __future__ import annotations

import copy
import datetime as dt
import zoneinfo

import pytest
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone, translation
from tests import factories as f
from tests.apiclient import Api, check
from tests.dbstate import db_state

from mitra.moments import selectors, services
from mitra.moments.models import SurveyRequest
from mitra.moments.tests.helpers import delivery, meeting, survey
from mitra.web.templatetags.mitra_web import ldate

JAYAPURA = zoneinfo.ZoneInfo("Asia/Jayapura")  # UTC+9; the site and the supplier are in Jakarta (UTC+7)


def test_two_simultaneous_answers_only_one_is_accepted(world, monkeypatch):
    s, token = survey(world, meeting(world))
    # The second request read the row before the first one committed (no row lock on SQLite; a replica…).
    stale = SurveyRequest.objects.select_related(
        "partnership", "touchpoint", "recipient__user", "recipient__organisation"
    ).get(pk=s.pk)
    services.survey_answer(raw_token=token, csat=5, nps=10, comment="first")
    before = db_state()
    real_first = QuerySet.first

    def first(self):  # type: ignore[no-untyped-def]
        return copy.copy(stale) if self.model is SurveyRequest else real_first(self)

    monkeypatch.setattr(QuerySet, "first", first)
    with pytest.raises(services.SurveyUsed):
        services.survey_answer(raw_token=token, csat=1, nps=0, comment="second")
    monkeypatch.undo()
    assert db_state() == before
    s.refresh_from_db()
    assert (s.csat, s.nps, s.comment) == (5, 10, "first")


def _boundary_delivery(world):
    today = timezone.localdate(timezone=JAYAPURA)
    # 00:30 on the 1st in Jayapura is still the previous month (22:30) in Jakarta.
    when = dt.datetime(today.year, today.month, 1, 0, 30, tzinfo=JAYAPURA)
    delivery(world, when=when)
    this_month = today.replace(day=1)
    return this_month, (this_month - dt.timedelta(days=1)).replace(day=1)


def test_otif_months_are_the_viewers_organisation_months_in_the_api_and_the_selectors(client, world):
    world.customer.time_zone = "Asia/Jayapura"
    world.customer.save()
    this_month, last_month = _boundary_delivery(world)
    url = f"/partnerships/{world.partnership.pk}/otif"
    customer = check(Api(client, world.customer_admin), "GET", url, None, 200).json()
    assert [m["month"] for m in customer["months"]] == [this_month.isoformat()]
    supplier = check(Api(client, world.supplier_admin), "GET", url, None, 200).json()
    assert [m["month"] for m in supplier["months"]] == [last_month.isoformat()]
    # Outside a request (jobs, the overview card) the same.
    rows = selectors.otif_by_month(f.actor(world.customer_admin), world.partnership.pk)
    assert [r.month for r in rows] == [this_month]
    # The month filter of the list agrees with the OTIF table.
    listed = check(
        Api(client, world.customer_admin),
        "GET",
        f"/partnerships/{world.partnership.pk}/touchpoints?month={this_month:%Y-%m}",
        None,
        200,
    ).json()
    assert listed["count"] == 1


def test_the_public_page_refuses_caching_other_methods_and_a_post_without_csrf(world):
    s, token = survey(world, meeting(world))
    client = Client(enforce_csrf_checks=True)
    response = client.get(f"/s/{token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    before = db_state()
    assert client.post(f"/s/{token}/", {"csat": "5", "nps": "10"}).status_code == 403
    assert Client().put(f"/s/{token}/").status_code == 405
    assert db_state() == before
    s.refresh_from_db()
    assert s.answered_at is None


def test_the_public_page_uses_the_recipients_organisation_even_when_the_membership_is_gone(client, world):
    world.customer.language = "id"
    world.customer.time_zone = "Asia/Jayapura"
    world.customer.save()
    # 23:30 in Jakarta on the 10th is the 11th in Jayapura.
    when = timezone.make_aware(dt.datetime(2026, 3, 10, 23, 30), zoneinfo.ZoneInfo("Asia/Jakarta"))
    s, token = survey(world, meeting(world, occurred_at=when))
    SurveyRequest.objects.filter(pk=s.pk).update(recipient=None)
    html = client.get(f"/s/{token}/").content.decode()
    assert 'lang="id"' in html
    with translation.override("id"), timezone.override(JAYAPURA):
        expected = ldate(when)
    assert expected in html


def test_two_runs_of_the_email_job_at_once_send_one_email(world, mailoutbox, monkeypatch):
    from mitra.moments import tasks

    s, _token = survey(world, meeting(world))
    stale = SurveyRequest.objects.get(pk=s.pk)  # the second run read the row before the first one wrote
    assert tasks.send_survey_email.call(s.pk) is True
    real_first = QuerySet.first

    def first(self):  # type: ignore[no-untyped-def]
        return copy.copy(stale) if self.model is SurveyRequest else real_first(self)

    monkeypatch.setattr(QuerySet, "first", first)
    assert tasks.send_survey_email.call(s.pk) is False
    assert len(mailoutbox) == 1


def test_a_failed_send_is_sent_by_the_retry(world, mailoutbox, monkeypatch):
    from mitra.moments import tasks

    s, _token = survey(world, meeting(world))

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("smtp down")

    monkeypatch.setattr(tasks, "send_mail", broken)
    with pytest.raises(OSError):
        tasks.send_survey_email.call(s.pk)
    s.refresh_from_db()
    assert s.email_sent_at is None
    monkeypatch.undo()
    assert tasks.send_survey_email.call(s.pk) is True
    assert len(mailoutbox) == 1
