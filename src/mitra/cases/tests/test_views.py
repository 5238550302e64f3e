"""The cases pages, in English and Indonesian, their forms and the moves of each side."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.contracts.cases import make_case

from mitra.cases.models import Case


@pytest.fixture
def as_supplier(client, world):
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    return client


def _pages(case: Case) -> list[str]:
    p = case.partnership_id
    return [
        reverse("cases:list", args=[p]),
        reverse("cases:create", args=[p]),
        reverse("cases:detail", args=[p, case.pk]),
        reverse("cases:edit", args=[p, case.pk]),
    ]


@pytest.mark.parametrize(("language", "word"), [("en", "Cases"), ("id", "Kasus")])
def test_every_page_renders_in_both_languages(as_supplier, world, language, word):
    case = make_case(world, root_cause="process")
    as_supplier.cookies["mitra_language"] = language
    for url in _pages(case):
        response = as_supplier.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == language
    assert case.title in as_supplier.get(_pages(case)[0]).content.decode()


def test_a_stranger_gets_404(client, world):
    case = make_case(world)
    client.force_login(world.foreign_admin.user)
    for url in _pages(case):
        assert client.get(url).status_code == 404


def test_raising_a_case_without_the_desired_outcome_shows_the_field_error(as_supplier, world):
    url = reverse("cases:create", args=[world.partnership.pk])
    response = as_supplier.post(url, {"title": "Crushed cartons", "severity": "high", "category": "quality"})
    assert response.status_code == 200
    assert "desired_outcome" in response.context["form"].errors
    assert not Case.objects.exists()


def test_raising_a_case_as_the_supplier(as_supplier, world):
    url = reverse("cases:create", args=[world.partnership.pk])
    response = as_supplier.post(
        url,
        {
            "title": "Crushed cartons",
            "desired_outcome": "Full shelves by Saturday",
            "outcome_stated_by": world.customer_admin.pk,
            "severity": "high",
            "category": "quality",
            "root_cause": "",
            "anticipated_by": "",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.outcome_stated_by == world.customer_admin
    assert not case.outcome_confirmed
    page = as_supplier.get(case.get_absolute_url()).content.decode()
    assert "Full shelves by Saturday" in page
    assert "waiting for the customer side to confirm it" in page


def test_the_whole_flow_through_the_pages(client, world):
    case = make_case(world)  # two options, raised by the supplier
    p = world.partnership.pk
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    lose = case.options.get(summary="Credit note")
    # A non-win-win choice without a justification is refused with a message.
    response = client.post(reverse("cases:choose", args=[p, case.pk]), {"option": lose.pk}, follow=True)
    assert "not win-win" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "open"
    client.post(
        reverse("cases:choose", args=[p, case.pk]), {"option": lose.pk, "justification": "Cheaper for both"}
    )
    case.refresh_from_db()
    assert case.status == "in_progress" and case.chosen_option == lose
    client.post(reverse("cases:resolve", args=[p, case.pk]), {"resolution_note": "Credit note sent"})
    case.refresh_from_db()
    assert case.status == "resolved"
    # The supplier cannot close it.
    assert client.post(reverse("cases:confirm", args=[p, case.pk])).status_code == 403
    client.force_login(world.customer_admin.user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Confirm and close" in page and "Dispute" in page
    response = client.post(reverse("cases:dispute", args=[p, case.pk]), {"reason": ""})
    assert response.status_code == 200 and response.context["dispute_form"].errors
    client.post(reverse("cases:dispute", args=[p, case.pk]), {"reason": "Only half credited"})
    case.refresh_from_db()
    assert case.status == "in_progress" and case.dispute_count == 1
    client.force_login(world.supplier_admin.user)
    client.post(reverse("cases:resolve", args=[p, case.pk]), {"resolution_note": "Rest credited"})
    client.force_login(world.customer_admin.user)
    client.post(reverse("cases:confirm", args=[p, case.pk]))
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome_confirmed


def test_adding_an_option_shows_field_errors_and_then_adds_it(as_supplier, world):
    case = make_case(world)
    url = reverse("cases:option_add", args=[world.partnership.pk, case.pk])
    response = as_supplier.post(
        url, {"summary": "", "value_to_customer": 0, "value_to_supplier": 0, "effort": "low"}
    )
    assert response.status_code == 200 and "summary" in response.context["option_form"].errors
    as_supplier.post(
        url, {"summary": "Re-pack", "value_to_customer": 1, "value_to_supplier": 2, "effort": "low"}
    )
    assert case.options.count() == 3


def test_customer_confirms_the_outcome_on_the_page(client, world):
    case = make_case(world)
    client.force_login(world.customer_member.user)
    client.post(reverse("cases:outcome_confirm", args=[world.partnership.pk, case.pk]))
    case.refresh_from_db()
    assert case.outcome_confirmed


def test_edit_sets_the_root_cause_and_a_stale_edit_is_refused(as_supplier, world):
    case = make_case(world)
    url = reverse("cases:edit", args=[world.partnership.pk, case.pk])
    data = {
        "title": case.title,
        "severity": "high",
        "category": "delivery",
        "root_cause": "people",
        "anticipated_by": "",
        "version": case.version,
    }
    assert as_supplier.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.root_cause == "people"
    response = as_supplier.post(url, {**data, "root_cause": "method"})  # the old version
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.root_cause == "people"


def test_list_shows_sla_badges_recurring_root_causes_and_the_improvement_link(as_supplier, world):
    for n in range(3):
        make_case(world, title=f"Mislabelled {n}", root_cause="process")
    late = make_case(world, title="Late one")
    Case.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - dt.timedelta(hours=2))
    html = as_supplier.get(reverse("cases:list", args=[world.partnership.pk])).content.decode()
    assert "SLA breached" in html
    assert "Recurring" in html
    link = reverse("improvement:create", args=[world.partnership.pk]) + "?from_root_cause=process"
    assert link in html
    filtered = as_supplier.get(reverse("cases:list", args=[world.partnership.pk]) + "?breached=yes")
    assert [c.pk for c in filtered.context["cases"]] == [late.pk]


def test_the_list_page_queries_do_not_grow(as_supplier, world):
    url = reverse("cases:list", args=[world.partnership.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert as_supplier.get(url).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        make_case(world, title=f"Case {n}", root_cause="process")
    count()
    two = count()
    for n in range(18):
        make_case(world, title=f"More {n}", root_cause="people")
    assert count() == two


def test_the_overview_card_renders_with_few_queries(world, rf):
    from django.template import Context, Template
    from tests import factories as f

    make_case(world, "resolved")
    make_case(world, title="Late")
    actor = f.actor(world.supplier_admin)
    template = Template("{% load cases_web %}{% cases_summary p actor %}")
    with CaptureQueriesContext(connection) as ctx:
        html = template.render(Context({"p": world.partnership, "actor": actor}))
    assert len(ctx.captured_queries) <= 3
    assert "Cases" in html and "Waiting for the customer to confirm" in html
