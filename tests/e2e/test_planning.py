"""Collaborative planning in a real browser: the board with a server-drawn chart per series (English and
Bahasa Indonesia), resolving an exception, the buyer confirming a proposal into an order, the simulation.
Each pass writes the screenshots of the guide."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mitra.planning import runs
from mitra.planning.models import Order, PlanningException
from mitra.planning.tests.test_runs import TODAY, seed
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.e2e


def _planned(world: Any) -> str:
    seed(world)
    runs.run(world.partnership.pk, today=TODAY)
    return f"/partnerships/{world.partnership.pk}/planning/"


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_board_shows_a_chart_per_series(
    page: Page, live_server: Any, world: Any, screenshot: Any, language: str
) -> None:
    base = f"{live_server.url}{_planned(world)}"
    sign_in(page, live_server.url, "admin@sumber.test")  # the sign-in form's labels are English
    page.context.add_cookies([{"name": "mitra_language", "value": language, "url": live_server.url}])
    response = page.goto(base)
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    cards = page.get_by_test_id("series-card")
    expect(cards).to_have_count(2)
    for i in range(2):
        chart = cards.nth(i).locator("svg[data-testid=series-chart]")
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] >= 400 and box["height"] >= 150, box
        assert chart.locator("polyline").count() >= 3  # history, statistical forecast, consensus
    expect(cards.first).to_contain_text("Kecap")  # the series with the most urgent exception first
    expect(page.locator("svg[data-testid=series-chart] .planning-mark").first).to_be_attached()
    if language == "en":
        expect(page.get_by_role("heading", level=1)).to_have_text("Collaborative planning")
        screenshot(page, "planning-board.png")


def test_resolve_an_exception_confirm_a_proposal_and_simulate(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    path = _planned(world)
    base = f"{live_server.url}{path}"

    # the supplier resolves the low-stock exception with a resolution code and a note
    sign_in(page, live_server.url, "admin@sumber.test")
    page.goto(f"{base}exceptions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Exceptions")
    low = PlanningException.objects.get(criterion="low_stock")
    row = page.get_by_test_id("exception-row").filter(has_text="Low stock")
    row.locator("select[name=resolution]").select_option("order_changed")
    row.locator("textarea[name=note]").fill("Extra truck on Friday")
    row.get_by_role("button", name="Resolve").click()
    expect(page.locator(".alert--success")).to_contain_text("Exception resolved.")
    resolved = page.get_by_test_id("exception-row").filter(has_text="Low stock")
    expect(resolved.get_by_test_id("resolution")).to_contain_text("Order changed")
    low.refresh_from_db()
    assert low.status == "resolved"
    screenshot(page, "planning-exceptions.png")

    # the supplier sees the proposals read-only; the buyer confirms them
    page.goto(f"{base}proposals/")
    expect(page.get_by_test_id("buyer-confirms")).to_be_visible()
    expect(page.locator("input[name=proposal]")).to_have_count(0)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "admin@ritel.test")
    page.goto(f"{base}proposals/")
    proposal_row = page.get_by_test_id("proposal-row").filter(has_text="Kecap")
    proposal_row.locator("input[name=proposal]").check()
    screenshot(page, "planning-proposals.png")
    page.get_by_role("button", name="Confirm the chosen proposals").click()
    page.wait_for_url(re.compile(rf".*{re.escape(path)}orders/$"))
    order = Order.objects.get()
    expect(page.get_by_test_id("order")).to_contain_text(order.number)
    expect(page.get_by_role("link", name="Download CSV")).to_have_attribute(
        "href", f"{path}orders/{order.pk}/export.csv"
    )

    # push against partnering on the same history
    page.goto(f"{base}simulation/")
    expect(page.get_by_test_id("simulation")).to_contain_text("Fill rate")
    chart = page.locator("svg[data-testid=comparison-chart]")
    expect(chart).to_be_visible()
    assert chart.locator("rect").count() == 14
    screenshot(page, "planning-simulation.png")
