"""The planning pages: the board (exceptions first, a chart per series), exceptions, proposals and orders,
the data upload with its dry run, the terms and the simulation, for both sides, a viewer and a stranger."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests import factories as f

from mitra.planning import runs
from mitra.planning.models import (
    ForecastLine,
    Item,
    Order,
    OrderProposal,
    PlanningAgreement,
    PlanningCycle,
    PlanningException,
    SellOut,
)
from mitra.planning.services import planning_agreement_propose
from mitra.planning.tests.test_runs import TODAY, seed

pytestmark = pytest.mark.django_db

PAGES = {
    "": "Collaborative planning",
    "exceptions/": "Exceptions",
    "proposals/": "Order proposals",
    "orders/": "Orders",
    "data/": "Planning data",
    "terms/": "Planning terms",
    "simulation/": "Push or partnering",
}

TERMS_FORM = {
    "consensus_rule": "blend",
    "supplier_weight": 60,
    "horizon_weeks": 8,
    "season_length": 52,
    "review_weeks": 1,
    "service_level": "97.5",
    "mode": "replenish",
    "vmi_min_weeks": 2,
    "vmi_max_weeks": 6,
    "use_holidays": "on",
    "forecast_gap_pct": 20,
    "wape_pct": 30,
    "version_change_pct": 25,
    "min_weeks_cover": 1,
    "max_weeks_cover": 8,
    "check_capacity": "on",
}


def planned(world) -> int:
    seed(world)
    runs.run(world.partnership.pk, today=TODAY)
    return world.partnership.pk


def url(world, tail: str = "") -> str:
    return f"/partnerships/{world.partnership.pk}/planning/{tail}"


def login(client, member, language: str = "en") -> None:
    client.force_login(member.user)
    client.cookies["mitra_language"] = language


def get(client, member, path: str, language: str = "en") -> str:
    login(client, member, language)
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def csv_file(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_every_page_renders_for_both_sides(client, world):
    planned(world)
    for member in (world.supplier_admin, world.customer_admin):
        for tail, heading in PAGES.items():
            html = get(client, member, url(world, tail))
            assert f"<h1>{heading}</h1>" in html, tail
            assert 'aria-current="page">Planning<' in html  # the partnership's tab


def test_every_page_is_indonesian_too(client, world):
    planned(world)
    html = get(client, world.customer_admin, url(world), language="id")
    assert '<html lang="id">' in html
    assert html.count('data-testid="series-chart"') == 2


def test_the_board_puts_the_urgent_series_first_with_its_exceptions_chart_and_proposal(client, world):
    planned(world)
    html = get(client, world.supplier_member, url(world))
    cards = html.split('data-testid="series-card"')[1:]
    assert len(cards) == 2
    kecap, sambal = cards
    # Kecap runs out (10 on hand for ~45 a week) and sells above the capacity of 30: high priority first
    assert "Kecap" in kecap and "SR-001 / RM-1" in kecap and "DC Cikarang" in kecap
    assert ">Low stock<" in kecap and ">Above capacity<" in kecap and ">High<" in kecap
    assert "against a threshold of 1 week of cover" in kecap
    assert "planning-card--urgent" in html.split('data-testid="series-card"')[0][-200:]
    assert "Sambal" in sambal and ">Overstock<" in sambal
    # one chart per series: history, statistical forecast, consensus and its band, marked weeks
    for card in cards:
        chart = card.split('data-testid="series-chart"')[1].split("</svg>")[0]
        assert 'role="img"' in card
        assert "planning-line--history" in chart and "planning-line--consensus" in chart
        assert "planning-line--statistical" in chart and "planning-band" in chart
        assert ">Ramadan<" in chart and ">Lebaran<" in chart and ">Christmas<" in chart
        assert ">Sell-out<" in chart and ">Consensus<" in chart
    proposal = OrderProposal.objects.get(item__supplier_sku="SR-001")
    assert 'data-testid="series-proposal"' in kecap and f"{int(proposal.quantity)} pcs (Proposed)" in kecap
    assert 'data-testid="series-proposal"' not in sambal
    # the header: the cycle, its counts and the run button
    counts = html.split('data-testid="counts"')[1].split("</dl>")[0]
    open_count = PlanningException.objects.filter(status="open").count()
    assert f'?status=open">{open_count}</a>' in counts, counts
    assert 'proposals/">1</a>' in counts, counts  # open exceptions, open proposals
    assert "Planning cycle of the week of 23 Nov 2026" in html
    assert ">Run planning<" in html and 'data-testid="run-status"' in html


def test_the_board_says_what_to_do_before_any_data(client, world):
    html = get(client, world.customer_admin, url(world))
    assert 'data-testid="board-empty"' in html and "Nothing to plan yet" in html
    assert ">Not run<" in html


def test_run_planning_queues_the_run_and_the_status_polls_until_done(client, world):
    pid = planned(world)
    login(client, world.supplier_member)
    response = client.post(url(world, "run/"))
    assert response.status_code == 302 and response["Location"] == url(world)
    cycle = runs.current_cycle(pid)
    assert PlanningCycle.objects.get(pk=cycle.pk).run_status == "queued"
    fragment = client.get(url(world, "run/status/")).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and ">Queued<" in fragment and "<progress" in fragment
    # a second run while one is queued is refused with a message
    client.post(url(world, "run/"))
    html = client.get(url(world)).content.decode()
    assert "A planning run of this cycle is already under way." in html
    PlanningCycle.objects.filter(pk=cycle.pk).update(run_status="done", run_progress=100)
    done = client.get(url(world, "run/status/") + "?poll=1")
    assert done["HX-Refresh"] == "true" and "every 2s" not in done.content.decode()


def test_a_stranger_gets_404_everywhere(client, world):
    planned(world)
    exception = PlanningException.objects.first()
    assert exception is not None
    login(client, world.foreign_admin)
    for tail in [*PAGES, "run/status/", "orders/1/export.csv"]:
        assert client.get(url(world, tail)).status_code == 404, tail
    before = PlanningException.objects.filter(status="open").count()
    for tail in (
        "run/",
        f"exceptions/{exception.pk}/resolve/",
        "proposals/decide/",
        "data/",
        "data/commit/",
        "terms/propose/",
        "terms/decide/",
    ):
        assert client.post(url(world, tail), {"resolution": "accepted"}).status_code == 404, tail
    assert PlanningException.objects.filter(status="open").count() == before


def test_a_viewer_reads_but_cannot_write(client, world):
    planned(world)
    exception = PlanningException.objects.filter(status="open").first()
    assert exception is not None
    html = get(client, world.supplier_viewer, url(world, "exceptions/"))
    assert 'data-testid="exception-row"' in html and 'data-testid="resolve-form"' not in html
    assert ">Run planning<" not in get(client, world.supplier_viewer, url(world))
    resolve = client.post(
        url(world, f"exceptions/{exception.pk}/resolve/"), {"resolution": "accepted", "version": 1}
    )
    assert resolve.status_code == 403
    assert client.post(url(world, "run/")).status_code == 403
    upload = client.post(
        url(world, "data/"),
        {"kind": "locations", "file": csv_file("code,name\nST1,Store one\n")},
    )
    assert upload.status_code == 403
    assert client.post(url(world, "terms/propose/"), {**TERMS_FORM, "version": 1}).status_code == 403
    assert client.post(url(world, "terms/decide/"), {"action": "agree", "version": 1}).status_code == 403
    assert (
        client.post(url(world, "proposals/decide/"), {"proposal": [1], "action": "reject"}).status_code == 403
    )
    exception.refresh_from_db()
    assert exception.status == "open" and exception.version == 1
    assert PlanningCycle.objects.get().run_status == "idle"
    assert PlanningAgreement.objects.get().status == "agreed"


def test_resolving_an_exception_records_who_when_and_the_code(client, world):
    planned(world)
    exception = PlanningException.objects.get(criterion="low_stock")
    login(client, world.customer_member)
    response = client.post(
        url(world, f"exceptions/{exception.pk}/resolve/"),
        {"resolution": "order_changed", "note": "Extra truck on Friday", "version": exception.version},
    )
    assert response.status_code == 302
    exception.refresh_from_db()
    assert exception.status == "resolved" and exception.resolution == "order_changed"
    assert exception.resolved_by == world.customer_member.user
    html = client.get(url(world, "exceptions/?status=resolved")).content.decode()
    assert html.count('data-testid="exception-row"') == 1
    row = html.split('data-testid="resolution"')[1].split("</td>")[0]
    assert "Order changed" in row and world.customer_member.user.get_full_name() in row
    assert "Extra truck on Friday" in row
    # a resolution is required; resolving twice is refused with a message
    again = client.post(
        url(world, f"exceptions/{exception.pk}/resolve/"), {"resolution": "accepted", "version": 2}
    )
    assert again.status_code == 302
    assert "already resolved" in client.get(url(world, "exceptions/")).content.decode()
    open_html = client.get(url(world, "exceptions/?status=open&criterion=low_stock")).content.decode()
    assert 'data-testid="no-exceptions"' in open_html


def test_the_customer_confirms_a_proposal_into_an_order_with_a_csv(client, world):
    planned(world)
    proposal = OrderProposal.objects.get()
    html = get(client, world.customer_admin, url(world, "proposals/"))
    assert f'name="proposal" value="{proposal.pk}"' in html and 'data-testid="buyer-confirms"' not in html
    response = client.post(
        url(world, "proposals/decide/"),
        {
            "proposal": [proposal.pk],
            "action": "confirm",
            f"quantity_{proposal.pk}": "100",
            f"original_{proposal.pk}": f"{proposal.quantity.normalize():f}",
        },
    )
    assert response.status_code == 302 and response["Location"] == url(world, "orders/")
    order = Order.objects.get()
    line = order.lines.get()
    assert line.quantity == 102  # 100 rounded up to whole case packs of 6
    proposal.refresh_from_db()
    assert proposal.status == "confirmed" and proposal.order == order
    orders = client.get(url(world, "orders/")).content.decode()
    assert order.number in orders and "1 order confirmed" in orders and ">102 <" in orders
    csv = client.get(url(world, f"orders/{order.pk}/export.csv"))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv["Content-Disposition"] == f'attachment; filename="{order.number}.csv"'
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("order_number,location,supplier_sku,customer_sku")
    assert lines[1].startswith(f"{order.number},DC,SR-001,RM-1,Kecap,102,pcs,")


def test_the_supplier_sees_proposals_read_only_and_cannot_confirm(client, world):
    planned(world)
    proposal = OrderProposal.objects.get()
    html = get(client, world.supplier_admin, url(world, "proposals/"))
    assert 'data-testid="buyer-confirms"' in html and 'name="proposal"' not in html
    assert "Kecap" in html
    response = client.post(url(world, "proposals/decide/"), {"proposal": [proposal.pk], "action": "confirm"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "proposed" and not Order.objects.exists()


def test_the_dry_run_lists_every_bad_row_and_writes_nothing(client, world):
    planned(world)
    before = SellOut.objects.count()
    login(client, world.customer_admin)
    text = (
        "sku,location,period,quantity\n"
        "SR-001,DC,2026-11-16,5\n"
        "NOPE,DC,2026-11-16,5\n"
        "SR-002,DC,16/11/2026,5\n"
        "SR-002,XX,2026-11-16,-3\n"
    )
    response = client.post(url(world, "data/"), {"kind": "sell_out", "file": csv_file(text, "sold.csv")})
    assert response.status_code == 400
    html = response.content.decode()
    errors = html.split('data-testid="row-errors"')[1].split("</section>")[0]
    assert "sold.csv: 4 errors, nothing was written" in errors
    found = re.findall(
        r'<tr data-testid="row-error"><td class="num">(\d+)</td><td><code>(\w+)</code>', errors
    )
    assert found == [("3", "sku"), ("4", "period"), ("5", "location"), ("5", "quantity")]
    assert "No item “NOPE” in this partnership." in errors
    assert "Write the date as YYYY-MM-DD." in errors and "The number cannot be negative." in errors
    assert SellOut.objects.count() == before


def test_a_clean_dry_run_previews_and_the_commit_writes(client, world):
    planned(world)
    login(client, world.supplier_admin)
    text = "supplier_sku,customer_sku,name,case_pack\nSR-003,RM-3,Teh,12\nSR-001,RM-1,Kecap Manis,6\n"
    response = client.post(url(world, "data/"), {"kind": "items", "file": csv_file(text, "items.csv")})
    assert response.status_code == 200
    html = response.content.decode()
    dry = html.split('data-testid="dry-run"')[1]
    assert 'data-testid="dry-rows">2<' in dry and 'data-testid="dry-created">1<' in dry
    assert 'data-testid="dry-updated">1<' in dry and 'data-testid="dry-unchanged">0<' in dry
    assert "<td>SR-003</td>" in dry and "<td>new</td>" in dry and "<td>changed</td>" in dry
    assert not Item.objects.filter(supplier_sku="SR-003").exists()  # a dry run writes nothing
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token is not None
    assert client.post(url(world, "data/commit/"), {"token": "wrong"}).status_code == 302
    assert not Item.objects.filter(supplier_sku="SR-003").exists()
    commit = client.post(url(world, "data/commit/"), {"token": token.group(1)})
    assert commit.status_code == 302 and commit["Location"] == url(world, "data/")
    assert Item.objects.get(supplier_sku="SR-003").case_pack == 12
    assert Item.objects.get(supplier_sku="SR-001").name == "Kecap Manis"
    page = client.get(url(world, "data/")).content.decode()
    assert "items.csv loaded: 1 new, 1 changed, 0 unchanged." in page
    # the token is spent: a second commit writes nothing more
    client.post(url(world, "data/commit/"), {"token": token.group(1)})
    assert "The checked file is no longer at hand." in client.get(url(world, "data/")).content.decode()


def test_a_side_uploads_its_own_forecast(client, world):
    planned(world)
    login(client, world.customer_admin)
    text = "sku,location,period,quantity\nRM-1,DC,2026-11-30,50\nRM-1,DC,2026-12-07,55\n"
    response = client.post(url(world, "data/"), {"kind": "forecast", "file": csv_file(text)})
    assert response.status_code == 200 and 'data-testid="dry-rows">2<' in response.content.decode()
    assert not ForecastLine.objects.filter(source="customer").exists()
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert token is not None
    client.post(url(world, "data/commit/"), {"token": token.group(1)})
    lines = ForecastLine.objects.filter(source="customer").order_by("period")
    assert [(str(x.period), x.quantity) for x in lines] == [("2026-11-30", 50.0), ("2026-12-07", 55.0)]


def test_the_data_page_lists_the_expected_columns_per_kind(client, world):
    html = get(client, world.supplier_admin, url(world, "data/"))
    columns = html.split('data-testid="columns"')[1].split("</dl>")[0]
    for label in ("Items", "Locations", "Sell-out history", "Stock positions", "Open orders", "My forecast"):
        assert f"<strong>{label}</strong>" in columns
    assert "<code>supplier_sku</code>, <code>customer_sku</code>, <code>name</code>" in columns
    assert "<code>number</code>, <code>sku</code>, <code>location</code>" in columns


def test_terms_are_proposed_by_one_side_and_agreed_by_the_other(client, world):
    planned(world)
    html = get(client, world.supplier_admin, url(world, "terms/"))
    terms = html.split('data-testid="terms"')[1].split("</table>")[0]
    assert "Consensus rule" in terms and "Weighted blend of both" in terms and "95 " not in terms
    assert "Horizon (weeks)" in terms and ">13<" in terms
    form = {**TERMS_FORM, "version": PlanningAgreement.objects.get().version}
    response = client.post(url(world, "terms/propose/"), form)
    assert response.status_code == 302
    mine = client.get(url(world, "terms/")).content.decode()
    assert "Your proposal waits for the other side" in mine and ">Agree<" not in mine
    other = get(client, world.customer_admin, url(world, "terms/"))
    changes = re.findall(r'<tr data-testid="term-change"><th scope="row">([^<]+)</th>', other)
    assert changes == [
        "Supplier&#x27;s weight in the blend (%)",
        "Horizon (weeks)",
        "Target service level (%)",
    ]
    assert ">Agree<" in other and ">Decline<" in other and 'data-testid="terms-form"' not in other
    version = PlanningAgreement.objects.get().version
    client.post(url(world, "terms/decide/"), {"action": "agree", "version": version})
    agreement = PlanningAgreement.objects.get()
    assert agreement.status == "agreed" and agreement.horizon_weeks == 8 and agreement.supplier_weight == 60


def test_an_invalid_term_is_shown_next_to_its_field(client, world):
    planned(world)
    login(client, world.customer_admin)
    response = client.post(url(world, "terms/propose/"), {**TERMS_FORM, "horizon_weeks": 99, "version": 1})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_horizon_weeks_error"' in html and "less than or equal to 52" in html
    assert PlanningAgreement.objects.get().status == "agreed"


def test_a_proposal_from_the_other_side_blocks_a_new_one(client, world):
    pid = planned(world)
    planning_agreement_propose(
        f.actor(world.customer_admin), partnership_id=pid, changes={"horizon_weeks": 6}
    )
    html = get(client, world.supplier_admin, url(world, "terms/"))
    assert "Proposed by the other side (Customer)" in html and 'data-testid="terms-form"' not in html


def test_the_simulation_compares_push_and_partnering(client, world):
    planned(world)
    html = get(client, world.customer_member, url(world, "simulation/"))
    assert "push, where the supplier ships a monthly quota" in html
    table = html.split('data-testid="simulation"')[1].split("</table>")[0]
    for measure in ("Average stock (units)", "Weeks of cover", "Fill rate", "Stock-out weeks", "Lost sales"):
        assert measure in table
    assert table.count(" %</td>") == 2  # the fill rate of each policy
    chart = html.split('data-testid="comparison-chart"')[1].split("</svg>")[0]
    assert chart.count("<rect") == 2 + 2 * 6  # the legend, and two bars per measure
    assert "2 series over 80 weeks" in html


def test_the_simulation_without_history_says_so(client, world):
    html = get(client, world.supplier_admin, url(world, "simulation/"))
    assert 'data-testid="simulation-empty"' in html and "No sell-out history yet" in html
