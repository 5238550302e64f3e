"""Review findings: a linked record the reader may not see must not leak through a value entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from tests import factories as f
from tests.apiclient import Api, check

from mitra.cases.models import Case
from mitra.improvement.models import Initiative
from mitra.value import services
from mitra.value.models import ValueEntry
from mitra.value.tests.helpers import make

pytestmark = pytest.mark.django_db


def _entry(world, membership, **extra):
    return services.value_entry_create(
        f.actor(membership),
        partnership_id=world.partnership.pk,
        title="Fewer damaged cartons",
        beneficiary_side="supplier",
        category="cost_saved",
        amount=Decimal("42000000"),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        **extra,
    )


@pytest.fixture
def hidden_links(world):
    """A case and an initiative restricted to the supplier's Sales department, linked by the customer
    (whom the supplier's restriction does not affect) to an entry everyone may see."""
    case = make(
        Case,
        world,
        partnership=world.partnership,
        title="Secret price renegotiation",
        restricted_department=world.supplier_sales,
    )
    initiative = make(
        Initiative,
        world,
        partnership=world.partnership,
        title="Confidential margin programme",
        restricted_department=world.supplier_sales,
    )
    entry = _entry(world, world.customer_admin, case_id=case.pk, initiative_id=initiative.pk)
    return case, initiative, entry


def test_a_linked_case_or_initiative_hidden_from_the_reader_is_not_shown(client, world, hidden_links):
    case, initiative, entry = hidden_links
    client.force_login(world.supplier_member.user)  # supplier Finance: may not see Sales' records
    page = client.get(reverse("value:detail", kwargs={"pk": world.partnership.pk, "entry_id": entry.pk}))
    assert page.status_code == 200
    assert case.title not in page.content.decode()
    assert initiative.title not in page.content.decode()
    data = check(
        Api(client, world.supplier_member),
        "GET",
        f"/partnerships/{world.partnership.pk}/value-entries/{entry.pk}",
        None,
        200,
    ).json()
    assert (data["case_id"], data["initiative_id"]) == (None, None)
    # Those who may see them still do.
    client.force_login(world.supplier_admin.user)
    page = client.get(reverse("value:detail", kwargs={"pk": world.partnership.pk, "entry_id": entry.pk}))
    assert case.title in page.content.decode() and initiative.title in page.content.decode()
    data = check(
        Api(client, world.customer_member),
        "GET",
        f"/partnerships/{world.partnership.pk}/value-entries/{entry.pk}",
        None,
        200,
    ).json()
    assert (data["case_id"], data["initiative_id"]) == (case.pk, initiative.pk)


def test_a_restricted_case_of_the_actors_own_side_cannot_be_linked(client, world):
    case = make(
        Case,
        world,
        partnership=world.partnership,
        title="Sales only",
        restricted_department=world.supplier_sales,
    )
    body = {
        "title": "x",
        "beneficiary_side": "customer",
        "category": "other",
        "amount": "1.00",
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "case_id": case.pk,
    }
    url = f"/partnerships/{world.partnership.pk}/value-entries"
    response = check(Api(client, world.supplier_member), "POST", url, body, 422)
    assert response.json()["errors"][0]["field"] == "case_id"


def test_correcting_an_entry_keeps_a_link_the_editor_cannot_see(client, world):
    """The edit form cannot offer a hidden case: saving it must not silently unlink it."""
    case = make(
        Case,
        world,
        partnership=world.partnership,
        title="Finance only",
        restricted_department=world.supplier_finance,
    )
    # The customer links the supplier's Finance-only case; a customer member edits without seeing... the
    # customer sees it (restrictions bind only their side). So: the supplier's Finance member records it,
    # and a supplier Sales member (same side, not in Finance) corrects the entry.
    entry = _entry(world, world.supplier_member, case_id=case.pk)
    sales = f.member(world.supplier, "member", "sales@sumber.test", [world.supplier_sales])
    client.force_login(sales.user)
    url = reverse("value:edit", kwargs={"pk": world.partnership.pk, "entry_id": entry.pk})
    form = client.get(url)
    assert form.status_code == 200 and case.title not in form.content.decode()
    response = client.post(
        url,
        {
            "title": "Fewer damaged cartons (corrected)",
            "beneficiary_side": "supplier",
            "category": "cost_saved",
            "amount": "43000000",
            "currency": "IDR",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "case_id": "",
            "initiative_id": "",
            "version": "1",
        },
    )
    assert response.status_code == 302
    entry = ValueEntry.objects.get(pk=entry.pk)
    assert entry.title == "Fewer damaged cartons (corrected)"
    assert entry.case_id == case.pk
