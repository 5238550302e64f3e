"""The quarterly review: what it gathers, the document (HTML and PDF, both languages), and its three doors
(the page, the API and ``mitra review``)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader
from tests import factories as f

from mitra.cases.models import Case
from mitra.commitments.models import Commitment
from mitra.core.errors import Invalid, NotFound
from mitra.health.models import HealthSnapshot
from mitra.health.tests.records import at, commitment
from mitra.improvement.models import Initiative, Measurement
from mitra.planning.models import ForecastLine, Item, Location, PlanningCycle, SellOut
from mitra.reviews.builder import Quarter, build_review, parse_quarter
from mitra.reviews.render import render_html, render_pdf
from mitra.risks.models import Risk
from mitra.value.models import ValueEntry

Q3 = "2026Q3"


# --- the quarter ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("2026-q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (" 2025Q4 ", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
    ],
)
def test_a_quarter_is_its_three_months(text, start, end):
    q = parse_quarter(text)
    assert (q.start, q.end) == (start, end)


def test_the_quarter_after_the_fourth_is_next_years_first():
    assert Quarter(2026, 4).next == Quarter(2027, 1)
    assert Quarter(2026, 1).previous == Quarter(2025, 4)


@pytest.mark.parametrize("text", ["2026Q5", "2026Q0", "Q3 2026", "2026", "26Q1", "1999Q1", "x" * 30])
def test_a_malformed_quarter_is_invalid_naming_the_field(text):
    with pytest.raises(Invalid) as caught:
        parse_quarter(text)
    assert list(caught.value.errors) == ["quarter"]
    assert "2026Q3" in caught.value.errors["quarter"][0]


# --- what it gathers -----------------------------------------------------------------------------------


def value_entry(partnership, when, *, beneficiary_side, amount, status):
    confirmed = {"confirmed_at": when} if status == "confirmed" else {}
    return ValueEntry.objects.create(
        partnership=partnership,
        title="Hemat ongkos kirim",
        beneficiary_side=beneficiary_side,
        category="cost_saved",
        amount=amount,
        currency="IDR",
        recorded_by_side="supplier",
        period_start=when.date(),
        period_end=when.date(),
        awaiting_since=when,
        status=status,
        **confirmed,
    )


def _seed(world):
    """A quarter (2026Q3) of records on both sides, and some outside it that must not count."""
    p = world.partnership
    # commitments due in Q3: the supplier kept one on time and missed one; the customer kept one late and
    # cancelled one; one is due in Q4 (the next period) and one in Q2 (not counted)
    commitment(
        p, "supplier", due_date=dt.date(2026, 7, 10), status="done", on_time=True, done_at=at("2026-07-09")
    )
    commitment(p, "supplier", due_date=dt.date(2026, 8, 10), status="missed", missed_at=at("2026-08-11"))
    commitment(
        p, "customer", due_date=dt.date(2026, 8, 20), status="done", on_time=False, done_at=at("2026-08-25")
    )
    commitment(
        p,
        "customer",
        due_date=dt.date(2026, 9, 1),
        status="cancelled",
        cancel_reason="Promo dibatalkan",
        cancelled_at=at("2026-08-30"),
    )
    Commitment.objects.create(
        partnership=p,
        title="Kirim forecast Q4",
        owner_side="customer",
        created_by_side="customer",
        due_date=dt.date(2026, 11, 2),
    )
    commitment(p, "supplier", due_date=dt.date(2026, 5, 10), status="missed", missed_at=at("2026-05-11"))
    # value: confirmed for both sides, one claim awaiting confirmation, one entry of Q2
    value_entry(p, at("2026-07-15"), beneficiary_side="customer", amount=3_000_000, status="confirmed")
    value_entry(p, at("2026-08-15"), beneficiary_side="supplier", amount=1_000_000, status="confirmed")
    value_entry(p, at("2026-09-15"), beneficiary_side="supplier", amount=500_000, status="unconfirmed")
    value_entry(p, at("2026-04-15"), beneficiary_side="supplier", amount=9_000_000, status="confirmed")
    # a case raised and closed in Q3 with its outcome confirmed, and one still open
    closed = Case.objects.create(
        partnership=p,
        title="Barcode tidak terbaca",
        raised_by_side="customer",
        desired_outcome="Semua barcode terbaca",
        outcome_entered_by_side="customer",
        sla_due_at=at("2026-07-20"),
        status="closed",
        resolved_at=at("2026-07-12"),
        closed_at=at("2026-07-14"),
        outcome_confirmed_at=at("2026-07-02"),
    )
    Case.objects.filter(pk=closed.pk).update(created_at=at("2026-07-01"))
    still_open = Case.objects.create(
        partnership=p,
        title="Truk terlambat",
        raised_by_side="customer",
        desired_outcome="Tepat waktu",
        outcome_entered_by_side="customer",
        sla_due_at=at("2026-09-20"),
    )
    Case.objects.filter(pk=still_open.pk).update(created_at=at("2026-08-05"))
    # an initiative with three measurements
    initiative = Initiative.objects.create(
        partnership=p,
        title="Akurasi invoice 99%",
        start_date=dt.date(2026, 6, 1),
        target_date=dt.date(2026, 12, 31),
        kpi_name="Invoice accuracy",
        kpi_unit="%",
        direction="increase",
        baseline=Decimal("90"),
        target=Decimal("99"),
        created_side="supplier",
    )
    for day, value in (("2026-07-01", 91), ("2026-08-01", 94), ("2026-09-01", 96)):
        Measurement.objects.create(
            initiative=initiative,
            measured_on=dt.date.fromisoformat(day),
            value=value,
            recorded_side="supplier",
        )
    # risks: one open, one closed
    Risk.objects.create(
        partnership=p, title="Banjir menutup akses DC", likelihood=4, impact=4, raised_by_side="customer"
    )
    Risk.objects.create(partnership=p, title="Sudah lewat", status="closed", raised_by_side="customer")
    # weekly health snapshots through the quarter
    week = dt.date(2026, 4, 6)
    snapshots = []
    while week <= dt.date(2026, 9, 28):
        score = 50 + (week - dt.date(2026, 4, 6)).days / 7
        snapshots.append(
            HealthSnapshot(
                partnership=p,
                week=week,
                score=score,
                band="amber" if score < 70 else "green",
                dimensions={"commitment": 80.0, "mutual_value": 40.0},
            )
        )
        week += dt.timedelta(weeks=1)
    HealthSnapshot.objects.bulk_create(snapshots)
    return p


def _planning(p):
    """Two locations, a frozen cycle of 6 July whose consensus for 13 July was 100 and 50 units, and that
    week's sell-out of 80 and 60: WAPE = (20 + 10) / 140."""
    item = Item.objects.create(partnership=p, supplier_sku="SR-1", customer_sku="RM-1", name="Kecap manis")
    a = Location.objects.create(partnership=p, code="DC", name="Gudang DC")
    b = Location.objects.create(partnership=p, code="JKT", name="Toko Jakarta")
    cycle = PlanningCycle.objects.create(partnership=p, week=dt.date(2026, 7, 6), status="frozen")
    for location, forecast, actual in ((a, 100, 80), (b, 50, 60)):
        ForecastLine.objects.create(
            cycle=cycle,
            partnership=p,
            item=item,
            location=location,
            source="consensus",
            period=dt.date(2026, 7, 13),
            quantity=forecast,
        )
        SellOut.objects.create(
            partnership=p, item=item, location=location, period=dt.date(2026, 7, 13), quantity=actual
        )


