"""The cases journey in a real browser: the supplier raises a case with the customer's desired outcome, adds
two options, chooses one and resolves it; the customer confirms and the case is closed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mitra.cases.models import Case
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.e2e


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_raise_a_case_choose_resolve_and_the_customer_confirms(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    base = live_server.url
    p = world.partnership.pk
    sign_in(page, base, "member@sumber.test")
    page.goto(f"{base}/partnerships/{p}/cases/")
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    page.get_by_role("link", name="Raise a case").click()

    page.get_by_label("Title").fill("Crushed cartons at the Cikarang DC")
    page.get_by_label("What happened").fill("Three pallets of instant noodles arrived crushed on Monday.")
    # Without the customer's desired outcome the case is refused, next to the field.
    page.get_by_role("button", name="Raise the case").click()
    expect(page.locator("#id_desired_outcome_error")).to_be_visible()
    page.get_by_label("Desired outcome, in the customer's words").fill(
        "Undamaged cartons on our shelves before the weekend promotion."
    )
    page.get_by_label("Stated by (customer side)").select_option(
        label=world.customer_admin.user.get_full_name()
    )
    page.get_by_label(re.compile(r"^Severity")).select_option("high")
    page.get_by_label(re.compile(r"^Category")).select_option("quality")
    page.get_by_label("Root-cause category").select_option("material")
    page.get_by_role("button", name="Raise the case").click()

    expect(page.get_by_test_id("case-title")).to_have_text("Crushed cartons at the Cikarang DC")
    expect(page.get_by_test_id("desired-outcome")).to_contain_text("Undamaged cartons")
    expect(page.get_by_text("waiting for the customer side to confirm it")).to_be_visible()

    for summary, to_customer, to_supplier in (
        ("Replace the pallets from the Bekasi stock", "+2", "−1"),
        ("New pallet wrapping, shared cost", "+2", "+1"),
    ):
        page.get_by_label(re.compile(r"^Option\b")).fill(summary)
        page.get_by_label("Value to the customer").select_option(label=to_customer)
        page.get_by_label("Value to the supplier").select_option(label=to_supplier)
        page.get_by_role("button", name="Add the option").click()
        expect(page.locator("#case-options")).to_contain_text(summary)

    win_win = page.locator("#case-options tr.cases-winwin")
    expect(win_win).to_have_count(1)
    expect(win_win).to_contain_text("New pallet wrapping")
    page.get_by_label("Choose New pallet wrapping, shared cost").check()
    page.get_by_role("button", name="Choose this option").click()
    expect(page.get_by_test_id("case-status")).to_have_text("In progress")

    page.get_by_label("Resolution note").fill("Wrapping changed from this week's deliveries.")
    page.get_by_role("button", name="Mark resolved").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Resolved")
    case = Case.objects.get(title="Crushed cartons at the Cikarang DC")
    assert case.status == "resolved" and not case.outcome_confirmed

    sign_out(page)
    sign_in(page, base, "admin@ritel.test")
    page.goto(f"{base}{case.get_absolute_url()}")
    expect(page.get_by_role("button", name="Confirm and close")).to_be_visible()
    page.get_by_role("button", name="Confirm and close").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Closed")
    expect(page.get_by_text("Confirmed by the customer")).to_be_visible()
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome_confirmed
    screenshot(page, "case.png")

    page.get_by_role("link", name="← Cases").click()
    expect(page).to_have_url(re.compile(rf"/partnerships/{p}/cases/$"))
    expect(page.locator("#cases")).to_contain_text("Closed")
