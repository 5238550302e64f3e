"""The four journeys issue 2 asks a real browser to prove, each leaving a screenshot in docs/screenshots/."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mitra.partnerships.models import Bridge, Partnership
from tests import factories as f

pytestmark = pytest.mark.e2e


def sign_in(page: Page, base: str, email: str, *, language: str = "en") -> None:
    # Start in a known language whatever the organisation's default is.
    page.context.add_cookies([{"name": "mitra_language", "value": language, "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r".*/partnerships/$"))


def test_sign_in(page: Page, live_server: Any, world: Any, screenshot: Any) -> None:
    page.context.add_cookies([{"name": "mitra_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/partnerships/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="Sign in to Mitra")).to_be_visible()
    screenshot(page, "sign-in.png")
    page.get_by_label("Email").fill("admin@sumber.test")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()
    expect(page.locator("#partnerships")).to_contain_text("PT Ritel Maju Bersama")
    expect(page.locator(".orgname")).to_have_text("PT Sumber Rasa Nusantara")


def test_switch_to_bahasa_indonesia(page: Page, live_server: Any, world: Any, screenshot: Any) -> None:
    sign_in(page, live_server.url, "admin@sumber.test")
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()
    page.get_by_role("button", name="ID", exact=True).click()
    expect(page.get_by_role("heading", name="Kemitraan saya")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name="Usulkan kemitraan")).to_be_visible()
    screenshot(page, "partnerships-id.png")
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()


def test_open_a_partnership_and_add_a_bridge(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    # A few more departments and a charter, so that the matrix looks like a real partnership.
    for org, names in (
        (world.supplier, ("Logistics", "Quality")),
        (world.customer, ("Warehouse", "Quality")),
    ):
        for name in names:
            f.DepartmentFactory(
                organisation=org, kind=name.lower() if name != "Warehouse" else "logistics", name=name
            )
    Partnership.objects.filter(pk=world.partnership.pk).update(
        goals="Zero stock-outs before Lebaran.\nInvoices matched within 3 days.",
        start_date=dt.date(2025, 1, 6),
        tier="strategic",
    )
    before = Bridge.objects.filter(partnership=world.partnership).count()
    sign_in(page, live_server.url, "member@sumber.test")
    page.get_by_role("link", name="PT Ritel Maju Bersama").click()
    expect(page.get_by_role("heading", name="Bridges")).to_be_visible()
    expect(page.get_by_test_id("threading-banner")).to_contain_text("single-threaded")

    page.get_by_role("button", name="Add a bridge Finance – Finance").click()
    form = page.get_by_role("form", name="Bridge Finance – Finance")
    form.get_by_label("Owner at PT Sumber Rasa Nusantara").select_option(
        label=str(world.supplier_member.user)
    )
    form.get_by_label("Owner at PT Ritel Maju Bersama").select_option(label=str(world.customer_member.user))
    form.get_by_label("Meet every (days)").fill("0")
    form.get_by_role("button", name="Save").click()
    # The service refuses a zero cadence: the error shows in the cell and nothing is written.
    expect(form.get_by_text("The cadence must be between 1 and 366 days.")).to_be_visible()
    assert Bridge.objects.filter(partnership=world.partnership).count() == before

    form.get_by_label("Meet every (days)").fill("14")
    form.get_by_role("button", name="Save").click()
    cell = page.locator('td[data-supplier-department="Finance"][data-customer-department="Finance"]')
    expect(cell).to_contain_text("every 14 days")
    expect(cell).to_contain_text(world.customer_member.user.get_full_name())
    bridge = Bridge.objects.get(
        partnership=world.partnership,
        supplier_department=world.supplier_finance,
        customer_department=world.customer_finance,
    )
    assert (bridge.cadence_days, bridge.supplier_owner_id, bridge.customer_owner_id) == (
        14,
        world.supplier_member.pk,
        world.customer_member.pk,
    )
    page.reload()
    expect(page.get_by_test_id("threading-banner")).to_have_count(0)
    screenshot(page, "partnership-bridges.png")


def test_foreign_partnership_shows_not_found(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    sign_in(page, live_server.url, "admin@sumber.test")
    response = page.goto(f"{live_server.url}/partnerships/{world.foreign_partnership.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("PT Orang Lain")
    screenshot(page, "not-found.png")


def test_organisation_settings(page: Page, live_server: Any, world: Any, screenshot: Any) -> None:
    sign_in(page, live_server.url, "admin@sumber.test")
    page.get_by_role("link", name="Organisation", exact=True).click()
    expect(page.get_by_role("heading", name="Organisation details")).to_be_visible()
    page.get_by_role("link", name="Members").click()
    expect(page.get_by_role("table")).to_contain_text("member@sumber.test")
    screenshot(page, "settings.png")


def test_an_invited_company_signs_up_creates_its_organisation_and_accepts_in_one_flow(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    from mitra.partnerships import services

    invitation = services.partner_invitation_create(
        f.actor(world.supplier_admin),
        email="gm@griyaboga.test",
        company_name="PT Griya Boga Hotel",
        our_side="supplier",
        goals="Menu bulanan tanpa kekosongan stok.",
        message="Mari bermitra untuk musim liburan.",
    )
    page.context.add_cookies([{"name": "mitra_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/join/{services.partner_invitation_token(invitation)}/")
    expect(page.get_by_text("Mari bermitra untuk musim liburan.")).to_be_visible()
    page.get_by_label("Your full name").fill("Wayan Sudarsana")
    page.get_by_label("Password").fill("griya-boga-2026-secure")
    expect(page.get_by_label("Your organisation's name")).to_have_value("PT Griya Boga Hotel")
    screenshot(page, "join.png")
    page.get_by_role("button", name="Create my organisation and accept").click()
    expect(page.get_by_role("heading", name="Bridges")).to_be_visible()
    expect(page.locator(".orgname")).to_have_text("PT Griya Boga Hotel")
    partnership = Partnership.objects.get(supplier=world.supplier, customer__name="PT Griya Boga Hotel")
    assert partnership.status == "active" and partnership.goals == "Menu bulanan tanpa kekosongan stok."
    # The link worked once: opening it again is a friendly "not found".
    page.goto(f"{live_server.url}/join/{services.partner_invitation_token(invitation)}/")
    expect(page.get_by_text("This invitation link is not valid.")).to_be_visible()