@pytest.mark.django_db
def test_the_review_gathers_the_quarter_of_both_sides(world, django_assert_max_num_queries):
    p = _seed(world)
    _planning(p)
    actor = f.actor(world.customer_admin)
    with django_assert_max_num_queries(25):
        review = build_review(actor, p.pk, Q3)
    supplier, customer = review.commitments["supplier"], review.commitments["customer"]
    assert (supplier.due, supplier.kept_on_time, supplier.missed, supplier.reliability) == (2, 1, 1, 50)
    assert (customer.due, customer.kept_late, customer.cancelled, customer.reliability) == (1, 1, 1, 0)
    assert sorted(c.status for c in review.commitment_exceptions) == ["cancelled", "done", "missed"]
    assert [c.title for c in review.next_commitments] == ["Kirim forecast Q4"]
    (idr,) = review.value
    assert (idr.confirmed_supplier, idr.confirmed_customer) == (Decimal(1_000_000), Decimal(3_000_000))
    assert (idr.claimed_supplier, idr.supplier_share, idr.customer_share) == (Decimal(500_000), 25, 75)
    assert review.case_counts["raised"] == 2 and review.case_counts["closed"] == 1
    assert review.case_counts["still_open"] == 1
    assert [len(i.points) for i in review.initiatives] == [3]
    # a case raised before the quarter and resolved after it was open at its end: the review does not change
    later = Case.objects.create(
        partnership=p,
        title="Label harga salah",
        raised_by_side="supplier",
        desired_outcome="Label benar",
        outcome_entered_by_side="customer",
        sla_due_at=at("2026-06-20"),
        status="resolved",
        resolved_at=at("2026-10-20"),
    )
    Case.objects.filter(pk=later.pk).update(created_at=at("2026-06-01"))
    again = build_review(actor, p.pk, Q3)
    assert (again.case_counts["still_open"], again.case_counts["raised"], again.case_counts["resolved"]) == (
        2,
        2,
        1,
    )
    assert "Label harga salah" in {c.title for c in again.cases}
    assert [r.title for r in review.risks] == ["Banjir menutup akses DC"]
    # the trend: the quarter and the 13 weeks before it; the change over the quarter
    assert review.health.points[0][0] == dt.date(2026, 4, 6) and review.health.latest.week == dt.date(
        2026, 9, 28
    )
    assert review.health.change == pytest.approx(12.0)
    assert dict(review.health.dimensions)["commitment"] == 80.0
    assert review.planning is not None
    (cycle,) = review.planning.cycles
    assert cycle["week"] == dt.date(2026, 7, 6) and cycle["wape"] == pytest.approx(100 * 30 / 140)
    assert review.planning.wape == pytest.approx(100 * 30 / 140)


