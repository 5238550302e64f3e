"""The Health Index pages in a real browser on the demo world, in English and in Bahasa Indonesia.

The portfolio and a partnership's health page render with their server-drawn SVG charts (sparklines, the
26-week trend chart, the dimension bars), at a real size; each pass writes the screenshots of the guide.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from mitra.demo.services import DEMO_PASSWORD, demo_seed
from mitra.health.models import HealthSnapshot
from mitra.health.services import health_recompute
from mitra.partnerships.models import Partnership

pytestmark = pytest.mark.e2e

ADMIN = "diana.hassanah@sumberrasa.example"  # PT Sumber Rasa Nusantara's admin with seed 1
HEADINGS = {
    "en": ("Portfolio health", "Partnership health"),
    "id": ("Kesehatan portofolio", "Kesehatan kemitraan"),
}


def _sign_in(page: Page, base: str, language: str) -> None:
    page.context.add_cookies([{"name": "mitra_language", "value": language, "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(ADMIN)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/partnerships/$"))


def _has_size(chart: Locator, min_width: float, min_height: float) -> None:
    box = chart.bounding_box()
    assert box is not None and box["width"] >= min_width and box["height"] >= min_height, box


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_portfolio_and_a_health_page_render_with_charts(
    page: Page, live_server: Any, screenshot: Any, language: str
) -> None:
    demo_seed(size="small")
    health_recompute()
    partnership = Partnership.objects.get(
        supplier__name="PT Sumber Rasa Nusantara", customer__name="PT Ritel Maju Bersama"
    )
    assert HealthSnapshot.objects.filter(partnership=partnership, score__isnull=False).count() >= 26
    _sign_in(page, live_server.url, language)
    portfolio_heading, health_heading = HEADINGS[language]

    # the portfolio: one row per partnership, each with its sparkline; sorting by a header click
    response = page.goto(f"{live_server.url}/health/")
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(portfolio_heading)
    rows = page.get_by_test_id("portfolio-row")
    assert rows.count() >= 2
    sparks = page.locator("svg[data-testid=sparkline]")
    expect(sparks).to_have_count(rows.count())
    _has_size(sparks.first, 100, 20)
    assert page.locator("svg[data-testid=sparkline] polyline").count() > 0
    expect(page.locator("th[aria-sort]")).to_have_count(1)
    screenshot(page, f"health-portfolio-{language}.png")
    page.locator("th a.health-sort").first.click()  # by partner
    page.wait_for_url(re.compile(r".*sort=partner&dir=asc$"))
    expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)

    # a partnership's health page, reached from the portfolio
    page.locator(f'a.table__primary[href="/partnerships/{partnership.pk}/health/"]').click()
    page.wait_for_url(re.compile(rf".*/partnerships/{partnership.pk}/health/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(health_heading)
    trend = page.locator("svg[data-testid=trend-chart]")
    expect(trend).to_be_visible()
    _has_size(trend, 400, 150)
    assert trend.locator("circle").count() >= 20  # a dot per scored week of the 26
    expect(trend.locator("rect.health-zone--red")).to_have_count(1)
    bars = page.locator("svg[data-testid=dimension-bar]")
    no_data = page.get_by_test_id("no-data")
    assert bars.count() + no_data.count() == 8  # every dimension: a bar, or says it has no data
    _has_size(bars.first, 100, 10)
    expect(page.get_by_test_id("weights")).to_be_visible()
    screenshot(page, f"health-partnership-{language}.png")
