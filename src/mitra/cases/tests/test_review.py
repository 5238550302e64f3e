"""Review findings of the cases workflow: what a restricted risk may leak, and where recurring causes lead."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.apiclient import Api, check
from tests.contracts.cases import make_case

from mitra.cases.models import Case
from mitra.risks.models import Risk

pytestmark = pytest.mark.django_db


def _hidden_risk(world) -> Risk:
    """A supplier risk restricted to Sales: the supplier member (Finance) may not see it."""
    return Risk.objects.create(
        partnership=world.partnership,
        title="Sales-only: the Surabaya truck fleet is ageing",
        raised_by_side="supplier",
        restricted_department=world.supplier_sales,
    )


def test_a_restricted_anticipating_risk_is_not_shown_to_who_may_not_see_it(client, world):
    risk = _hidden_risk(world)
    case = make_case(world, anticipated_by_id=risk.pk)  # raised by the supplier admin, who sees everything
    p = world.partnership.pk
    path = f"/partnerships/{p}/cases/{case.pk}"

    assert (
        check(Api(client, world.supplier_admin), "GET", path, None, 200).json()["anticipated_by_id"]
        == risk.pk
    )
    member = Api(client, world.supplier_member)
    assert check(member, "GET", path, None, 200).json()["anticipated_by_id"] is None
    listed = check(member, "GET", f"/partnerships/{p}/cases", None, 200).json()["items"]
    assert [c["anticipated_by_id"] for c in listed] == [None]
    # The customer side is not bound by a restriction the supplier set.
    assert (
        check(Api(client, world.customer_member), "GET", path, None, 200).json()["anticipated_by_id"]
        == risk.pk
    )

    client.force_login(world.supplier_member.user)
    client.cookies["mitra_language"] = "en"
    html = client.get(reverse("cases:detail", args=[p, case.pk])).content.decode()
    assert risk.title not in html
    edit = client.get(reverse("cases:edit", args=[p, case.pk]))
    assert risk.title not in edit.content.decode()


def test_saving_the_edit_form_keeps_a_risk_the_editor_cannot_see(client, world):
    risk = _hidden_risk(world)
    case = make_case(world, anticipated_by_id=risk.pk)
    client.force_login(world.supplier_member.user)
    client.cookies["mitra_language"] = "en"
    response = client.post(
        reverse("cases:edit", args=[world.partnership.pk, case.pk]),
        {
            "title": "Renamed",
            "description": "",
            "severity": case.severity,
            "category": case.category,
            "root_cause": "",
            "anticipated_by": "",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.title == "Renamed" and case.anticipated_by_id == risk.pk


def test_a_recurring_root_cause_links_to_starting_an_initiative_from_it(client, world):
    for n in range(3):
        make_case(world, title=f"Late truck {n}", root_cause="process")
    p = world.partnership.pk
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    html = client.get(reverse("cases:list", args=[p])).content.decode()
    assert f'href="{reverse("improvement:create", args=[p])}?from_root_cause=process"' in html
    # Viewers cannot start one: no link for them.
    client.force_login(world.supplier_viewer.user)
    assert "from_root_cause" not in client.get(reverse("cases:list", args=[p])).content.decode()
    # The link really pre-fills the initiative with those cases.
    client.force_login(world.supplier_admin.user)
    form = client.get(f"{reverse('improvement:create', args=[p])}?from_root_cause=process").context["form"]
    assert len(form.initial["source_cases"]) == 3


def test_every_move_leaves_a_history_row_by_its_actor(world):
    case = make_case(
        world, "closed"
    )  # raised, chosen, resolved by the supplier admin; closed by the customer
    rows = list(case.history.order_by("history_id"))
    assert [r.status for r in rows] == ["open", "in_progress", "resolved", "closed"]
    assert [r.history_user for r in rows] == [world.supplier_admin.user] * 3 + [world.customer_admin.user]
    option = case.options.order_by("id").last()
    assert option.history.get().history_user == world.customer_admin.user