@pytest.mark.django_db
def test_without_planning_data_there_is_no_planning_section(world):
    review = build_review(f.actor(world.supplier_admin), world.partnership.pk, Q3)
    assert review.planning is None
    assert 'id="planning"' not in render_html(review, "en")


@pytest.mark.django_db
def test_a_stranger_gets_not_found_whatever_the_quarter(world):
    for quarter in (Q3, "2026Q9"):
        with pytest.raises(NotFound):
            build_review(f.actor(world.foreign_admin), world.partnership.pk, quarter)


# --- the document --------------------------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_the_pdf_has_a_cover_page_numbers_its_charts_and_both_languages(world):
    p = _seed(world)
    _planning(p)
    review = build_review(f.actor(world.supplier_admin), p.pk, Q3)
    html = render_html(review, "en")
    for testid in ("trend-chart", "dimension-bar", "kpi-chart", "series-chart", "review-cover"):
        assert f'data-testid="{testid}"' in html, testid
    reader, text = _pdf_text(render_pdf(review, "en"))
    pages = len(reader.pages)
    assert pages >= 3
    assert "prepared for the quarterly business review" in text.lower()  # the kicker is in capitals
    assert "PT Sumber Rasa Nusantara" in text and "PT Ritel Maju Bersama" in text and Q3 in text
    assert f"Page 2 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Open risks" in text and "Health" in text and "Banjir menutup akses DC" in text
    assert "Rp3.000.000" in text  # the rupiah, the Indonesian way
    # the health chart is drawn on its page: each scored week's dot is four Bézier curves
    health_page = next(page for page in reader.pages if page.extract_text().lstrip().startswith("1. Health"))
    scored = sum(1 for _w, score in review.health.points if score is not None)
    assert health_page.get_contents().get_data().count(b" c\n") >= 4 * scored
    _reader, indonesian = _pdf_text(render_pdf(review, "id"))
    assert "Kesehatan" in indonesian and "Risiko terbuka" in indonesian and "Pemasok" in indonesian
    assert "Open risks" not in indonesian
    assert "10 Agu 2026" in indonesian  # the missed commitment's due date, the Indonesian way


@pytest.mark.django_db
def test_names_cannot_break_out_of_the_page_header(world):
    world.supplier.name = 'PT "Evil" </style><script>x</script>'
    world.supplier.save(update_fields=["name"])
    review = build_review(f.actor(world.supplier_admin), world.partnership.pk, Q3)
    html = render_html(review, "en")
    assert "<script>" not in html
    _reader, text = _pdf_text(render_pdf(review, "en"))
    assert 'PT "Evil"' in text


