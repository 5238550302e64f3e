"""Surveys: sent to the other side, answered once through a tokenised public page, CSAT and NPS."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from tests import factories as f
from tests.apiclient import Api, check
from tests.dbstate import db_state

from mitra.accounts.models import Role
from mitra.moments import selectors, services, tasks, views
from mitra.moments.models import SurveyRequest
from mitra.moments.tests.helpers import delivery, meeting, survey
from mitra.threads.models import Event


def surveys_url(world) -> str:
    return f"/partnerships/{world.partnership.pk}/surveys"


# --- sending --------------------------------------------------------------------------------------------


def test_a_survey_goes_to_a_member_of_the_other_side_and_its_token_is_only_hashed(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    t = delivery(world)
    api = Api(client, world.supplier_member)
    with django_capture_on_commit_callbacks(execute=True):
        data = check(
            api,
            "POST",
            surveys_url(world),
            {"touchpoint_id": t.pk, "recipient_id": world.customer_member.pk},
            201,
        ).json()
    assert data["status"] == "pending" and data["recipient_side"] == "customer"
    assert data["sent_by_side"] == "supplier" and data["csat"] is None
    assert "token" not in str(data).lower()
    s = SurveyRequest.objects.get(pk=data["id"])
    token = services.survey_token(s)
    assert token not in str(SurveyRequest.objects.values().get(pk=s.pk))
    assert len(s.token_hash) == 64
    assert (s.expires_at - timezone.now()).days == 13  # 14 days, less the seconds since
    assert Event.objects.filter(kind="survey", object_id=s.pk, verb="sent").exists()
    listed = check(api, "GET", surveys_url(world), None, 200).json()
    assert listed["count"] == 1 and token not in str(listed)


def test_a_recipient_of_the_own_side_or_a_stranger_is_422_naming_recipient_id(client, world):
    t = meeting(world)
    api = Api(client, world.supplier_admin)
    for recipient in (world.supplier_member, world.foreign_admin):
        response = check(
            api, "POST", surveys_url(world), {"touchpoint_id": t.pk, "recipient_id": recipient.pk}, 422
        )
        assert response.json()["errors"][0]["field"] == "recipient_id"
    # The customer side sends to the supplier side.
    check(
        Api(client, world.customer_admin),
        "POST",
        surveys_url(world),
        {"touchpoint_id": t.pk, "recipient_id": world.supplier_member.pk},
        201,
    )


def test_a_viewer_cannot_send_a_stranger_gets_404_and_a_second_one_to_the_same_person_is_409(client, world):
    t = meeting(world)
    body = {"touchpoint_id": t.pk, "recipient_id": world.customer_admin.pk}
    check(Api(client, world.supplier_viewer), "POST", surveys_url(world), body, 403)
    check(Api(client, world.foreign_admin), "POST", surveys_url(world), body, 404)
    check(Api(client, world.supplier_admin), "POST", surveys_url(world), body, 201)
    check(Api(client, world.supplier_admin), "POST", surveys_url(world), body, 409)
    other = f.PartnershipFactory(supplier=world.supplier, customer=world.foreign)
    response = check(
        Api(client, world.supplier_admin),
        "POST",
        f"/partnerships/{other.pk}/surveys",
        {"touchpoint_id": t.pk, "recipient_id": world.foreign_admin.pk},
        422,
    )
    assert response.json()["errors"][0]["field"] == "touchpoint_id"


# --- the e-mail -----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_job_emails_a_working_link_in_the_recipients_language(client, mailoutbox):
    supplier = f.OrganisationFactory(name="PT Pemasok", language="en")
    customer = f.OrganisationFactory(name="PT Pembeli", language="id")
    partnership = f.PartnershipFactory(supplier=supplier, customer=customer)
    sender = f.member(supplier, Role.ADMIN, "kirim@pemasok.test")
    recipient = f.member(customer, Role.MEMBER, "terima@pembeli.test")
    t = services.touchpoint_create(
        f.actor(sender), partnership_id=partnership.pk, kind="visit", summary="Kunjungan toko"
    )
    s = services.survey_create(
        f.actor(sender), partnership_id=partnership.pk, touchpoint_id=t.pk, recipient_id=recipient.pk
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["terima@pembeli.test"]
    assert "PT Pemasok" in mail.subject
    link = re.search(r"https?://\S+/s/(\S+)/", mail.body)
    assert link, mail.body
    assert link.group(1) == services.survey_token(s)
    assert "satu kali" in mail.body  # Indonesian: "can be used once"
    page = client.get(f"/s/{link.group(1)}/")
    assert page.status_code == 200 and "Kunjungan toko" in page.content.decode()
    s.refresh_from_db()
    assert s.email_sent_at is not None
    assert tasks.send_survey_email.call(s.pk) is False  # idempotent: sent once
    assert len(mailoutbox) == 1


# --- the public page ------------------------------------------------------------------------------------


def test_the_public_page_shows_the_form_and_takes_one_answer(client, world):
    t = delivery(world)
    s, token = survey(world, t)
    response = client.get(f"/s/{token}/")
    assert response.status_code == 200
    assert t.summary in response.content.decode()
    before = s.history.count()
    response = client.post(f"/s/{token}/", {"csat": "4", "nps": "9", "comment": "Tepat waktu, terima kasih"})
    assert response.status_code == 200
    s.refresh_from_db()
    assert (s.csat, s.nps, s.comment, s.status) == (4, 9, "Tepat waktu, terima kasih", "answered")
    assert s.history.count() == before + 1
    assert s.history.first().history_user == world.customer_admin.user
    event = Event.objects.get(kind="survey", object_id=s.pk, verb="answered")
    assert (event.actor_side, event.actor_user) == ("customer", world.customer_admin.user)


def test_a_token_used_twice_is_refused_the_second_time_and_nothing_is_written(client, world):
    client.cookies["mitra_language"] = "en"  # the recipient organisation speaks Indonesian
    s, token = survey(world, meeting(world))
    assert client.post(f"/s/{token}/", {"csat": "5", "nps": "10"}).status_code == 200
    before = db_state()
    response = client.post(f"/s/{token}/", {"csat": "1", "nps": "0", "comment": "again"})
    assert response.status_code == 410
    assert "already answered" in response.content.decode()
    assert db_state() == before
    assert client.get(f"/s/{token}/").status_code == 410
    with pytest.raises(services.SurveyUsed):
        services.survey_answer(raw_token=token, csat=1, nps=1)
    s.refresh_from_db()
    assert (s.csat, s.nps) == (5, 10)


def test_an_expired_token_gets_a_clear_page(client, world):
    client.cookies["mitra_language"] = "en"  # the recipient organisation speaks Indonesian
    s, token = survey(world, meeting(world))
    SurveyRequest.objects.filter(pk=s.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    before = db_state()
    for response in (client.get(f"/s/{token}/"), client.post(f"/s/{token}/", {"csat": "3", "nps": "7"})):
        assert response.status_code == 410
        assert "expired" in response.content.decode()
    assert db_state() == before
    data = check(
        Api(client, world.supplier_admin), "GET", f"{surveys_url(world)}?status=expired", None, 200
    ).json()
    assert data["count"] == 1 and data["items"][0]["status"] == "expired"


def test_a_wrong_token_gets_a_clear_404_page(client, world):
    survey(world, meeting(world))
    response = client.get("/s/srv_not-a-real-token/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert client.post("/s/srv_not-a-real-token/", {"csat": "3", "nps": "7"}).status_code == 404


def test_bad_scores_show_field_errors_and_write_nothing(client, world):
    _s, token = survey(world, meeting(world))
    before = db_state()
    response = client.post(f"/s/{token}/", {"csat": "6", "nps": "11"})
    assert response.status_code == 422
    assert response.context["form"].errors.keys() == {"csat", "nps"}
    assert db_state() == before


def test_the_public_page_speaks_the_recipients_organisation_language(client, world):
    world.customer.language = "id"
    world.customer.save()
    _s, token = survey(world, meeting(world))
    html = client.get(f"/s/{token}/").content.decode()
    assert 'lang="id"' in html
    client.cookies["mitra_language"] = "en"
    assert 'lang="en"' in client.get(f"/s/{token}/").content.decode()


@override_settings()
def test_the_public_page_is_rate_limited_per_client_address(client, world, monkeypatch):
    monkeypatch.setattr(views, "SURVEY_RATE_LIMIT", 3)
    _s, token = survey(world, meeting(world))
    for _ in range(3):
        assert client.get(f"/s/{token}/").status_code == 200
    response = client.get(f"/s/{token}/")
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert client.post(f"/s/{token}/", {"csat": "5", "nps": "10"}).status_code == 429
    assert SurveyRequest.objects.get(pk=_s.pk).answered_at is None
    # Another address is counted apart.
    assert client.get(f"/s/{token}/", REMOTE_ADDR="10.0.0.9").status_code == 200


# --- scores ---------------------------------------------------------------------------------------------


def _answer(world, csat: int, nps: int) -> None:
    _s, token = survey(world, meeting(world), recipient=world.customer_member)
    services.survey_answer(raw_token=token, csat=csat, nps=nps)


def test_csat_and_nps_by_their_standard_definitions_on_a_known_set(client, world):
    # CSAT: 4 and 5 are satisfied → 3 of 5 = 60 %. NPS: promoters 9–10 (2), passives 7–8 (1),
    # detractors 0–6 (2) → 40 % − 40 % = 0.
    answers = [(5, 10), (4, 9), (4, 8), (3, 6), (1, 0)]
    for csat, nps in answers:
        _answer(world, csat, nps)
    _s, _pending = survey(world, meeting(world))  # not answered: not counted
    data = check(
        Api(client, world.customer_admin),
        "GET",
        f"/partnerships/{world.partnership.pk}/survey-scores",
        None,
        200,
    ).json()
    total = data["total"]
    assert total["answers"] == 5
    assert total["satisfied"] == 3 and total["csat"] == 60.0
    assert (total["promoters"], total["passives"], total["detractors"]) == (2, 1, 2)
    assert total["nps"] == 0.0
    _answer(world, 5, 9)  # one more promoter: (3 − 2) / 6 = 16.7
    total = selectors.survey_scores(f.actor(world.supplier_admin), world.partnership.pk)
    assert total.nps == 16.7 and total.csat == 66.7
    months = data["months"]
    assert len(months) == 1 and months[0]["answers"] == 5


def test_scores_without_answers_are_null(client, world):
    data = check(
        Api(client, world.supplier_admin),
        "GET",
        f"/partnerships/{world.partnership.pk}/survey-scores",
        None,
        200,
    ).json()
    assert data["total"]["csat"] is None and data["total"]["nps"] is None and data["months"] == []


def test_the_survey_list_makes_the_same_number_of_queries_for_2_and_20(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = Api(client, world.customer_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            check(api, "GET", surveys_url(world), None, 200)
        return len(ctx.captured_queries)

    for _ in range(2):
        survey(world, meeting(world))
    count()  # the first call also stamps the token's last use
    two = count()
    for _ in range(9):
        survey(world, meeting(world))
        survey(world, meeting(world), recipient=world.customer_member, sender=world.supplier_member)
    assert count() == two
    assert check(api, "GET", surveys_url(world), None, 200).json()["count"] == 20
