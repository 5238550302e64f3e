"""io.load_metrics on hand-made records: window counts, end-of-week states, week boundaries."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests import factories as f

from mitra.health.engine import metrics as contract
from mitra.health.io import load_metrics
from mitra.health.tests.records import at, commitment, risk, touchpoint, value_entry
from mitra.risks.models import Risk

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 5)
UNTIL = dt.date(2026, 5, 10)


@pytest.fixture
def p(world):
    world.partnership.start_date = START
    world.partnership.save(update_fields=["start_date"])
    return world.partnership


def week(frame: pd.DataFrame, day: str, column: str):
    row = frame[frame["week"] == pd.Timestamp(day)]
    assert len(row) == 1
    return row[column].iloc[0]


def test_frame_passes_the_contract_with_one_row_per_week(p):
    m = load_metrics([p.pk], until=UNTIL)
    assert list(m.columns) == list(contract.COLUMNS)
    assert m["week"].min() == pd.Timestamp(START)
    assert m["week"].max() == pd.Timestamp("2026-05-04")
    assert len(m) == 18
    assert m["share_of_wallet"].isna().all() and m["competitor_mentions"].isna().all()


def test_a_missed_commitment_counts_as_settled_but_not_kept(p):
    commitment(p, due_date=dt.date(2026, 2, 4), status="done", on_time=True, done_at=at("2026-02-03"))
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-02-02", "supplier_commitments_kept") == 1
    assert week(m, "2026-02-02", "supplier_commitments_settled") == 1
    commitment(p, due_date=dt.date(2026, 2, 4), status="missed", missed_at=at("2026-02-05"))
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-02-02", "supplier_commitments_settled") == 2
    assert week(m, "2026-02-02", "supplier_commitments_kept") == 1
    assert week(m, "2026-01-26", "supplier_commitments_settled") == 0
    # the window is 13 weeks: still counted 12 weeks later, gone after
    assert week(m, "2026-04-27", "supplier_commitments_settled") == 2
    assert week(m, "2026-05-04", "supplier_commitments_settled") == 0
    assert m["customer_commitments_settled"].eq(0).all()


def test_overdue_commitments_per_side_from_due_week_until_delivered(p):
    commitment(p, side="customer", due_date=dt.date(2026, 2, 4), status="missed", missed_at=at("2026-02-05"))
    commitment(
        p, due_date=dt.date(2026, 2, 4), status="done", on_time=False, done_at=at("2026-02-18")
    )  # two weeks late
    commitment(p, due_date=dt.date(2026, 2, 4), status="done", on_time=True, done_at=at("2026-02-04"))
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-01-26", "customer_commitments_overdue") == 0
    assert week(m, "2026-02-02", "customer_commitments_overdue") == 1
    assert week(m, "2026-05-04", "customer_commitments_overdue") == 1  # never delivered
    assert week(m, "2026-02-02", "supplier_commitments_overdue") == 1
    assert week(m, "2026-02-09", "supplier_commitments_overdue") == 1
    assert week(m, "2026-02-16", "supplier_commitments_overdue") == 0  # delivered that week


def test_an_on_time_delivery_raises_otif(p):
    touchpoint(p, at("2026-03-03"), kind="delivery", on_time=True, in_full=True, outcome="positive")
    touchpoint(
        p,
        at("2026-03-04"),
        kind="delivery",
        on_time=False,
        in_full=True,
        outcome="negative",
        promised_date=dt.date(2026, 3, 2),
        actual_date=dt.date(2026, 3, 4),
    )
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-03-02", "deliveries") == 2
    assert week(m, "2026-03-02", "deliveries_otif") == 1
    assert week(m, "2026-03-02", "touchpoints_positive") == 1
    assert week(m, "2026-03-02", "touchpoints_negative") == 1


def test_weeks_are_cut_in_the_site_time_zone(p):
    touchpoint(p, at("2026-03-08", "23:30"))  # Sunday night in Jakarta (Sunday 16:30 UTC)
    touchpoint(p, at("2026-03-09", "00:30"))  # Monday just after midnight in Jakarta (still Sunday in UTC)
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-03-02", "touchpoints") == 1
    assert week(m, "2026-03-09", "touchpoints") == 2


def test_a_bridge_is_live_within_its_cadence(p, world):
    world.bridge.cadence_days = 10  # rounded up to 2 weeks
    world.bridge.save(update_fields=["cadence_days"])
    m = load_metrics([p.pk], until=UNTIL)
    assert m["bridges_live"].eq(0).all()
    touchpoint(p, at("2026-02-04"), bridge=world.bridge)
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-01-26", "bridges_live") == 0
    assert week(m, "2026-02-02", "bridges_live") == 1
    assert week(m, "2026-02-09", "bridges_live") == 1
    assert week(m, "2026-02-16", "bridges_live") == 0
    assert week(m, "2026-02-02", "bridges_agreed") == 1  # agreed from its first touchpoint at the latest


def test_open_risks_and_those_with_a_response(p):
    risk(p, at("2026-02-03"), response="Stok penyangga tiga minggu")
    risk(p, at("2026-02-10"))
    closed = risk(p, at("2026-02-03"), response="Pemasok cadangan", status="closed")
    Risk.objects.filter(pk=closed.pk).update(updated_at=at("2026-03-04"))
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-01-26", "risks_open") == 0
    assert week(m, "2026-02-02", "risks_open") == 2
    assert week(m, "2026-02-02", "risks_with_response") == 2
    assert week(m, "2026-02-09", "risks_open") == 3
    assert week(m, "2026-02-23", "risks_open") == 3
    assert week(m, "2026-03-02", "risks_open") == 2  # closed that week
    assert week(m, "2026-03-02", "risks_with_response") == 1


def test_value_waiting_more_than_30_days(p):
    value_entry(p, at("2026-02-02"))  # waits from Monday 2 February: 30 days pass on Wednesday 4 March
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-02-23", "value_unconfirmed_30d") == 0
    assert week(m, "2026-03-02", "value_unconfirmed_30d") == 1
    assert week(m, "2026-02-02", "value_entries") == 1


def test_query_count_does_not_grow_with_partnerships(world):
    def seeded(n: int) -> list[int]:
        ids = []
        for _ in range(n):
            other = f.PartnershipFactory(start_date=START)
            touchpoint(other, at("2026-02-04"), kind="delivery", on_time=True, in_full=True)
            commitment(other, due_date=dt.date(2026, 2, 4), status="missed", missed_at=at("2026-02-05"))
            risk(other, at("2026-02-03"), response="Siap")
            ids.append(other.pk)
        return ids

    counts = []
    for n in (2, 10):
        ids = seeded(n)
        with CaptureQueriesContext(connection) as queries:
            m = load_metrics(ids, until=UNTIL)
        assert m["partnership_id"].nunique() == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_initiative_progress_follows_the_latest_measurement(p):
    from mitra.improvement.models import Initiative, Measurement

    item = Initiative.objects.create(
        partnership=p,
        title="Kurangi retur",
        start_date=dt.date(2026, 2, 2),
        target_date=dt.date(2026, 6, 30),
        direction="increase",
        kpi_name="Retur",
        kpi_unit="%",
        baseline=10,
        target=20,
        created_side="supplier",
    )
    Initiative.objects.filter(pk=item.pk).update(created_at=at("2026-02-02"))
    Measurement.objects.create(
        initiative=item, measured_on=dt.date(2026, 2, 10), value=12, recorded_side="supplier"
    )
    Measurement.objects.create(
        initiative=item, measured_on=dt.date(2026, 3, 3), value=15, recorded_side="supplier"
    )
    Measurement.objects.create(
        initiative=item, measured_on=dt.date(2026, 3, 5), value=16, recorded_side="supplier"
    )
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-01-26", "initiatives_active") == 0
    assert week(m, "2026-02-02", "initiatives_active") == 1
    assert pd.isna(week(m, "2026-02-02", "initiatives_progress"))  # no measurement yet
    assert week(m, "2026-02-09", "initiatives_progress") == pytest.approx(0.2)
    assert week(m, "2026-02-23", "initiatives_progress") == pytest.approx(0.2)
    assert week(m, "2026-03-02", "initiatives_progress") == pytest.approx(0.6)  # the latest that week


def test_a_bridge_counts_as_agreed_from_the_week_it_was_created(p, world):
    from mitra.partnerships.models import Bridge

    Bridge.objects.filter(pk=world.bridge.pk).update(created_at=at("2026-02-04"))  # a Wednesday
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-01-26", "bridges_agreed") == 0
    assert week(m, "2026-02-02", "bridges_agreed") == 1
    assert week(m, "2026-05-04", "bridges_agreed") == 1


def test_people_involved_counts_each_person_once_in_the_window(p, world):
    for day in ("2026-02-03", "2026-02-10"):
        touchpoint(p, at(day), recorded_by=world.supplier_member)
    touchpoint(p, at("2026-02-11"), recorded_by=world.customer_member)
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-02-02", "people_involved") == 1
    assert week(m, "2026-02-09", "people_involved") == 2
    assert week(m, "2026-05-04", "people_involved") == 2  # 10 and 11 February are 12 weeks back
    later = load_metrics([p.pk], until=dt.date(2026, 5, 17))
    assert week(later, "2026-05-11", "people_involved") == 0


def pulse(partnership, closes: dt.datetime, trust: int):
    from mitra.pulse.models import PulseResponse, PulseRound

    rnd = PulseRound.objects.create(
        partnership=partnership,
        quarter=f"{closes.year}Q{(closes.month - 1) // 3 + 1}",
        opened_at=closes - dt.timedelta(days=20),
        closes_at=closes,
    )
    PulseResponse.objects.create(
        partnership=partnership,
        round=rnd,
        side="customer",
        trust=trust,
        commitment=3,
        satisfaction=3,
        cooperation=3,
        conflict_handling=3,
        answered_at=closes - dt.timedelta(days=1),
    )


def test_a_pulse_round_counts_for_13_weeks_only(p):
    pulse(p, at("2026-01-07"), trust=4)
    m = load_metrics([p.pk], until=UNTIL)
    assert week(m, "2026-01-05", "pulse_trust") == 4.0
    assert week(m, "2026-03-30", "pulse_trust") == 4.0  # the 13th week
    assert pd.isna(week(m, "2026-04-06", "pulse_trust"))
    # asked from a later week, the old round is outside every asked week's window too
    late = load_metrics([p.pk], since=dt.date(2026, 4, 20), until=UNTIL)
    assert late["pulse_trust"].isna().all()


def test_a_recompute_from_a_week_gives_the_full_history_figures_of_those_weeks(p):
    """Records that began long before ``since`` (open intervals, old measurements, rounds) are folded into
    the first column by the database; the figures of the asked weeks must not change."""
    from mitra.improvement.models import Initiative, Measurement

    commitment(p, due_date=dt.date(2026, 1, 14), status="open")
    commitment(
        p,
        side="customer",
        due_date=dt.date(2026, 1, 21),
        status="done",
        on_time=False,
        done_at=at("2026-04-22"),
    )
    value_entry(p, at("2026-01-08"))
    risk(p, at("2026-01-09"), response="Siap")
    risk(p, at("2026-01-12"))
    pulse(p, at("2026-02-25"), trust=2)
    pulse(p, at("2026-04-08"), trust=5)
    touchpoint(p, at("2026-01-20"), recorded_by=None)
    touchpoint(p, at("2026-04-15"), kind="delivery", on_time=True, in_full=False, delivered_quantity=8)
    item = Initiative.objects.create(
        partnership=p,
        title="Kurangi retur",
        start_date=dt.date(2026, 1, 12),
        target_date=dt.date(2026, 6, 30),
        direction="increase",
        kpi_name="Retur",
        kpi_unit="%",
        baseline=10,
        target=20,
        created_side="supplier",
    )
    Initiative.objects.filter(pk=item.pk).update(created_at=at("2026-01-12"))
    Measurement.objects.create(initiative=item, measured_on=dt.date(2026, 1, 19), value=12)
    Measurement.objects.create(initiative=item, measured_on=dt.date(2026, 4, 14), value=15)
    full = load_metrics([p.pk], until=UNTIL)
    since = dt.date(2026, 4, 13)
    part = load_metrics([p.pk], since=since, until=UNTIL)
    expected = full[full["week"] >= pd.Timestamp(since)].reset_index(drop=True)
    assert len(part) == 4
    pd.testing.assert_frame_equal(part, expected)
    assert week(part, "2026-04-13", "supplier_commitments_overdue") == 1
    assert week(part, "2026-04-13", "customer_commitments_overdue") == 1
    assert week(part, "2026-04-20", "customer_commitments_overdue") == 0
    assert week(part, "2026-04-13", "risks_open") == 2
    assert week(part, "2026-04-13", "risks_with_response") == 1
    assert week(part, "2026-04-13", "pulse_trust") == 5.0
    assert week(part, "2026-04-13", "initiatives_progress") == pytest.approx(0.5)
    assert week(part, "2026-04-13", "touchpoints") == 2  # the one of January 20 is in the window
