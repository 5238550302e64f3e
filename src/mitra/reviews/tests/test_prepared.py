"""Reviews prepared before each charter review date: which partnerships are due, the daily job, and the
page, API and command that show them."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from tests import factories as f

from mitra.accounts.models import Role
from mitra.core.errors import NotFound
from mitra.core.schedule import SCHEDULE
from mitra.partnerships.models import Partnership
from mitra.plans.models import JointPlan, PlanReview
from mitra.reviews import selectors, services
from mitra.reviews.builder import quarter_of
from mitra.reviews.models import KEEP_PER_ORGANISATION, PreparedReview
from mitra.reviews.tasks import prepare_upcoming_reviews
from mitra.risks.models import Risk

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7\n% a stand-in\n%%EOF\n"


def _today() -> dt.date:
    return timezone.localdate()


def _starting(partnership: Partnership, review_in_days: int, cadence: int = 90) -> Partnership:
    """Make the partnership's next cadence review date fall ``review_in_days`` from today."""
    partnership.start_date = _today() - dt.timedelta(days=cadence - review_in_days)
    partnership.review_cadence_days = cadence
    partnership.save(update_fields=["start_date", "review_cadence_days"])
    return partnership


def _pair(name: str, language: str = "id") -> Partnership:
    supplier = f.OrganisationFactory(name=f"PT {name} Pemasok", language=language)
    customer = f.OrganisationFactory(name=f"PT {name} Pelanggan", language=language)
    f.member(supplier, Role.ADMIN, f"admin@{name.lower()}-s.test")
    f.member(customer, Role.ADMIN, f"admin@{name.lower()}-c.test")
    return f.PartnershipFactory(supplier=supplier, customer=customer)


def _stored(partnership: Partnership, organisation_id: int, review_date: dt.date, **kw) -> PreparedReview:
    return PreparedReview.objects.create(
        partnership=partnership,
        organisation_id=organisation_id,
        quarter=kw.pop("quarter", quarter_of(_today()).previous.code),
        language=kw.pop("language", "en"),
        review_date=review_date,
        pdf=FAKE_PDF,
        size=len(FAKE_PDF),
        **kw,
    )


def _text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


# --- the charter's review dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 4, 1)),  # the first review: one cadence in
        (dt.date(2026, 1, 1), dt.date(2026, 3, 29), dt.date(2026, 4, 1)),
        (dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 4, 1)),  # today itself
        (dt.date(2026, 1, 1), dt.date(2026, 4, 2), dt.date(2026, 6, 30)),
        (dt.date(2026, 6, 1), dt.date(2026, 2, 1), dt.date(2026, 8, 30)),  # not started yet
    ],
)
def test_the_cadence_counts_review_dates_from_the_start(start, today, expected):
    assert selectors.cadence_review_date(start, 90, today) == expected


def test_this_years_plan_sets_the_review_date_before_the_cadence_does(world):
    today = _today()
    p = _starting(world.partnership, 40)  # by the cadence alone: in 40 days
    assert [d.review_date for d in selectors.due_reviews(today)] == []
    plan = JointPlan.objects.create(partnership=p, year=today.year)
    PlanReview.objects.create(
        partnership=p, plan=plan, held_on=today - dt.timedelta(days=86), recorded_by_side="supplier"
    )
    (due,) = selectors.due_reviews(today)  # the plan's last review + 90 days: in 4 days
    assert (due.partnership, due.review_date) == (p, today + dt.timedelta(days=4))


def test_selecting_the_due_partnerships_is_one_query_however_many(world):
    for n in range(5):
        _starting(_pair(f"Banyak{n}"), 2)
    with CaptureQueriesContext(connection) as queries:
        due = selectors.due_reviews(_today())
    assert len(due) == 5 and len(queries) == 1


# --- the daily job ---------------------------------------------------------------------------------------


def test_the_job_prepares_exactly_the_due_partnerships_in_each_sides_language(world):
    today = _today()
    world.supplier.language, world.customer.language = "en", "id"
    world.supplier.save(update_fields=["language"])
    world.customer.save(update_fields=["language"])
    soon = _starting(world.partnership, 3)
    later = _starting(_pair("Nanti"), 20)
    ready = _starting(_pair("Siap"), 2)
    review_of_ready = today + dt.timedelta(days=2)
    for organisation_id in (ready.supplier_id, ready.customer_id):
        _stored(ready, organisation_id, review_of_ready)
    ended = _starting(_pair("Selesai"), 3)
    Partnership.objects.filter(pk=ended.pk).update(status="ended")

    result = services.prepare_upcoming_reviews(today)

    assert result.failed == []
    made = {(r.partnership_id, r.organisation_id): r for r in result.prepared}
    assert sorted(made) == sorted([(soon.pk, soon.supplier_id), (soon.pk, soon.customer_id)])
    assert not PreparedReview.objects.filter(partnership__in=[later, ended]).exists()
    assert PreparedReview.objects.filter(partnership=ready).count() == 2  # not prepared again
    quarter = quarter_of(today).previous.code
    english, indonesian = made[(soon.pk, soon.supplier_id)], made[(soon.pk, soon.customer_id)]
    for copy, lang in ((english, "en"), (indonesian, "id")):
        copy.refresh_from_db()
        assert (copy.quarter, copy.language, copy.review_date) == (
            quarter,
            lang,
            today + dt.timedelta(days=3),
        )
        assert copy.size == len(bytes(copy.pdf))
    reader, text = _text(bytes(english.pdf))
    assert len(reader.pages) >= 3 and "Open risks" in text and quarter in text
    _reader, text = _text(bytes(indonesian.pdf))
    assert "Risiko terbuka" in text and "Open risks" not in text
    # the next day: nothing new
    assert services.prepare_upcoming_reviews(today + dt.timedelta(days=1)).prepared == []
    assert PreparedReview.objects.filter(partnership=soon).count() == 2