# --- the page, the API and the command -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_offers_the_form_and_answers_the_document(client, world):
    client.force_login(world.customer_admin.user)
    client.cookies["mitra_language"] = "en"
    url = reverse("reviews:page", args=[world.partnership.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'data-testid="review-form"' in page.content
    overview = client.get(reverse("partnerships:detail", args=[world.partnership.pk]))
    assert url.encode() in overview.content  # the link from the partnership page
    pdf = client.get(url, {"quarter": Q3, "lang": "id", "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "2026Q3-id.pdf" in pdf["Content-Disposition"]
    html = client.get(url, {"quarter": Q3, "lang": "en", "format": "html"})
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert b"Prepared for the quarterly business review" in html.content
    bad = client.get(url, {"quarter": "2026Q7", "format": "pdf"})
    assert bad.status_code == 400 and b"2026Q3" in bad.content and bad["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_stranger_gets_404_from_the_page(client, world):
    client.force_login(world.foreign_admin.user)
    url = reverse("reviews:page", args=[world.partnership.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"quarter": Q3, "format": "pdf"}).status_code == 404


def _bearer(membership):
    from mitra.accounts import services as accounts

    _token, raw = accounts.api_token_create(f.actor(membership), name="review")
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
def test_the_api_answers_the_file_to_members_and_404_to_strangers(client, world):
    path = f"/api/v1/partnerships/{world.partnership.pk}/review"
    pdf = client.get(path, {"quarter": Q3, "lang": "en"}, headers=_bearer(world.supplier_admin))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 3
    html = client.get(
        path, {"quarter": Q3, "lang": "id", "format": "html"}, headers=_bearer(world.customer_admin)
    )
    assert html.status_code == 200 and b"Kesehatan" in html.content
    stranger = client.get(path, {"quarter": Q3}, headers=_bearer(world.foreign_admin))
    assert stranger.status_code == 404 and stranger.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [({"quarter": "2026Q5"}, "quarter"), ({"lang": "fr"}, "lang"), ({"format": "doc"}, "format")],
)
def test_the_api_names_the_bad_field(client, world, query, field):
    path = f"/api/v1/partnerships/{world.partnership.pk}/review"
    response = client.get(path, query, headers=_bearer(world.supplier_admin))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.django_db
def test_the_command_writes_the_file(world, tmp_path):
    _seed(world)
    out = tmp_path / "review.pdf"
    stdout = io.StringIO()
    call_command(
        "review",
        "--partnership", str(world.partnership.pk),
        "--quarter", Q3,
        "--format", "pdf",
        "--lang", "id",
        "--output", str(out),
        "--as", "admin@ritel.test",
        stdout=stdout,
    )  # fmt: skip
    reader, text = _pdf_text(out.read_bytes())
    assert len(reader.pages) >= 3 and "Kesehatan" in text
    assert str(out) in stdout.getvalue()
    html = tmp_path / "review.html"
    call_command(
        "review", "--partnership", str(world.partnership.pk), "--quarter", Q3, "--format", "html",
        "--output", str(html), stdout=io.StringIO(),
    )  # fmt: skip
    assert html.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2026Q9"], "--quarter"),
        (["--lang", "fr"], "--lang"),
        (["--format", "docx"], "--format"),
        (["--as", "admin@lain.test"], "--as"),
        (["--output", "/nonexistent/dir/review.pdf"], "--output"),
    ],
)
def test_the_command_refuses_bad_input_clearly(world, tmp_path, args, message):
    options = {"--partnership": str(world.partnership.pk), "--output": str(tmp_path / "r.pdf")}
    options.update(zip(args[::2], args[1::2], strict=True))
    argv = [item for pair in options.items() for item in pair]
    with pytest.raises(CommandError, match=message):
        call_command("review", *argv, stdout=io.StringIO())
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_partnership(tmp_path):
    with pytest.raises(CommandError, match="--partnership"):
        call_command(
            "review", "--partnership", "999999", "--output", str(tmp_path / "r.pdf"), stdout=io.StringIO()
        )


@pytest.mark.django_db
def test_a_demo_partnership_review_in_both_languages():
    """On the demo data: at least three pages, the charts, and the time it takes (printed with -s)."""
    import time

    from mitra.accounts.models import Membership
    from mitra.accounts.selectors import actor_from_membership
    from mitra.demo.services import demo_seed
    from mitra.partnerships.models import Partnership

    demo_seed(size="small")
    p = Partnership.objects.filter(status="active").order_by("pk").first()
    admin = (
        Membership.objects.filter(organisation=p.supplier, role="admin", is_active=True)
        .order_by("pk")
        .first()
    )
    actor = actor_from_membership(admin)
    for lang, heading in (("en", "Open risks"), ("id", "Risiko terbuka")):
        started = time.monotonic()
        review = build_review(actor, p.pk, Q3)
        pdf = render_pdf(review, lang)
        seconds = time.monotonic() - started
        reader, text = _pdf_text(pdf)
        print(f"demo review {p.pk} {lang}: {len(reader.pages)} pages, {len(pdf)} bytes, {seconds:.1f} s")
        assert len(reader.pages) >= 3 and heading in text and p.customer.name in text
        assert seconds < 30
