"""The risk register pages: English and Indonesian, the heat map, forms and their errors, strangers."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests import factories as f

from mitra.risks.models import Risk
from mitra.risks.tests.test_api import make_case, make_risk


@pytest.fixture
def risk(world) -> Risk:
    return make_risk(
        world,
        title="Supply disruption before Lebaran",
        likelihood=4,
        impact=5,
        early_signal="Sugar mill stock below 2 weeks",
        response="Build 3 weeks of buffer stock from Ramadan",
        owner_id=world.customer_admin.pk,
    )


def pages(world, risk):
    pk = world.partnership.pk
    return [
        reverse("risks:list", args=[pk]),
        reverse("risks:create", args=[pk]),
        reverse("risks:detail", args=[pk, risk.pk]),
        reverse("risks:edit", args=[pk, risk.pk]),
    ]


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_page_renders_in_both_languages(client, world, risk, language):
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = language
    for url in pages(world, risk):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Supply disruption before Lebaran" in response.content.decode() or url.endswith("/new/")
    html = client.get(pages(world, risk)[0]).content.decode()
    assert f'<html lang="{language}">' in html and 'id="heat-map"' in html


def test_the_register_shows_the_heat_map_and_readiness(client, world, risk):
    make_risk(world, title="Forecast error", likelihood=2, impact=2)
    client.force_login(world.customer_member.user)
    client.cookies["mitra_language"] = "en"
    html = client.get(reverse("risks:list", args=[world.partnership.pk])).content.decode()
    assert 'data-likelihood="4" data-impact="5">1</td>' in html
    assert 'data-likelihood="2" data-impact="2">1<' in html
    assert 'data-likelihood="1" data-impact="1"><' in html
    assert "50%" in html  # one of the two has a response ready
    filtered = client.get(
        reverse("risks:list", args=[world.partnership.pk]) + "?min_score=15"
    ).content.decode()
    assert "Supply disruption" in filtered and "Forecast error" not in filtered


def test_a_stranger_gets_404_on_every_page(client, world, risk):
    client.force_login(world.foreign_admin.user)
    for url in pages(world, risk):
        assert client.get(url).status_code == 404, url


def test_a_viewer_cannot_open_the_forms(client, world, risk):
    client.force_login(world.supplier_viewer.user)
    assert client.get(pages(world, risk)[1]).status_code == 403
    assert client.post(pages(world, risk)[3], {"title": "x"}).status_code == 403


def test_create_shows_field_errors_then_saves(client, world):
    client.force_login(world.customer_member.user)
    client.cookies["mitra_language"] = "en"
    url = reverse("risks:create", args=[world.partnership.pk])
    response = client.post(url, {"title": "", "likelihood": "9", "impact": "3"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"title", "likelihood"}
    assert not Risk.objects.exists()
    response = client.post(
        url,
        {
            "title": "Payment delay at year end",
            "likelihood": "2",
            "impact": "4",
            "response": "Partial payment plan",
            "owner_id": str(world.supplier_member.pk),
        },
    )
    risk = Risk.objects.get()
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    assert (risk.raised_by_side, risk.owner, risk.score) == ("customer", world.supplier_member, 8)


def test_edit_changes_status_and_refuses_a_stale_version(client, world, risk):
    client.force_login(world.supplier_member.user)
    client.cookies["mitra_language"] = "en"
    url = reverse("risks:edit", args=[world.partnership.pk, risk.pk])
    data = {
        "title": risk.title,
        "likelihood": "4",
        "impact": "5",
        "response": risk.response,
        "owner_id": "",
        "status": "occurred",
        "version": str(risk.version),
    }
    assert client.post(url, data).status_code == 302
    risk.refresh_from_db()
    assert (risk.status, risk.owner, risk.version) == ("occurred", None, 2)
    response = client.post(url, data | {"status": "closed"}, follow=True)
    assert "changed by someone else" in response.content.decode()
    risk.refresh_from_db()
    assert risk.status == "occurred"


def test_the_risk_page_lists_the_cases_it_foresaw(client, world, risk):
    case = make_case(world, risk, title="Late delivery of 400 cartons")
    make_case(world, None, title="Unrelated damaged pallet")
    client.force_login(world.customer_admin.user)
    html = client.get(reverse("risks:detail", args=[world.partnership.pk, risk.pk])).content.decode()
    assert "Late delivery of 400 cartons" in html and "Unrelated damaged pallet" not in html
    assert case.get_absolute_url() in html


def test_the_summary_card(world, risk, django_assert_max_num_queries):
    make_risk(world, title="Forecast error", likelihood=1, impact=2)
    template = Template("{% load risks_web %}{% risks_summary p actor %}")
    with django_assert_max_num_queries(3):
        html = template.render(Context({"p": world.partnership, "actor": f.actor(world.supplier_member)}))
    assert "<dd>2</dd>" in html and "<dd>1</dd>" in html and "50%" in html


@pytest.mark.parametrize("count", [2, 20])
def test_the_register_page_query_count_stays_flat(client, world, django_assert_num_queries, count):
    for i in range(count):
        make_risk(world, title=f"Risk {i}", owner_id=world.customer_admin.pk, likelihood=1 + i % 5)
    client.force_login(world.supplier_member.user)
    url = reverse("risks:list", args=[world.partnership.pk])
    client.get(url)  # the session's first page view
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == LIST_PAGE_QUERIES, [q["sql"][:80] for q in queries]


# Session, user, memberships, partnership (workspace), threading, filters: the risks, heat map, stats, count.
LIST_PAGE_QUERIES = 12
