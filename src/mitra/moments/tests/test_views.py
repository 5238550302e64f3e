"""The moments pages: they render in English and Indonesian, forms post and show field errors, strangers get 404."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from tests import factories as f

from mitra.moments.models import SurveyRequest, Touchpoint
from mitra.moments.templatetags.moments_web import moments_summary
from mitra.moments.tests.helpers import delivery, meeting, survey


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.supplier_admin.user)
    return client


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_page_renders_in_both_languages(signed_in, world, language):
    signed_in.cookies["mitra_language"] = language
    t = delivery(world, late_days=1)
    _s, _token = survey(world, t)
    p = world.partnership.pk
    for url in (
        reverse("moments:list", args=[p]),
        reverse("moments:list", args=[p]) + "?kind=delivery&outcome=neutral&month=2026-11",
        reverse("moments:create", args=[p]),
        reverse("moments:detail", args=[p, t.pk]),
        reverse("moments:edit", args=[p, t.pk]),
    ):
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
    html = signed_in.get(reverse("moments:list", args=[p])).content.decode()
    assert t.summary in html and reverse("pulse:overview", args=[p]) in html
    assert "OTIF" in html


def test_recording_a_delivery_through_the_form(signed_in, world):
    url = reverse("moments:create", args=[world.partnership.pk])
    response = signed_in.post(
        url,
        {
            "kind": "delivery",
            "occurred_at": "2026-11-02T09:30",
            "outcome": "positive",
            "summary": "Kirim 50 karton",
            "bridge_id": world.bridge.pk,
            "promised_date": "2026-11-02",
            "actual_date": "2026-11-01",
            "promised_quantity": "50",
            "delivered_quantity": "48",
        },
    )
    t = Touchpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == t.get_absolute_url()
    assert (t.on_time, t.in_full, t.bridge_id, t.recorded_by_side) == (
        True,
        False,
        world.bridge.pk,
        "supplier",
    )


def test_a_delivery_without_its_fields_shows_each_field_error(signed_in, world):
    url = reverse("moments:create", args=[world.partnership.pk])
    response = signed_in.post(
        url, {"kind": "delivery", "occurred_at": "2026-11-02T09:30", "outcome": "neutral", "summary": "Kirim"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"promised_date", "actual_date", "promised_quantity", "delivered_quantity"} <= set(errors)
    assert not Touchpoint.objects.exists()


def test_the_delivery_fields_show_only_for_deliveries(signed_in, world):
    url = reverse("moments:create", args=[world.partnership.pk])
    assert "promised_quantity" in signed_in.get(url).content.decode()
    html = signed_in.get(url + "?kind=meeting", headers={"HX-Request": "true"}).content.decode()
    assert "touchpoint-form" in html and "promised_quantity" not in html
    html = signed_in.get(url + "?kind=delivery", headers={"HX-Request": "true"}).content.decode()
    assert "promised_quantity" in html


def test_a_meeting_through_the_form_ignores_leftover_delivery_fields(signed_in, world):
    url = reverse("moments:create", args=[world.partnership.pk])
    signed_in.post(
        url,
        {
            "kind": "meeting",
            "occurred_at": "2026-11-02T09:30",
            "outcome": "neutral",
            "summary": "Rapat",
            "promised_quantity": "5",
        },
    )
    assert Touchpoint.objects.get().promised_quantity is None


def test_editing_is_for_the_recording_side_only(client, world):
    t = meeting(world)
    client.force_login(world.customer_admin.user)
    assert client.get(reverse("moments:edit", args=[world.partnership.pk, t.pk])).status_code == 403
    client.force_login(world.supplier_member.user)
    response = client.post(
        reverse("moments:edit", args=[world.partnership.pk, t.pk]),
        {
            "kind": "meeting",
            "occurred_at": "2026-11-02T09:30",
            "outcome": "negative",
            "summary": "Rapat alot",
            "version": 1,
        },
    )
    assert response.status_code == 302
    t.refresh_from_db()
    assert (t.summary, t.outcome, t.version) == ("Rapat alot", "negative", 2)


def test_sending_a_survey_from_the_touchpoint_page(signed_in, world, django_capture_on_commit_callbacks):
    t = meeting(world)
    detail = reverse("moments:detail", args=[world.partnership.pk, t.pk])
    offered = {
        pk for pk, _name in signed_in.get(detail).context["survey_form"].fields["recipient_id"].choices
    }
    assert offered == {world.customer_admin.pk, world.customer_member.pk}  # the other side only
    send = reverse("moments:survey_send", args=[world.partnership.pk, t.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(send, {"recipient_id": world.customer_member.pk})
    assert response.status_code == 302
    survey_request = SurveyRequest.objects.get()
    assert survey_request.recipient == world.customer_member
    job = DBTaskResult.objects.get(task_path="mitra.moments.tasks.send_survey_email")
    assert job.args_kwargs["args"] == [survey_request.pk]  # the job takes the id, never the token
    response = signed_in.post(send, {"recipient_id": world.customer_member.pk})
    assert response.status_code == 422  # already asked
    response = signed_in.post(send, {"recipient_id": world.supplier_member.pk})
    assert response.status_code == 422 and "recipient_id" in response.context["survey_form"].errors
    assert SurveyRequest.objects.count() == 1
    assert "moments-survey--pending" in signed_in.get(detail).content.decode()


def test_a_viewer_sees_but_cannot_record_or_send(client, world):
    t = meeting(world)
    client.force_login(world.supplier_viewer.user)
    p = world.partnership.pk
    assert client.get(reverse("moments:list", args=[p])).status_code == 200
    assert "survey_form" not in client.get(reverse("moments:detail", args=[p, t.pk])).context
    assert client.get(reverse("moments:create", args=[p])).status_code == 403
    response = client.post(
        reverse("moments:survey_send", args=[p, t.pk]), {"recipient_id": world.customer_admin.pk}
    )
    assert response.status_code == 403
    assert not SurveyRequest.objects.exists()


def test_a_stranger_gets_404(client, world):
    t = meeting(world)
    client.force_login(world.foreign_admin.user)
    p = world.partnership.pk
    for url in (reverse("moments:list", args=[p]), reverse("moments:detail", args=[p, t.pk])):
        assert client.get(url).status_code == 404


def test_the_list_page_makes_the_same_number_of_queries_for_2_and_20(signed_in, world):
    url = reverse("moments:list", args=[world.partnership.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert signed_in.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        survey(world, delivery(world))
    signed_in.get(url)
    two = count()
    for _ in range(9):
        survey(world, delivery(world, membership=world.supplier_member))
        meeting(world, bridge_id=world.bridge.pk)
    assert count() == two


def test_the_summary_card_takes_at_most_three_queries(world, django_assert_max_num_queries):
    delivery(world)
    delivery(world, late_days=3)
    actor = f.actor(world.customer_admin)
    with django_assert_max_num_queries(3):
        context = moments_summary(world.partnership, actor)
    assert context["otif"].deliveries == 2 and context["otif"].otif_percent == 50.0
    assert context["scores"].answers == 0
