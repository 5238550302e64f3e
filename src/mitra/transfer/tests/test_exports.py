"""List exports: CSV and XLSX of every list page and list API operation, formula injection neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests import factories as f

from mitra.accounts import services as account_services
from mitra.accounts.models import Membership, Organisation
from mitra.cases.models import Case
from mitra.commitments.models import Commitment
from mitra.improvement.models import Initiative
from mitra.moments.models import Touchpoint
from mitra.planning.models import PlanningException
from mitra.planning.selectors import safe_cell as planning_safe_cell
from mitra.pulse.models import PulseRound
from mitra.risks import services as risk_services
from mitra.risks.models import Risk
from mitra.threads.models import Event, Notification
from mitra.transfer.exports import Column, Kind, export_table, filename, money_format, safe_cell
from mitra.value.models import ValueEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DANGEROUS = [
    "=1+2",
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "\n=1",
    '  =HYPERLINK("http://x")',
    "\uff1d1+1",  # full-width equals sign
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
]


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [[cell.value for cell in row] for row in book.active.iter_rows()]


# --- the writer ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_that_could_be_a_formula_gets_a_quote(text):
    assert safe_cell(text) == "'" + text
    assert planning_safe_cell is safe_cell, "planning uses the one implementation"


@pytest.mark.parametrize("value", ["Sari Roti", "1+1", "a=b", "", 5, -3, Decimal("-2.5"), None])
def test_harmless_cells_pass_unchanged(value):
    assert safe_cell(value) == value


COLUMNS = [
    Column("Title", lambda r: r["title"]),
    Column("Quantity", lambda r: r["qty"], Kind.NUMBER),
    Column("Amount", lambda r: r["amount"], Kind.MONEY),
    Column("Due", lambda r: r["due"], Kind.DATE),
    Column("Done", lambda r: r["done"], Kind.BOOL),
]
ROWS = [
    {"title": text, "qty": i, "amount": Decimal("1250000.50"), "due": dt.date(2026, 3, 30), "done": True}
    for i, text in enumerate(DANGEROUS)
]


def test_csv_neutralises_every_formula_and_keeps_numbers_plain(settings):
    exported = export_table(COLUMNS, ROWS, "csv", currency="IDR")
    assert exported.content_type == "text/csv; charset=utf-8" and exported.extension == "csv"
    table = read_csv(exported.content)
    assert table[0] == ["Title", "Quantity", "Amount (IDR)", "Due", "Done"]
    assert [row[0] for row in table[1:]] == ["'" + text for text in DANGEROUS]
    assert table[1][1:] == ["0", "1250000.5", "2026-03-30", "yes"]


def test_xlsx_neutralises_every_formula_and_keeps_numbers_and_dates_typed():
    exported = export_table(COLUMNS, ROWS, "xlsx", currency="IDR")
    assert exported.content_type == XLSX and exported.extension == "xlsx"
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["Title", "Quantity", "Amount (IDR)", "Due", "Done"]
    for index, text in enumerate(DANGEROUS, start=2):
        title = sheet.cell(row=index, column=1)
        # XML keeps a carriage return as a line feed; the quote in front is what matters.
        assert title.data_type == "s" and title.value == "'" + text.replace("\r", "\n"), text
    row = sheet[2]
    assert row[1].data_type == "n" and row[1].value == 0
    assert row[2].data_type == "n" and row[2].value == pytest.approx(1250000.5)
    assert row[2].number_format == money_format("IDR") == '"Rp"#,##0'
    assert row[3].is_date and row[3].value == dt.datetime(2026, 3, 30)
    assert row[4].value is True
    # No cell anywhere is a formula.
    assert not any(cell.data_type == "f" for r in sheet.iter_rows() for cell in r)


def test_the_file_name_names_the_list_the_partnership_and_the_day():
    assert filename("risks", 12, "xlsx", dt.date(2026, 11, 29)) == "risks-12-2026-11-29.xlsx"
    assert filename("members", None, "csv", dt.date(2026, 1, 2)) == "members-2026-01-02.csv"


# --- every list page ---------------------------------------------------------------------------------------


def _seed(app: str) -> Callable[[Any], dict[str, Any]]:
    return lambda world: importlib.import_module(f"tests.contracts.{app}").seed(world)


def _accounts(world: Any) -> dict[str, Any]:
    admin = f.actor(world.supplier_admin)
    account_services.invitation_create(admin, email="new.hire@sumber.test")
    account_services.api_token_create(admin, name="ERP nightly sync")
    return {}


def _closed_pulse(world: Any) -> dict[str, Any]:
    ids = _seed("pulse")(world)
    now = timezone.now()
    PulseRound.objects.filter(pk=ids["pulse_round"]).update(
        opened_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(minutes=1)
    )
    return ids


def _membership_email(world: Any, ids: dict[str, Any]) -> str:
    return world.supplier_member.user.email


P = lambda ids: {"pk": ids["partnership"]}  # noqa: E731
# page name, url kwargs, seeding, the text of a seeded row that the page and its export both show
LIST_PAGES: list[tuple[str, Callable[..., Any], Callable[..., Any], Callable[..., str]]] = [
    ("risks:list", P, _seed("risks"), lambda w, i: Risk.objects.get(pk=i["risk"]).title),
    ("partnerships:contacts", P, _seed("partnerships"), lambda w, i: "budi.santoso@sumber.test"),
    ("cases:list", P, _seed("cases"), lambda w, i: Case.objects.get(pk=i["case"]).title),
    (
        "improvement:list",
        P,
        _seed("improvement"),
        lambda w, i: Initiative.objects.get(pk=i["initiative"]).title,
    ),
    ("value:list", P, _seed("value"), lambda w, i: ValueEntry.objects.get(pk=i["value_entry"]).title),
    (
        "commitments:list",
        P,
        _seed("commitments"),
        lambda w, i: Commitment.objects.get(pk=i["commitment"]).title,
    ),
    ("moments:list", P, _seed("moments"), lambda w, i: Touchpoint.objects.get(pk=i["touchpoint"]).summary),
    (
        "pulse:overview",
        P,
        lambda w: _closed_pulse(w),
        lambda w, i: PulseRound.objects.get(pk=i["pulse_round"]).quarter,
    ),
    ("plans:list", P, _seed("plans"), lambda w, i: str(i["plan_year"])),
    (
        "threads:timeline",
        P,
        _seed("threads"),
        lambda w, i: Event.objects.filter(partnership=w.partnership)[0].title,
    ),
    (
        "threads:notifications",
        lambda i: {},
        _seed("threads"),
        lambda w, i: Notification.objects.all()[0].title,
    ),
    ("health:portfolio", lambda i: {}, _seed("health"), lambda w, i: w.customer.name),
    ("partnerships:list", lambda i: {}, lambda w: {}, lambda w, i: w.customer.name),
    ("accounts:departments", lambda i: {}, lambda w: {}, lambda w, i: w.supplier_finance.name),
    ("accounts:members", lambda i: {}, lambda w: {}, _membership_email),
    ("accounts:invitations", lambda i: {}, _accounts, lambda w, i: "new.hire@sumber.test"),
    ("accounts:tokens", lambda i: {}, _accounts, lambda w, i: "ERP nightly sync"),
    ("accounts:security", lambda i: {}, _accounts, lambda w, i: ""),
    ("planning:exceptions", P, _seed("planning"), lambda w, i: PlanningException.objects.get().item.name),
]


def _viewer(world: Any, name: str) -> Membership:
    # Notifications are the mentioned person's own; everything else is looked at by the supplier's admin.
    return world.customer_admin if name == "threads:notifications" else world.supplier_admin


@pytest.mark.parametrize(("name", "kwargs", "seed", "marker"), LIST_PAGES, ids=[p[0] for p in LIST_PAGES])
def test_every_list_page_exports_what_it_lists(client, world, name, kwargs, seed, marker):
    ids = {"partnership": world.partnership.pk, **seed(world)}
    client.force_login(_viewer(world, name).user)
    client.cookies["mitra_language"] = "en"
    url = reverse(name, kwargs=kwargs(ids))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "export=csv" in html and "export=xlsx" in html and "Export XLSX" in html
    text = marker(world, ids)
    assert text in html
    csv_response = client.get(url, {"export": "csv"})
    assert csv_response.status_code == 200 and csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"].startswith('attachment; filename="')
    table = read_csv(csv_response.content)
    assert table[0] and all(table[0]), "a header for every column"
    if text:
        assert any(text in cell for row in table[1:] for cell in row), (text, table)
    xlsx_response = client.get(url, {"export": "xlsx"})
    assert xlsx_response.status_code == 200 and xlsx_response["Content-Type"] == XLSX
    rows = read_xlsx(xlsx_response.content)
    assert len(rows) == len(table), "the same rows in both formats"
    assert [str(h) for h in rows[0]] == table[0]


def test_the_export_keeps_the_filters_and_takes_every_page(client, world):
    actor = f.actor(world.supplier_admin)
    for n in range(55):  # more than one page of 50
        risk_services.risk_create(
            actor, partnership_id=world.partnership.pk, title=f"Risk {n}", likelihood=4, impact=4
        )
    risk_services.risk_create(
        actor, partnership_id=world.partnership.pk, title="Small", likelihood=1, impact=1
    )
    client.force_login(world.supplier_admin.user)
    url = reverse("risks:list", args=[world.partnership.pk])
    html = client.get(url, {"min_score": 10, "page": 2}).content.decode()
    assert "min_score=10&amp;export=csv" in html and "page=2&amp;export" not in html
    table = read_csv(client.get(url, {"min_score": 10, "page": 2, "export": "csv"}).content)
    titles = {row[0] for row in table[1:]}
    assert len(table) == 56 and "Small" not in titles and "Risk 54" in titles


def test_a_risk_titled_like_a_formula_arrives_as_text(client, world):
    risk_services.risk_create(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        title='=HYPERLINK("http://evil.test","Klik")',
        likelihood=3,
        impact=4,
    )
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    url = reverse("risks:list", args=[world.partnership.pk])
    table = read_csv(client.get(url, {"export": "csv"}).content)
    assert table[1][0] == '\'=HYPERLINK("http://evil.test","Klik")'
    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))
    sheet = book.active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=")
    assert sheet["E1"].value == "Score" and sheet["E2"].value == 12 and sheet["E2"].data_type == "n"
    assert isinstance(sheet["L2"].value, dt.datetime)


def test_headers_follow_the_reader_language(client, world):
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "id"
    table = read_csv(
        client.get(reverse("risks:list", args=[world.partnership.pk]), {"export": "csv"}).content
    )
    assert table[0][0] == "Apa yang bisa terjadi"


def test_value_amounts_are_money_in_the_entry_currency(client, world):
    ids = _seed("value")(world)
    client.force_login(world.supplier_admin.user)
    content = client.get(reverse("value:list", args=[world.partnership.pk]), {"export": "xlsx"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    entry = ValueEntry.objects.get(pk=ids["value_entry"])
    amount = sheet["F2"]
    assert amount.data_type == "n" and Decimal(str(amount.value)) == entry.amount
    assert amount.number_format == money_format(entry.currency)


@pytest.mark.parametrize("name", ["risks:list", "cases:list", "moments:list", "planning:exceptions"])
def test_a_stranger_gets_404_and_no_file(client, world, name):
    client.force_login(world.foreign_admin.user)
    response = client.get(reverse(name, args=[world.partnership.pk]), {"export": "csv"})
    assert response.status_code == 404 and "attachment" not in response.get("Content-Disposition", "")


def test_the_pulse_export_stays_anonymous(client, world):
    ids = _closed_pulse(world)
    client.force_login(world.supplier_admin.user)
    content = client.get(reverse("pulse:overview", args=[world.partnership.pk]), {"export": "csv"}).content
    table = read_csv(content)
    quarter = PulseRound.objects.get(pk=ids["pulse_round"]).quarter
    # One person answered: below the minimum, the row says nothing, not even how many answered.
    assert table[1] == [quarter, "", "", "", ""]
    assert "Lancar" not in content.decode("utf-8-sig")


def test_own_lists_export_only_the_own_organisation(client, world):
    client.force_login(world.foreign_admin.user)
    table = read_csv(client.get(reverse("accounts:members"), {"export": "csv"}).content)
    emails = {row[1] for row in table[1:]}
    assert emails == {world.foreign_admin.user.email}
    table = read_csv(client.get(reverse("partnerships:list"), {"export": "csv"}).content)
    assert all(world.supplier.name not in cell for row in table for cell in row)


def test_an_export_costs_the_same_queries_for_3_or_30_rows(client, world):
    actor = f.actor(world.supplier_admin)
    client.force_login(world.supplier_admin.user)
    url = reverse("commitments:list", args=[world.partnership.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"export": "xlsx"}).status_code == 200
        return len(queries)

    from mitra.commitments import services as commitment_services

    def add(n: int) -> None:
        for i in range(n):
            commitment_services.commitment_create(
                actor,
                partnership_id=world.partnership.pk,
                title=f"Kirim jadwal {i}",
                owner_id=world.supplier_admin.pk,
                due_date=dt.date.today() + dt.timedelta(days=7),
            )

    add(3)
    few = count()
    add(27)
    assert count() == few


# --- the API ---------------------------------------------------------------------------------------------


def _bearer(membership: Membership) -> dict[str, str]:
    _token, raw = account_services.api_token_create(f.actor(membership), name="export")
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_exports_a_list_with_its_filters(client, world):
    actor = f.actor(world.supplier_admin)
    for title, likelihood in (("Banjir di gudang", 5), ("Harga gula naik", 1)):
        risk_services.risk_create(
            actor, partnership_id=world.partnership.pk, title=title, likelihood=likelihood, impact=4
        )
    url = f"/api/v1/partnerships/{world.partnership.pk}/risks/export"
    response = client.get(url, {"min_score": 10, "format": "xlsx"}, headers=_bearer(world.customer_admin))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    rows = read_xlsx(response.content)
    assert [r[0] for r in rows[1:]] == ["Banjir di gudang"]
    csv_response = client.get(url, headers=_bearer(world.supplier_admin))
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(read_csv(csv_response.content)) == 3
    assert client.get(url, {"format": "pdf"}, headers=_bearer(world.supplier_admin)).status_code == 422
    stranger = client.get(url, headers=_bearer(world.foreign_admin))
    assert stranger.status_code == 404 and stranger.json()["code"] == "not_found"


def test_the_api_portfolio_export_lists_only_the_own_partnerships(client, world):
    response = client.get("/api/v1/portfolio/export", headers=_bearer(world.foreign_admin))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert world.customer.name not in text and world.supplier.name not in text
    assert Organisation.objects.filter(name=world.customer.name).exists()


def test_xlsx_drops_control_characters_a_worksheet_cannot_hold():
    rows = [{"title": "ES\x1b · PT Ritel\x00 Maju", "qty": 1, "amount": None, "due": None, "done": False}]
    exported = export_table(COLUMNS, rows, "xlsx", currency="IDR")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert sheet.cell(row=2, column=1).value == "ES · PT Ritel Maju"