def test_a_department_restricted_record_stays_out_of_its_own_sides_copy(world, monkeypatch):
    """A copy is read by every member of its organisation, so it shows what a member without a department
    sees: the admin's view would leak records a department of that side restricted."""
    texts: dict[int, str] = {}

    def remember(review, lang):
        texts[review.reader_side == "supplier"] = " ".join(r.title for r in review.risks)
        return FAKE_PDF

    monkeypatch.setattr(services, "render_pdf", remember)
    p = _starting(world.partnership, 1)
    Risk.objects.create(
        partnership=p,
        title="Rahasia tim sales",
        raised_by_side="supplier",
        restricted_department=world.supplier_sales,
    )
    Risk.objects.create(
        partnership=p,
        title="Rahasia tim pembelian",
        raised_by_side="customer",
        restricted_department=world.customer_purchasing,
    )
    Risk.objects.create(partnership=p, title="Banjir di gudang", raised_by_side="customer")
    assert len(services.prepare_upcoming_reviews(_today()).prepared) == 2
    supplier_copy, customer_copy = texts[True], texts[False]
    assert "Banjir di gudang" in supplier_copy and "Banjir di gudang" in customer_copy
    assert "Rahasia tim sales" not in supplier_copy
    assert "Rahasia tim pembelian" not in customer_copy


def test_one_failing_partnership_is_logged_and_the_others_are_prepared(world, monkeypatch, caplog):
    broken = _starting(world.partnership, 3)
    fine = _starting(_pair("Baik"), 3)
    real_build = services.build_review

    def build(actor, partnership_id, quarter):
        if partnership_id == broken.pk:
            raise RuntimeError("boom")
        return real_build(actor, partnership_id, quarter)

    monkeypatch.setattr(services, "build_review", build)
    monkeypatch.setattr(services, "render_pdf", lambda review, lang: FAKE_PDF)
    with caplog.at_level(logging.ERROR, logger="mitra.reviews.services"):
        result = services.prepare_upcoming_reviews(_today())
    assert sorted(result.failed) == sorted([(broken.pk, broken.supplier_id), (broken.pk, broken.customer_id)])
    assert {r.partnership_id for r in result.prepared} == {fine.pk}
    assert not PreparedReview.objects.filter(partnership=broken).exists()
    assert f"partnership {broken.pk}" in caplog.text and "boom" in caplog.text
    # the next run tries the failed one again
    monkeypatch.setattr(services, "build_review", real_build)
    again = services.prepare_upcoming_reviews(_today())
    assert {r.partnership_id for r in again.prepared} == {broken.pk}


def test_only_the_newest_copies_are_kept(world, monkeypatch):
    monkeypatch.setattr(services, "render_pdf", lambda review, lang: FAKE_PDF)
    p = world.partnership
    old = [
        _stored(
            p,
            p.supplier_id,
            dt.date(2020, 1, 1) + dt.timedelta(days=90 * n),
            created_at=timezone.now() - dt.timedelta(days=1000 - n),
        )
        for n in range(KEEP_PER_ORGANISATION)
    ]
    partner_copy = _stored(
        p, p.customer_id, dt.date(2020, 1, 1), created_at=timezone.now() - dt.timedelta(days=2000)
    )
    new = services.prepared_review_create(
        f.actor(world.supplier_admin), partnership_id=p.pk, quarter="2026Q3", review_date=_today()
    )
    kept = set(
        PreparedReview.objects.filter(partnership=p, organisation=p.supplier).values_list("pk", flat=True)
    )
    assert len(kept) == KEEP_PER_ORGANISATION and new.pk in kept and old[0].pk not in kept
    assert PreparedReview.objects.filter(pk=partner_copy.pk).exists()  # the partner's copies are its own


def test_the_job_is_scheduled_daily_and_runs_as_a_task(world, monkeypatch):
    assert ("mitra.reviews.tasks.prepare_upcoming_reviews", "daily") in {(r.job, r.every) for r in SCHEDULE}
    monkeypatch.setattr(services, "render_pdf", lambda review, lang: FAKE_PDF)
    _starting(world.partnership, 0)
    assert prepare_upcoming_reviews.call() == 2
    assert prepare_upcoming_reviews.call() == 0


