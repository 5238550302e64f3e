"""Review findings on the risk register: restricted cases do not leak through a risk."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests import factories as f
from tests.apiclient import Api, check

from mitra.risks.tests.test_api import make_case, make_risk

pytestmark = pytest.mark.django_db


def test_cases_restricted_to_another_department_are_not_counted_or_listed(client, world):
    risk = make_risk(world)
    make_case(world, risk, title="Open to all")
    make_case(world, risk, title="Purchasing only", restricted_department=world.customer_purchasing)
    path = f"/partnerships/{world.partnership.pk}/risks/{risk.pk}"
    # The customer's Finance member is not in Purchasing: one case. The supplier is not bound by the
    # customer's restriction, nor is the customer's admin: two.
    assert check(Api(client, world.customer_member), "GET", path, None, 200).json()["case_count"] == 1
    assert check(Api(client, world.supplier_member), "GET", path, None, 200).json()["case_count"] == 2
    assert check(Api(client, world.customer_admin), "GET", path, None, 200).json()["case_count"] == 2
    listed = check(Api(client, world.customer_member), "GET", path.rsplit("/", 1)[0], None, 200).json()
    assert listed["items"][0]["case_count"] == 1
    client.force_login(world.customer_member.user)
    page = client.get(reverse("risks:detail", kwargs={"pk": world.partnership.pk, "risk_id": risk.pk}))
    assert page.status_code == 200
    assert "Open to all" in page.content.decode() and "Purchasing only" not in page.content.decode()


def test_a_case_of_another_partnership_never_counts(client, world):
    """Even a stray link (a case of another partnership pointing at this risk) is not counted."""
    risk = make_risk(world)
    other = f.PartnershipFactory(supplier=world.supplier, customer=world.foreign)
    case = make_case(world, risk, title="Elsewhere")
    type(case).objects.filter(pk=case.pk).update(partnership=other)
    path = f"/partnerships/{world.partnership.pk}/risks/{risk.pk}"
    assert check(Api(client, world.customer_member), "GET", path, None, 200).json()["case_count"] == 0
