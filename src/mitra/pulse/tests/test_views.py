from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests import factories as f

from mitra.pulse.models import PulseResponse, PulseRound, current_quarter
from mitra.pulse.tests.conftest import SCORES, answer, close, reopen


def _url(world):
    return reverse("pulse:overview", args=[world.partnership.pk])


def _form(bridge, **overrides):
    data = {f"bridge-{bridge.pk}-{k}": v for k, v in {**SCORES, "comment": "Baik"}.items()}
    data.update({f"bridge-{bridge.pk}-{k}": v for k, v in overrides.items()})
    return data


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_overview_renders_in_both_languages(client, world, pulse_round, language):
    client.cookies["mitra_language"] = language
    client.force_login(world.supplier_admin.user)
    response = client.get(_url(world))
    assert response.status_code == 200
    assert f'lang="{language}"'.encode() in response.content
    assert pulse_round.quarter.encode() in response.content
    assert f'data-testid="pulse-form-{world.bridge.pk}"'.encode() in response.content


def test_without_a_round_an_admin_can_open_it_from_the_page(client, world):
    client.force_login(world.customer_admin.user)
    page = client.get(_url(world))
    assert reverse("pulse:open", args=[world.partnership.pk]).encode() in page.content
    response = client.post(reverse("pulse:open", args=[world.partnership.pk]))
    assert response.status_code == 302
    assert PulseRound.objects.filter(partnership=world.partnership, quarter=current_quarter()).exists()
    # A second time is refused with a message, not an error page.
    again = client.post(reverse("pulse:open", args=[world.partnership.pk]), follow=True)
    assert again.status_code == 200
    assert PulseRound.objects.count() == 1


def test_a_member_cannot_open_a_round_from_the_page(client, world):
    client.force_login(world.supplier_member.user)
    assert b"pulse/open/" not in client.get(_url(world)).content
    assert client.post(reverse("pulse:open", args=[world.partnership.pk])).status_code == 403
    assert not PulseRound.objects.exists()


def test_answering_from_the_page(client, world, pulse_round):
    client.force_login(world.supplier_admin.user)
    url = reverse("pulse:answer", args=[world.partnership.pk, pulse_round.pk, world.bridge.pk])
    response = client.post(url, _form(world.bridge))
    assert response.status_code == 302
    saved = PulseResponse.objects.get()
    assert (saved.respondent, saved.side, saved.trust, saved.comment) == (
        world.supplier_admin,
        "supplier",
        4,
        "Baik",
    )
    # Answered: the form is gone from the page.
    assert f'data-testid="pulse-form-{world.bridge.pk}"'.encode() not in client.get(_url(world)).content
    # Posting again is refused with a message and changes nothing.
    client.post(url, _form(world.bridge, trust=1))
    assert PulseResponse.objects.get().trust == 4


def test_a_missing_score_shows_the_field_error(client, world, pulse_round):
    client.cookies["mitra_language"] = "en"
    client.force_login(world.supplier_admin.user)
    url = reverse("pulse:answer", args=[world.partnership.pk, pulse_round.pk, world.bridge.pk])
    data = _form(world.bridge)
    del data[f"bridge-{world.bridge.pk}-trust"]
    response = client.post(url, {**data, f"bridge-{world.bridge.pk}-cooperation": "9"})
    assert response.status_code == 422
    assert b"Choose a score from 1 to 5." in response.content
    assert b"Select a valid choice" in response.content
    assert not PulseResponse.objects.exists()


def test_a_non_respondent_gets_403_from_the_page(client, world, pulse_round):
    client.force_login(world.supplier_member.user)
    url = reverse("pulse:answer", args=[world.partnership.pk, pulse_round.pk, world.bridge.pk])
    assert client.post(url, _form(world.bridge)).status_code == 403
    assert not PulseResponse.objects.exists()


def test_a_stranger_gets_404(client, world, pulse_round):
    client.force_login(world.foreign_admin.user)
    assert client.get(_url(world)).status_code == 404
    url = reverse("pulse:answer", args=[world.partnership.pk, pulse_round.pk, world.bridge.pk])
    assert client.post(url, _form(world.bridge)).status_code == 404
    assert client.post(reverse("pulse:open", args=[world.partnership.pk])).status_code == 404


def test_results_are_suppressed_on_the_page_below_three_and_never_name_anyone(
    client, world, pulse_round, purchasers
):
    for person in purchasers[:2]:
        answer(person, pulse_round, world.bridge, comment="Rahasia kecil")
    client.cookies["mitra_language"] = "en"
    client.force_login(world.supplier_admin.user)
    close(pulse_round)
    content = client.get(_url(world)).content.decode()
    assert "fewer than 3 answers" in content
    assert "Rahasia kecil" not in content
    answer(purchasers[2], reopen(pulse_round), world.bridge, comment="Rahasia kecil")
    close(pulse_round)
    content = client.get(_url(world)).content.decode()
    assert "Rahasia kecil" in content
    assert '<span class="pulse-score">4.0</span>' in content
    for person in purchasers:
        assert person.user.email not in content


def test_the_page_makes_the_same_queries_for_few_and_many_rounds(client, world, pulse_round, purchasers):
    import datetime as dt

    from django.utils import timezone

    client.force_login(world.supplier_admin.user)
    client.get(_url(world))
    counts = []
    for total in (2, 10):
        for i in range(PulseRound.objects.count(), total):
            old = PulseRound.objects.create(
                partnership=world.partnership,
                quarter=f"{2000 + i}Q1",
                opened_at=timezone.now() - dt.timedelta(days=9),
                closes_at=timezone.now() - dt.timedelta(days=1),
            )
            for person in purchasers:
                PulseResponse.objects.create(
                    partnership=world.partnership,
                    round=old,
                    bridge=world.bridge,
                    respondent=person,
                    side="customer",
                    comment="x",
                    **SCORES,
                )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(world)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_summary_card_shows_the_latest_round_per_side_in_few_queries(
    world, pulse_round, purchasers, django_assert_max_num_queries
):
    for person in purchasers:
        answer(person, pulse_round, world.bridge)
    close(pulse_round)
    template = Template("{% load pulse_web %}{% pulse_summary p actor %}")
    with django_assert_max_num_queries(3):
        html = template.render(Context({"p": world.partnership, "actor": f.actor(world.supplier_admin)}))
    assert pulse_round.quarter in html
    assert "fewer than 3 answers" in html  # the supplier side: nobody answered
    assert '<span class="pulse-score">4.0</span>' in html  # the customer side: three answers


def test_the_summary_card_without_rounds(world):
    html = Template("{% load pulse_web %}{% pulse_summary p actor %}").render(
        Context({"p": world.partnership, "actor": f.actor(world.supplier_admin)})
    )
    assert "No pulse round yet." in html