def test_the_command_prepares_the_due_reviews_inline(world, monkeypatch):
    monkeypatch.setattr(services, "render_pdf", lambda review, lang: FAKE_PDF)
    _starting(world.partnership, 5)
    out = io.StringIO()
    call_command("review", "--prepare-due", stdout=out)
    assert PreparedReview.objects.filter(partnership=world.partnership).count() == 2
    assert "2 reviews prepared" in out.getvalue() or "2 tinjauan disiapkan" in out.getvalue()
    with pytest.raises(CommandError, match="--partnership"):
        call_command("review", stdout=io.StringIO())


def test_the_command_fails_when_a_review_could_not_be_prepared(world, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "build_review", fail)
    _starting(world.partnership, 5)
    with pytest.raises(CommandError, match=str(world.partnership.pk)):
        call_command("review", "--prepare-due", stdout=io.StringIO())


# --- reading them --------------------------------------------------------------------------------------


def _both_copies(world) -> tuple[PreparedReview, PreparedReview]:
    p = world.partnership
    day = _today() + dt.timedelta(days=3)
    return (
        _stored(p, p.supplier_id, day, quarter="2026Q3", language="en"),
        _stored(p, p.customer_id, day, quarter="2026Q3", language="id"),
    )


def test_each_side_reads_its_own_copies_and_a_stranger_nothing(world):
    supplier_copy, customer_copy = _both_copies(world)
    pid = world.partnership.pk
    assert list(selectors.prepared_list(f.actor(world.supplier_member), pid)) == [supplier_copy]
    assert list(selectors.prepared_list(f.actor(world.customer_member), pid)) == [customer_copy]
    assert selectors.prepared_get(f.actor(world.supplier_viewer), pid, supplier_copy.pk) == supplier_copy
    with pytest.raises(NotFound):
        selectors.prepared_get(f.actor(world.supplier_admin), pid, customer_copy.pk)
    with pytest.raises(NotFound):
        selectors.prepared_list(f.actor(world.foreign_admin), pid)
    with pytest.raises(NotFound):  # the right record under another partnership's id
        selectors.prepared_get(f.actor(world.supplier_admin), world.foreign_partnership.pk, supplier_copy.pk)


def test_the_page_lists_the_prepared_reviews_and_downloads_them(client, world):
    supplier_copy, customer_copy = _both_copies(world)
    client.force_login(world.supplier_member.user)
    client.cookies["mitra_language"] = "en"
    page = client.get(reverse("reviews:page", args=[world.partnership.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="prepared-reviews"' in html
    own = reverse("reviews:prepared", args=[world.partnership.pk, supplier_copy.pk])
    other = reverse("reviews:prepared", args=[world.partnership.pk, customer_copy.pk])
    assert own in html and other not in html and "2026Q3" in html and "English" in html
    download = client.get(own)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content == FAKE_PDF and supplier_copy.filename in download["Content-Disposition"]
    assert client.get(other).status_code == 404


def test_the_page_says_when_nothing_was_prepared(client, world):
    client.force_login(world.customer_member.user)
    client.cookies["mitra_language"] = "en"
    page = client.get(reverse("reviews:page", args=[world.partnership.pk]))
    assert b"No review has been prepared yet." in page.content


def test_a_stranger_gets_404_from_the_download(client, world):
    supplier_copy, _customer_copy = _both_copies(world)
    client.force_login(world.foreign_admin.user)
    assert (
        client.get(reverse("reviews:prepared", args=[world.partnership.pk, supplier_copy.pk])).status_code
        == 404
    )


def _bearer(membership):
    from mitra.accounts import services as accounts

    _token, raw = accounts.api_token_create(f.actor(membership), name="prepared")
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_lists_and_downloads_the_prepared_reviews(client, world):
    supplier_copy, customer_copy = _both_copies(world)
    base = f"/api/v1/partnerships/{world.partnership.pk}/reviews/prepared"
    listed = client.get(base, headers=_bearer(world.customer_admin))
    assert listed.status_code == 200
    (row,) = listed.json()
    assert (row["id"], row["quarter"], row["language"], row["size"]) == (
        customer_copy.pk,
        "2026Q3",
        "id",
        len(FAKE_PDF),
    )
    assert row["review_date"] == customer_copy.review_date.isoformat()
    pdf = client.get(row["url"], headers=_bearer(world.customer_admin))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content == FAKE_PDF
    other_side = client.get(f"{base}/{supplier_copy.pk}", headers=_bearer(world.customer_admin))
    assert other_side.status_code == 404
    stranger = _bearer(world.foreign_admin)
    assert client.get(base, headers=stranger).status_code == 404
    answer = client.get(f"{base}/{supplier_copy.pk}", headers=stranger)
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
