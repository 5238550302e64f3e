"""The health pages: the portfolio and a partnership's health page, in English and Indonesian."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from tests import factories as f

from mitra.commitments.models import Commitment
from mitra.health.models import AlertStatus, HealthAlert, HealthSettings, HealthSnapshot
from mitra.partnerships.models import Partnership

pytestmark = pytest.mark.django_db

DIMS = {
    "commitment": 80.0,
    "customer_focus": 72.5,
    "improvement": 40.0,
    "moments_of_truth": 66.0,
    "mutual_value": 90.0,
    "breadth": None,
    "anticipation": 55.0,
    "competitive_immunity": 75.0,
}
WEIGHTS = {
    "commitment": 0.15,
    "customer_focus": 0.15,
    "improvement": 0.10,
    "moments_of_truth": 0.15,
    "mutual_value": 0.15,
    "breadth": 0.10,
    "anticipation": 0.10,
    "competitive_immunity": 0.10,
}
DRIVER = {
    "rank": 1,
    "dimension": "commitment",
    "component": "supplier_on_time",
    "source": "commitments",
    "metrics": ["supplier_commitments_kept", "supplier_commitments_settled"],
    "value": 60.0,
    "previous": 80.0,
    "contribution": -2.25,
}


def this_monday() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def snapshots(partnership: Partnership, scores: list[float | None], **latest: Any) -> list[HealthSnapshot]:
    """Weekly snapshots ending this week, oldest first; the latest gets ``DIMS``, ``DRIVER`` and ``latest``."""
    monday = this_monday()
    rows = []
    for i, s in enumerate(scores):
        last = i == len(scores) - 1
        fields: dict[str, Any] = {
            "partnership": partnership,
            "week": monday - dt.timedelta(weeks=len(scores) - 1 - i),
            "score": s,
            "band": "no_data" if s is None else ("red" if s < 50 else "amber" if s < 70 else "green"),
            "delta_1w": None,
            "delta_4w": None,
            "dimensions": DIMS if last else {},
            "drivers": [DRIVER] if last else [],
            "weights": WEIGHTS,
        }
        if last:
            fields.update(latest)
        rows.append(HealthSnapshot.objects.create(**fields))
    return rows


def alert(partnership: Partnership, **fields: Any) -> HealthAlert:
    values: dict[str, Any] = {
        "type": "single_threaded",
        "reason": "single_threaded",
        "priority": "medium",
        "value": 1.0,
        "week": this_monday(),
        "opened_week": this_monday(),
        **fields,
    }
    return HealthAlert.objects.create(partnership=partnership, **values)


def health(world) -> str:
    return f"/partnerships/{world.partnership.pk}/health/"


def get(client, member, path: str, language: str = "en") -> str:
    client.force_login(member.user)
    client.cookies["mitra_language"] = language
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the portfolio -----------------------------------------------------------------------------------


def test_the_portfolio_shows_score_band_trend_sparkline_driver_and_alerts(client, world):
    snapshots(world.partnership, [60, 61, None, 64, 71.6], delta_1w=7.6, delta_4w=-3.0)
    alert(
        world.partnership, priority="high", type="owner_left", reason="owner_left.customer", side="customer"
    )
    alert(world.partnership)
    html = get(client, world.supplier_admin, "/health/")
    row = html.split('data-testid="portfolio-row"')[1]
    assert world.customer.name in row and f'href="/partnerships/{world.partnership.pk}/health/"' in row
    assert ">72<" in row  # the score, rounded
    assert 'health-band--green">Green<' in row  # colour with text, not colour only
    # numbers are written the Indonesian way in both languages (see mitra.web.formatting)
    assert "+7,6" in row and "\u22123" in row  # signed changes
    assert 'data-testid="sparkline"' in row and row.count("<polyline") == 2  # the missing week is a gap
    assert 'role="img"' in row
    assert "Supplier on-time commitments" in row and "\u22122,2" in row and "▼" in row
    assert ">2</a>" in row and "health-priority--high" in row and ">High<" in row
    assert 'aria-sort="ascending"' in html  # sorted by score by default
    assert 'href="/health/"' in html and ">Portfolio<" in html  # the main navigation link


def test_the_portfolio_sorts_on_the_server_by_the_clicked_column(client, world):
    other = f.OrganisationFactory(name="CV Aneka Pangan")
    second = f.PartnershipFactory(supplier=world.supplier, customer=other)
    snapshots(world.partnership, [80])
    snapshots(second, [45])
    client.force_login(world.supplier_admin.user)

    def order(query: str) -> list[str]:
        html = client.get("/health/" + query).content.decode()
        return [name for name in re.findall(r'class="table__primary"[^>]*>([^<]+)<', html)]

    assert order("?sort=score&dir=asc") == [other.name, world.customer.name]
    assert order("?sort=score&dir=desc") == [world.customer.name, other.name]
    assert order("?sort=partner&dir=asc") == [other.name, world.customer.name]  # "CV…" before "PT…"
    assert order("?sort=nonsense") == [other.name, world.customer.name]  # falls back to the score
    html = client.get("/health/?sort=partner&dir=desc").content.decode()
    assert html.count("aria-sort=") == 1 and 'aria-sort="descending"' in html
    # the active header's link flips the direction; the others start ascending
    assert 'href="?sort=partner&amp;dir=asc"' in html and 'href="?sort=score&amp;dir=asc"' in html


def test_the_portfolio_says_so_when_no_partnership_has_a_score_yet(client, world):
    html = get(client, world.customer_member, "/health/")
    assert 'data-testid="portfolio-empty"' in html and "No health score yet" in html
    assert world.foreign.name not in html


def test_the_portfolio_lists_only_my_organisations_partnerships(client, world):
    snapshots(world.partnership, [70])
    snapshots(world.foreign_partnership, [30])
    html = get(client, world.foreign_admin, "/health/")
    assert world.customer.name not in html and world.supplier.name not in html
    assert html.count('data-testid="portfolio-row"') == 1


# --- a partnership's health page ---------------------------------------------------------------------


def _health_content(html: str) -> str:
    """The health sections of the page, without the per-session CSRF tokens."""
    body = html.split('data-testid="headline"', 1)[1].split('id="weights"', 1)[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_both_sides_see_the_same_health_content(client, world):
    snapshots(world.partnership, [50 + i for i in range(30)], delta_1w=1.0, delta_4w=4.0)
    alert(world.partnership)
    supplier = get(client, world.supplier_admin, health(world))
    customer = get(client, world.customer_admin, health(world))
    assert _health_content(supplier) == _health_content(customer)
    assert 'aria-current="page">Health<' in supplier  # the workspace tab


def test_the_health_page_has_headline_bars_trend_drivers_alerts_and_weights(client, world):
    scores: list[float | None] = [60.0 + i % 5 for i in range(26)]
    scores[10] = None
    snapshots(world.partnership, scores, delta_1w=-2.5, delta_4w=3.0)
    alert(
        world.partnership,
        type="dimension_red",
        reason="dimension_red.improvement",
        dimension="improvement",
        value=40.0,
    )
    html = get(client, world.supplier_member, health(world))
    headline = html.split('data-testid="headline"')[1].split("</section>")[0]
    assert ">60<" in headline and "Amber" in headline and "\u22122,5" in headline and "+3" in headline
    # dimension bars: seven bars, and breadth says "no data" instead of drawing a 0 bar
    dims = html.split('data-testid="dimensions"')[1].split("</table>")[0]
    assert dims.count('data-testid="dimension-bar"') == 7
    assert dims.count('data-testid="no-data"') == 1 and "no data" in dims
    breadth = dims.split(">Breadth<")[1].split("</tr>")[0]
    assert "dimension-bar" not in breadth and "10%" in breadth  # its weight is still shown
    assert 'width="80"' in dims and 'aria-label="Improvement: 40"' in dims  # 40 of the 200-wide bar
    # the 26-week trend: a gap for the missing week, a title per scored week, band zones
    trend = html.split('data-testid="trend-chart"')[1].split("</svg>")[0]
    assert trend.count("<polyline") == 2 and trend.count("<circle") == 25
    assert trend.count("health-zone--") == 3 and "<title>" in trend
    # the driver sentence links to the records of its workflow
    drivers = html.split('data-testid="drivers"')[1].split("</ul>")[0]
    assert f'href="/partnerships/{world.partnership.pk}/commitments/"' in drivers
    assert "Supplier on-time commitments fell from 80 to 60" in drivers and "\u22122,2 points" in drivers
    # the alert and its actions; the weights and the proposal form
    alerts = html.split('data-testid="alerts"')[1].split("</table>")[0]
    assert "Improvement is in red at 40." in alerts and "Medium" in alerts
    assert "Acknowledge" in alerts and "Adopt playbook" in alerts
    weights = html.split('data-testid="weights"')[1].split("</table>")[0]
    assert "15%" in weights and ">50<" in weights and ">70<" in weights
    assert 'data-testid="propose-form"' in html and 'name="version" value="1"' in html
    assert '<script src="http' not in html  # no CDN


def test_a_partnership_without_a_score_says_so(client, world):
    html = get(client, world.customer_admin, health(world))
    assert 'data-testid="health-empty"' in html and "No health score yet" in html
    assert 'data-testid="trend-chart"' not in html
    assert 'data-testid="no-alerts"' in html


def test_a_viewer_sees_the_health_but_no_buttons(client, world):
    snapshots(world.partnership, [60, 62])
    alert(world.partnership)
    html = get(client, world.supplier_viewer, health(world))
    assert 'data-testid="trend-chart"' in html and 'data-testid="alerts"' in html
    assert "Adopt playbook" not in html and 'data-testid="propose-form"' not in html


@pytest.mark.parametrize(
    "suffix", ["", "alerts/{a}/acknowledge/", "alerts/{a}/adopt/", "weights/", "weights/agree/"]
)
def test_a_stranger_gets_404_and_changes_nothing(client, world, suffix):
    snapshots(world.partnership, [60])
    item = alert(world.partnership)
    client.force_login(world.foreign_admin.user)
    path = health(world) + suffix.format(a=item.pk)
    assert client.get(path).status_code in (404, 405)
    assert client.post(path, {"version": 0}).status_code == 404
    item.refresh_from_db()
    assert item.status == AlertStatus.OPEN and not HealthSettings.objects.exists()


def test_an_alert_of_another_partnership_is_404(client, world):
    snapshots(world.partnership, [60])
    foreign = alert(world.foreign_partnership)
    client.force_login(world.supplier_admin.user)
    assert client.get(health(world) + f"alerts/{foreign.pk}/adopt/").status_code == 404
    assert client.post(health(world) + f"alerts/{foreign.pk}/acknowledge/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == AlertStatus.OPEN


# --- acting from the page ----------------------------------------------------------------------------


def test_acknowledging_an_alert_from_the_page(client, world):
    snapshots(world.partnership, [60])
    item = alert(world.partnership)
    client.force_login(world.customer_member.user)
    client.cookies["mitra_language"] = "en"
    response = client.post(health(world) + f"alerts/{item.pk}/acknowledge/", follow=True)
    assert response.status_code == 200 and "Alert acknowledged." in response.content.decode()
    item.refresh_from_db()
    assert item.status == AlertStatus.ACKNOWLEDGED and item.acknowledged_by == world.customer_member.user
    # a second click says why nothing happened
    again = client.post(health(world) + f"alerts/{item.pk}/acknowledge/", follow=True).content.decode()
    assert "already been acknowledged" in again


def test_adopting_a_playbook_shows_the_suggestions_first_then_creates_them(client, world):
    snapshots(world.partnership, [60])
    item = alert(world.partnership)  # single-threaded: open a second bridge, name a counterpart
    html = get(client, world.supplier_admin, health(world) + f"alerts/{item.pk}/adopt/")
    table = html.split('data-testid="suggestions"')[1].split("</table>")[0]
    assert "Open a second bridge between departments" in table
    assert "Name a counterpart for the new bridge" in table
    assert "badge--supplier" in table and "badge--customer" in table
    assert world.supplier_admin.user.full_name in table
    assert Commitment.objects.count() == 0  # looking adopts nothing
    response = client.post(health(world) + f"alerts/{item.pk}/adopt/", follow=True)
    assert response.status_code == 200
    assert "Playbook adopted: 2 commitments created." in response.content.decode()
    item.refresh_from_db()
    assert item.adopted_at is not None and item.commitments.count() == 2
    assert set(Commitment.objects.values_list("owner_side", flat=True)) == {"supplier", "customer"}


def _proposal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {d: 10 for d in WEIGHTS}
    data.update(commitment=30, red_below=40, green_from=75, note="Commitments matter most to us", version=1)
    data.update(changes)
    return data


def test_proposing_weights_shows_errors_next_to_the_fields(client, world):
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    response = client.post(health(world) + "weights/", _proposal(green_from=30))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_green_from_error"' in html and "Green must start at or above" in html
    assert '<details class="health-propose" open>' in html
    response = client.post(health(world) + "weights/", _proposal(breadth=-1))
    assert 'id="id_breadth_error"' in response.content.decode()  # the form's own bounds
    zero = client.post(health(world) + "weights/", _proposal(**{d: 0 for d in WEIGHTS}))
    assert "At least one dimension needs a weight above 0." in zero.content.decode()
    stale = client.post(health(world) + "weights/", _proposal(version=7))
    assert stale.status_code == 400 and 'role="alert"' in stale.content.decode()
    assert not HealthSettings.objects.filter(proposed_weights__isnull=False).exists()


def test_one_side_proposes_and_the_other_agrees_through_the_page(
    client, world, django_capture_on_commit_callbacks
):
    snapshots(world.partnership, [60])
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    response = client.post(health(world) + "weights/", _proposal(), follow=True)
    html = response.content.decode()
    assert "Weights proposed." in html and 'data-testid="proposal"' in html
    assert "Waiting for the other side" in html and ">Agree<" not in html
    row = HealthSettings.objects.get(partnership=world.partnership)
    # the other side sees the proposal with Agree / Decline, and agrees
    html = get(client, world.customer_admin, health(world))
    proposal = html.split('data-testid="proposal"')[1]
    assert "Commitments matter most to us" in proposal and "30%" in proposal  # 30 of 100
    assert ">Agree<" in proposal and ">Decline<" in proposal
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(health(world) + "weights/agree/", {"version": row.version}, follow=True)
    assert "Weights agreed." in response.content.decode()
    row.refresh_from_db()
    assert row.proposed_weights is None and row.red_below == 40 and row.green_from == 75
    assert row.weights["commitment"] == pytest.approx(0.3)


def test_the_other_side_can_decline_and_a_stale_answer_is_refused(client, world):
    client.force_login(world.customer_admin.user)
    client.cookies["mitra_language"] = "en"
    client.post(health(world) + "weights/", _proposal())
    row = HealthSettings.objects.get(partnership=world.partnership)
    client.force_login(world.supplier_admin.user)
    stale = client.post(health(world) + "weights/decline/", {"version": row.version - 1}, follow=True)
    assert stale.status_code == 200
    row.refresh_from_db()
    assert row.proposed_weights is not None
    response = client.post(health(world) + "weights/decline/", {"version": row.version}, follow=True)
    assert "Proposal declined." in response.content.decode()
    row.refresh_from_db()
    assert row.proposed_weights is None and row.agreed_at is None


# --- languages and the overview card -----------------------------------------------------------------


def test_the_pages_render_in_indonesian(client, world):
    snapshots(world.partnership, [55, 58, 61])
    alert(world.partnership)
    for path in ("/health/", health(world), health(world) + f"alerts/{HealthAlert.objects.get().pk}/adopt/"):
        html = get(client, world.customer_admin, path, language="id")
        assert 'lang="id"' in html
        assert "<svg" in html or "suggestions" in html
    html = get(client, world.customer_admin, health(world), language="id")
    assert 'data-testid="trend-chart"' in html
    assert "Kemitraan" in html  # the shared chrome in Indonesian


def test_the_partnership_overview_has_a_health_card(client, world):
    snapshots(world.partnership, [60, 44.4], delta_4w=-15.6)
    alert(world.partnership, type="score_drop", reason="score_drop", priority="high", value=15.6)
    html = get(client, world.supplier_admin, f"/partnerships/{world.partnership.pk}/")
    card = html.split('data-testid="health-card"')[1].split("</section>")[0]
    assert ">44<" in card and "Red" in card and "\u221215,6" in card
    assert "The health score fell 16 points within two weeks." in card
    empty = get(client, world.supplier_admin, f"/partnerships/{world.partnership.pk}/")
    assert 'data-testid="health-card"' in empty


def test_the_portfolio_is_paged_and_keeps_the_sort(client, world, monkeypatch):
    from mitra.health import views

    monkeypatch.setattr(views, "PORTFOLIO_PAGE_SIZE", 1)
    other = f.OrganisationFactory(name="CV Aneka Pangan")
    second = f.PartnershipFactory(supplier=world.supplier, customer=other)
    snapshots(world.partnership, [80])
    snapshots(second, [45])
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    first = client.get("/health/?sort=score&dir=desc").content.decode()
    assert world.customer.name in first and other.name not in first
    assert 'href="?sort=score&amp;dir=desc&amp;page=2"' in first
    assert "Page 1 of 2 (2 partnerships)" in first
    page_two = client.get("/health/?sort=score&dir=desc&page=2").content.decode()
    assert other.name in page_two and world.customer.name not in page_two


def test_adopting_with_chosen_owners(client, world):
    snapshots(world.partnership, [60])
    item = alert(world.partnership)
    html = get(client, world.supplier_admin, health(world) + f"alerts/{item.pk}/adopt/")
    assert 'name="owner_supplier"' in html and 'name="owner_customer"' in html
    # the customer's select offers the customer's members only
    customer_select = html.split('name="owner_customer"')[1].split("</select>")[0]
    assert f'value="{world.customer_member.pk}"' in customer_select
    assert f'value="{world.supplier_member.pk}"' not in customer_select
    response = client.post(
        health(world) + f"alerts/{item.pk}/adopt/",
        {"owner_supplier": world.supplier_member.pk, "owner_customer": world.customer_member.pk},
        follow=True,
    )
    assert "Playbook adopted: 2 commitments created." in response.content.decode()
    owners = dict(Commitment.objects.values_list("owner_side", "owner_id"))
    assert owners == {"supplier": world.supplier_member.pk, "customer": world.customer_member.pk}


def test_adopting_with_an_owner_of_the_wrong_side_says_why_and_creates_nothing(client, world):
    snapshots(world.partnership, [60])
    item = alert(world.partnership)
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    response = client.post(
        health(world) + f"alerts/{item.pk}/adopt/",
        {"owner_supplier": world.supplier_member.pk, "owner_customer": world.supplier_member.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    customer_field = html.split('name="owner_customer"')[1].split("</div>")[0]
    assert "must be a member of the customer" in customer_field  # next to the customer's choice
    assert 'aria-invalid="true"' in html.split('name="owner_customer"')[1].split(">")[0]
    assert Commitment.objects.count() == 0


def test_the_portfolio_marks_partnerships_that_are_not_active(client, world):
    snapshots(world.partnership, [70])
    Partnership.objects.filter(pk=world.partnership.pk).update(status="paused")
    html = get(client, world.supplier_admin, "/health/")
    row = html.split('data-testid="portfolio-row"')[1].split("</tr>")[0]
    assert "badge--paused" in row and "Paused" in row


def test_a_closed_alert_offers_no_adoption(client, world):
    snapshots(world.partnership, [60])
    item = alert(world.partnership, status="closed", closed_why="cleared")
    html = get(client, world.supplier_admin, health(world) + f"alerts/{item.pk}/adopt/")
    assert "Adopt these commitments" not in html
    assert "This alert has closed" in html


def test_the_proposing_side_can_withdraw_from_the_page(client, world):
    from mitra.health import services

    snapshots(world.partnership, [60])
    services.health_settings_propose(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        weights={d: 10 for d in WEIGHTS},
        red_below=40,
        green_from=75,
    )
    html = get(client, world.supplier_member, health(world))
    assert "Withdraw the proposal" in html
    row = HealthSettings.objects.get()
    response = client.post(health(world) + "weights/decline/", {"version": row.version}, follow=True)
    assert "Proposal withdrawn." in response.content.decode()
    assert HealthSettings.objects.get().proposed_weights is None
