"""``run_backtest`` and ``mitra health backtest`` on constructed partnerships, snapshots and status histories."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from tests import factories as f

from mitra.accounts.models import Organisation
from mitra.health.backtesting import run_backtest
from mitra.health.management.commands.health import reading
from mitra.health.models import HealthSnapshot
from mitra.health.tests.records import at
from mitra.partnerships.models import Partnership, Status

AS_OF = dt.date(2026, 6, 30)
FIRST_WEEK = dt.date(2025, 6, 2)  # a Monday


def weeks(until: dt.date = AS_OF) -> list[dt.date]:
    out, week = [], FIRST_WEEK
    while week <= until:
        out.append(week)
        week += dt.timedelta(weeks=1)
    return out


def lifecycle(
    supplier: Organisation,
    customer: Organisation,
    steps: list[tuple[str, str]],
    *,
    accepted: bool = True,
) -> Partnership:
    """A partnership whose history rows say: status ``steps[i][1]`` from day ``steps[i][0]``."""
    first_day, first_status = steps[0]
    p = f.PartnershipFactory(
        supplier=supplier,
        customer=customer,
        status=first_status,
        responded_at=at(first_day) if accepted else None,
    )
    Partnership.history.filter(id=p.pk).update(history_date=at(first_day))
    for day, status in steps[1:]:
        p.status = status
        p._history_date = at(day)  # type: ignore[attr-defined]  # simple_history's hook for the row's date
        p.save()
    return p


def snapshots(
    p: Partnership, score: float, *, band: str | None = None, later: tuple[str, float] | None = None
):
    """Weekly snapshots with ``score`` (from ``later[0]`` on: ``later[1]``), band by the default thresholds."""
    rows = []
    for week in weeks():
        value = later[1] if later and week >= dt.date.fromisoformat(later[0]) else score
        default = "green" if value >= 70 else "amber" if value >= 50 else "red"
        rows.append(HealthSnapshot(partnership=p, week=week, score=value, band=band or default))
    HealthSnapshot.objects.bulk_create(rows)


@dataclass
class History:
    ours: Organisation
    parts: dict[str, Partnership]


@pytest.fixture
def history(db) -> History:
    ours = f.OrganisationFactory(name="PT Kita Sejahtera")
    other = {k: f.OrganisationFactory(name=f"PT Mitra {k}") for k in "ABCDEFGHIJK"}
    y, z = f.OrganisationFactory(name="PT Yonder"), f.OrganisationFactory(name="PT Zenit")
    start = ("2025-05-01", Status.ACTIVE)
    p = {
        # kept
        "A": lifecycle(ours, other["A"], [start]),
        "B": lifecycle(ours, other["B"], [start]),
        # ours is the customer here; paused, then resumed: kept
        "E": lifecycle(
            other["E"], ours, [start, ("2026-02-01", Status.PAUSED), ("2026-03-01", Status.ACTIVE)]
        ),
        # ended after AS_OF: kept as of AS_OF
        "H": lifecycle(ours, other["H"], [start, ("2026-08-01", Status.ENDED)]),
        # no snapshots at all: unscored
        "I": lifecycle(ours, other["I"], [start]),
        # lost
        "C": lifecycle(ours, other["C"], [start, ("2026-04-15", Status.PAUSED)]),
        "D": lifecycle(ours, other["D"], [start, ("2026-05-20", Status.ENDED)]),
        # paused, then ended: lost at the pause
        "F": lifecycle(
            ours, other["F"], [start, ("2026-03-10", Status.PAUSED), ("2026-05-01", Status.ENDED)]
        ),
        # lost, scored 75 but amber by its own thresholds: not "green then lost"
        "K": lifecycle(ours, other["K"], [start, ("2026-05-20", Status.ENDED)]),
        # a withdrawn proposal was never a partnership
        "G": lifecycle(
            ours, other["G"], [("2025-05-01", Status.PROPOSED), ("2026-01-10", Status.ENDED)], accepted=False
        ),
        # somebody else's partnership, lost while green
        "J": lifecycle(y, z, [start, ("2026-04-01", Status.ENDED)]),
    }
    snapshots(p["A"], 80)
    snapshots(p["B"], 60)
    snapshots(p["E"], 40)
    snapshots(p["H"], 20)
    snapshots(p["C"], 50)
    snapshots(p["D"], 75)
    # 55 a quarter before the pause (2025-12-09), 95 a quarter before the end (2026-01-30)
    snapshots(p["F"], 55, later=("2025-12-15", 95))
    snapshots(p["K"], 75, band="amber")
    snapshots(p["G"], 10)
    snapshots(p["J"], 99)
    return History(ours=ours, parts=p)


def test_auc_counts_and_reference_scores_of_one_organisation(history: History) -> None:
    report = run_backtest(organisation_id=history.ours.pk, as_of=AS_OF)
    p = history.parts
    # kept A 80, B 60, E 40, H 20; lost C 50, D 75, F 55, K 75 → pairs kept > lost: A 4 + B 2 = 6 of 16
    assert (report.kept, report.lost, report.unscored) == (4, 4, 1)
    assert report.auc == pytest.approx(6 / 16)
    sample = report.result.sample.set_index("partnership_id")
    assert sorted(sample.index) == sorted(p[k].pk for k in "ABCDEFHK")
    assert sample.loc[p["F"].pk, "score"] == 55.0
    assert sample.loc[p["F"].pk, "ended_on"].date() == dt.date(2026, 3, 10)
    assert sample.loc[p["C"].pk, "week"].date() == dt.date(2026, 1, 12)  # 2026-04-15 − 13 weeks → its Monday
    assert not sample.loc[p["E"].pk, "lost"]
    assert not sample.loc[p["H"].pk, "lost"]
    assert sample.loc[p["K"].pk, "band"] == "amber"


def test_green_then_lost_lists_the_stored_green_band_with_names(history: History) -> None:
    report = run_backtest(organisation_id=history.ours.pk, as_of=AS_OF)
    assert [
        (r.supplier, r.customer, r.status, r.week, r.score, r.ended_on) for r in report.green_then_lost
    ] == [("PT Kita Sejahtera", "PT Mitra D", "ended", dt.date(2026, 2, 16), 75.0, dt.date(2026, 5, 20))]


def test_all_organisations_include_the_foreign_partnership(history: History) -> None:
    report = run_backtest(as_of=AS_OF)
    assert (report.kept, report.lost, report.unscored) == (4, 5, 1)
    assert report.auc == pytest.approx(6 / 20)
    assert [r.customer for r in report.green_then_lost] == ["PT Zenit", "PT Mitra D"]  # by date lost
    only_theirs = run_backtest(organisation_id=history.parts["J"].customer_id, as_of=AS_OF)
    assert (only_theirs.kept, only_theirs.lost, only_theirs.auc) == (0, 1, None)
    assert only_theirs.why_no_auc == "no_kept"


def test_the_number_of_queries_does_not_grow_with_the_partnerships(
    history: History, django_assert_num_queries
) -> None:
    with django_assert_num_queries(3):
        run_backtest(as_of=AS_OF)


def test_a_longer_horizon_moves_the_reference_week(history: History) -> None:
    report = run_backtest(organisation_id=history.ours.pk, as_of=AS_OF, horizon_weeks=26)
    sample = report.result.sample.set_index("partnership_id")
    assert sample.loc[history.parts["C"].pk, "week"].date() == dt.date(2025, 10, 13)  # 2026-04-15 − 26 weeks


def test_records_without_history_fall_back_to_the_record_itself(db) -> None:
    ours = f.OrganisationFactory()
    kept = lifecycle(ours, f.OrganisationFactory(), [("2025-05-01", Status.ACTIVE)])
    lost = f.PartnershipFactory(supplier=ours, status=Status.PAUSED, responded_at=at("2025-05-01"))
    Partnership.history.filter(id=lost.pk).delete()
    Partnership.objects.filter(pk=lost.pk).update(updated_at=at("2026-04-01"))
    snapshots(kept, 30)
    snapshots(lost, 90)
    report = run_backtest(organisation_id=ours.pk, as_of=AS_OF)
    assert (report.kept, report.lost, report.auc) == (1, 1, 0.0)
    assert [(r.partnership_id, r.ended_on) for r in report.green_then_lost] == [
        (lost.pk, dt.date(2026, 4, 1))
    ]


def test_empty_history(db) -> None:
    gone = lifecycle(f.OrganisationFactory(), f.OrganisationFactory(), [("2025-05-01", Status.ACTIVE)])
    gone_id = gone.pk
    gone.delete()  # its history rows stay behind
    assert Partnership.history.filter(id=gone_id).count() == 2
    report = run_backtest(as_of=AS_OF)
    assert (report.auc, report.lost, report.kept, report.unscored) == (None, 0, 0, 0)
    assert report.why_no_auc == "no_partnerships"
    with pytest.raises(ValueError, match="horizon_weeks"):
        run_backtest(horizon_weeks=0)


# --- the command ---------------------------------------------------------------------------------------


def backtest(*args: str) -> str:
    out = io.StringIO()
    call_command("health", "backtest", *args, stdout=out)
    return out.getvalue()


def test_command_text(history: History) -> None:
    text = backtest("--organisation", str(history.ours.pk), "--as-of", AS_OF.isoformat())
    lines = text.splitlines()
    assert lines[0] == (
        "Health score backtest: PT Kita Sejahtera, outcomes as of 2026-06-30, score 13 weeks before."
    )
    assert lines[1] == "Lost (paused or ended): 4 · kept (active): 4 · left out, no score then: 1"
    assert lines[2] == "AUC: 37,5 %"
    assert lines[3].startswith("Worse than chance (50 %)")
    assert "55–72 %" in lines[3]
    assert lines[4] == "With so few partnerships (4 lost, 4 kept) the figure is very uncertain."
    assert lines[6] == "Green, then lost:"
    assert lines[7].split() == ["Supplier", "Customer", "Status", "Week", "Score", "Lost", "on"]
    assert lines[8].split() == [
        "PT", "Kita", "Sejahtera", "PT", "Mitra", "D", "Ended", "2026-02-16", "75,0", "2026-05-20",
    ]  # fmt: skip
    assert len(lines) == 9


def test_command_json_and_organisation_by_name(history: History) -> None:
    data = json.loads(backtest("--organisation", "pt kita SEJAHTERA", "--as-of", "2026-06-30", "--json"))
    assert data == {
        "organisation": "PT Kita Sejahtera",
        "organisation_id": history.ours.pk,
        "as_of": "2026-06-30",
        "horizon_weeks": 13,
        "auc": 0.375,
        "why_no_auc": None,
        "lost": 4,
        "kept": 4,
        "unscored": 1,
        "green_then_lost": [
            {
                "partnership_id": history.parts["D"].pk,
                "supplier": "PT Kita Sejahtera",
                "customer": "PT Mitra D",
                "status": "ended",
                "week": "2026-02-16",
                "score": 75.0,
                "ended_on": "2026-05-20",
            }
        ],
    }


def test_command_says_why_when_the_auc_cannot_be_computed(history: History) -> None:
    theirs = str(history.parts["J"].supplier_id)
    text = backtest("--organisation", theirs, "--as-of", "2026-06-30")
    assert text.splitlines()[-1] == (
        "The AUC cannot be computed: no active partnership has a score from 13 weeks before the date of "
        "the backtest, so there is nothing to compare with."
    )
    assert "AUC:" not in text
    data = json.loads(backtest("--organisation", theirs, "--as-of", "2026-06-30", "--json"))
    assert (data["auc"], data["why_no_auc"], data["lost"], data["kept"]) == (None, "no_kept", 1, 0)
    early = backtest("--as-of", "2025-01-01")
    assert early.splitlines()[-1] == (
        "The AUC cannot be computed: there was no active, paused or ended partnership on that date."
    )
    lost_free = backtest("--organisation", str(history.ours.pk), "--as-of", "2026-03-05")
    assert "no partnership was lost (paused or ended)" in lost_free


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation", "999999"], "--organisation: no organisation has the id or name '999999'."),
        (["--organisation", "PT Tidak Ada"], "--organisation"),
        (["--organisation", ""], "--organisation"),
        (["--as-of", "2026-13-01"], "--as-of"),
        (["--as-of", "2999-01-01"], "--as-of: the date cannot be in the future."),
        (["--horizon-weeks", "0"], "--horizon-weeks"),
        (["--horizon-weeks", "many"], "--horizon-weeks"),
    ],
)
def test_command_bad_input_names_the_option(db, args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as caught:
        backtest(*args)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("auc", "start"),
    [
        (0.3, "Worse than chance (50 %)"),
        (0.52, "About chance (50 %)"),
        (0.55, "Better than chance (50 %) and within the 55–72 %"),
        (0.72, "Better than chance (50 %) and within the 55–72 %"),
        (0.8, "Above the 55–72 % that practitioners report"),
    ],
)
def test_the_reading_places_the_auc_against_chance_and_the_practitioners_range(
    auc: float, start: str
) -> None:
    assert reading(auc).startswith(start)
