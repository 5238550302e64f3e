"""The value ledger in a real browser: the supplier records a gain for the customer, the customer confirms it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mitra.value import services
from mitra.value.models import ValueEntry
from tests import factories as f
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.e2e


def test_record_a_value_entry_and_confirm_it_as_the_other_side(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    # Earlier history: a confirmed gain for the supplier, and one the supplier has yet to answer.
    customer, supplier = f.actor(world.customer_admin), f.actor(world.supplier_admin)
    today = timezone.localdate()
    for title, amount, confirm in (
        ("Invoices paid in 14 instead of 45 days", "60000000", True),
        ("Full-truck-load orders instead of LTL", "18500000", False),
    ):
        earlier = services.value_entry_create(
            customer,
            partnership_id=world.partnership.pk,
            title=title,
            beneficiary_side="supplier",
            category="working_capital" if confirm else "cost_saved",
            amount=Decimal(amount),
            period_start=today - dt.timedelta(days=120),
            period_end=today - dt.timedelta(days=30),
        )
        if confirm:
            services.value_entry_confirm(supplier, partnership_id=world.partnership.pk, entry_id=earlier.pk)

    base = live_server.url
    sign_in(page, base, "member@sumber.test")
    page.get_by_role("link", name="PT Ritel Maju Bersama").click()
    page.get_by_role("navigation", name="Partnership workspace").get_by_role("link", name="Value").click()
    expect(page.get_by_role("heading", name="Balance of confirmed value")).to_be_visible()
    page.get_by_role("link", name="Record value").click()

    page.get_by_label("What was gained").fill("Lower safety stock of cooking oil at the Surabaya DC")
    page.get_by_role("radio", name="Customer").check()
    page.get_by_label("Category").select_option("stock_reduction")
    page.get_by_label("Amount").fill("125000000")
    page.get_by_label("Period start").fill("2026-01-01")
    page.get_by_label("Period end").fill("2026-03-31")
    page.get_by_label("Evidence").fill("Stock cover down from 21 to 12 days (WMS report).")
    page.get_by_role("button", name="Record", exact=True).click()

    expect(page.get_by_test_id("value-status")).to_have_text("Unconfirmed")
    expect(page.get_by_text("Waiting for the other side to confirm it.")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm this gain")).to_have_count(0)
    entry = ValueEntry.objects.get(recorded_by_side="supplier")
    assert (entry.recorded_by_side, entry.beneficiary_side, entry.status) == (
        "supplier",
        "customer",
        "unconfirmed",
    )

    # The customer signs in and confirms it.
    page.context.clear_cookies()
    sign_in(page, base, "admin@ritel.test")
    page.goto(f"{base}/partnerships/{world.partnership.pk}/value/")
    balance = page.get_by_test_id("value-balance-IDR")
    expect(balance.get_by_test_id("value-confirmed-customer")).to_contain_text("0")
    expect(page.locator("#value-entries")).to_contain_text("Unconfirmed")
    page.get_by_role("link", name="Lower safety stock of cooking oil at the Surabaya DC").click()
    page.get_by_role("button", name="Confirm this gain").click()

    expect(page.get_by_test_id("value-status")).to_have_text("Confirmed")
    expect(page.get_by_text("You confirmed this gain")).to_be_visible()
    page.get_by_role("link", name="← Value ledger").click()
    expect(balance.get_by_test_id("value-confirmed-customer")).to_contain_text(
        re.compile(r"125[.,]000[.,]000")
    )
    expect(page.locator("#value-entries")).to_contain_text("Confirmed")
    expect(balance.get_by_test_id("value-confirmed-supplier")).to_contain_text(
        re.compile(r"60[.,]000[.,]000")
    )
    # Both sides gain: no warning.
    expect(page.get_by_test_id("value-warning")).to_have_count(0)
    entry.refresh_from_db()
    assert entry.status == "confirmed" and entry.confirmed_by == world.customer_admin
    screenshot(page, "value.png")
