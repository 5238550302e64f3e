"""How the shared workspace's set-based reads compare with naive per-row Python over the same rows.

Writes a demo world (`mitra demo --size medium`, or `--large`) into a throw-away SQLite database in a
temporary MITRA_VAR_DIR, sets Django up in-process against it, and times four reads, each against a baseline
measured in the same run, as an admin of the partnership's supplier (so no restriction hides a record):

- reliability: ``commitments.selectors.reliability_of`` for every partnership with a workspace (one aggregate
  each) against loading each partnership's commitments and counting them in Python;
- value: ``value.selectors.value_summary_of`` for every partnership (one grouped query each) against loading
  each partnership's value entries and summing them in Python;
- otif: ``moments.selectors.otif_by_month`` (12 months) for the partnership with the most deliveries in the
  last year against loading all its deliveries and counting them per month in Python;
- timeline: the first page (50) of ``threads.selectors.timeline`` for the partnership with the most events
  against merging the workflow tables in Python (every record of each kind of that partnership, sorted by its
  date, the newest 50 taken).

    .venv/bin/python benchmarks/workspace.py [--large] [--repeat 7]

Each line gives the rows involved, both timings (median of the runs) with their query counts, and the
speed-up. The last line repeats the figures as one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

# Not passed on to the demo processes: the caller's settings (as in benchmarks/demo_seed.py).
LEAKY = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT"}


def _env(var_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_") and k not in LEAKY}
    env.update(
        {
            "MITRA_VAR_DIR": var_dir,
            "MITRA_DEBUG": "1",
            "MITRA_DATABASE_URL": f"sqlite:///{var_dir}/bench.sqlite3",
        }
    )
    return env


def _seed(var_dir: str, size: str) -> float:
    """Migrate and write the demo world in child processes; return the seconds it took."""
    started = time.perf_counter()
    for args in (("migrate", "-v0"), ("demo", "--size", size)):
        command = [sys.executable, "-m", "mitra", *args]
        subprocess.run(command, env=_env(var_dir), check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - started


def _setup(var_dir: str) -> None:
    for key in [k for k in os.environ if k.startswith("MITRA_") or k in LEAKY]:
        del os.environ[key]
    os.environ.update(_env(var_dir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "mitra.config.settings"
    import django

    django.setup()


def _time(fn: Callable[[], Any], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _count_queries(fn: Callable[[], Any]) -> int:
    from django.db import connection

    count = 0

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return count


def _actors() -> dict[int, Any]:
    """An admin of each partnership's supplier, by partnership id, for every partnership with a workspace."""
    from mitra.accounts.models import Membership, Role
    from mitra.accounts.selectors import actor_from_membership
    from mitra.partnerships.models import SHARED_STATUSES, Partnership

    admins: dict[int, Any] = {}
    for membership in (
        Membership.objects.filter(role=Role.ADMIN, is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("pk")
    ):
        admins.setdefault(membership.organisation_id, actor_from_membership(membership))
    return {
        p.pk: (p, admins[p.supplier_id])
        for p in Partnership.objects.filter(status__in=SHARED_STATUSES)
        .select_related("supplier", "customer")
        .order_by("pk")
    }


# --- the four reads, each with its baseline -------------------------------------------------------------


@dataclass
class Bench:
    rows: int  # the rows the set-based read covers
    set_based: Callable[[], Any]
    baseline: Callable[[], Any]
    baseline_rows: int | None = None  # when the baseline reads other rows than those


def reliability(partnerships: dict[int, Any]) -> Bench:
    from mitra.commitments.models import SETTLED_STATUSES, Commitment, CommitmentStatus
    from mitra.commitments.selectors import METRICS, Reliability, reliability_of
    from mitra.commitments.services import site_today
    from mitra.core.tenancy import restrict
    from mitra.partnerships.models import Side

    def set_based() -> dict[int, dict[str, Reliability]]:
        return {pk: reliability_of(actor, p) for pk, (p, actor) in partnerships.items()}

    def baseline() -> dict[int, dict[str, Reliability]]:
        today = site_today()
        delivered = (CommitmentStatus.DONE, CommitmentStatus.ACKNOWLEDGED)
        result = {}
        for pk, (_p, actor) in partnerships.items():
            counts = {side: Counter[str]() for side in (Side.SUPPLIER, Side.CUSTOMER)}
            for c in restrict(Commitment.objects.filter(partnership_id=pk), actor):
                n = counts[Side(c.owner_side)]
                cancelled = c.status == CommitmentStatus.CANCELLED
                n["total"] += not cancelled
                n["settled"] += c.status in SETTLED_STATUSES
                n["kept_on_time"] += c.status in delivered and c.on_time is True
                n["late"] += c.status in delivered and c.on_time is False
                n["acknowledged"] += c.status == CommitmentStatus.ACKNOWLEDGED
                n["missed"] += c.status == CommitmentStatus.MISSED
                n["proactive"] += c.proactive and not cancelled
                n["open"] += c.status == CommitmentStatus.OPEN
                n["overdue"] += c.status == CommitmentStatus.OPEN and c.due_date < today
            result[pk] = {
                str(side): Reliability(side=str(side), **{k: n[k] for k in METRICS})
                for side, n in counts.items()
            }
        return result

    return Bench(restrict_count(Commitment, partnerships), set_based, baseline)


def value(partnerships: dict[int, Any]) -> Bench:
    from decimal import Decimal

    from django.utils import timezone

    from mitra.core.tenancy import restrict
    from mitra.partnerships.models import Side
    from mitra.value import selectors
    from mitra.value.models import RECENT_WINDOW, STALE_AFTER, EntryStatus, ValueEntry

    def set_based() -> dict[int, Any]:
        return {pk: selectors.value_summary_of(actor, p) for pk, (p, actor) in partnerships.items()}

    def baseline() -> dict[int, Any]:
        now = timezone.now()
        recent = timezone.localdate() - RECENT_WINDOW
        result = {}
        for pk, (p, actor) in partnerships.items():
            summary = selectors.ValueSummary(partnership_id=pk)
            totals: dict[str, selectors.CurrencyTotals] = {}
            for e in restrict(ValueEntry.objects.all(), actor).filter(partnership_id=pk):
                zero = Decimal("0")
                t = totals.setdefault(
                    e.currency, selectors.CurrencyTotals(e.currency, zero, zero, zero, zero)
                )
                to_supplier = e.beneficiary_side == Side.SUPPLIER
                summary.entries += 1
                if e.status == EntryStatus.CONFIRMED:
                    summary.confirmed += 1
                    if to_supplier:
                        t.confirmed_supplier += e.amount
                        summary.recent_supplier += e.period_end >= recent
                    else:
                        t.confirmed_customer += e.amount
                        summary.recent_customer += e.period_end >= recent
                elif e.status == EntryStatus.UNCONFIRMED:
                    summary.unconfirmed += 1
                    summary.stale += e.awaiting_since < now - STALE_AFTER
                    if to_supplier:
                        t.unconfirmed_supplier += e.amount
                    else:
                        t.unconfirmed_customer += e.amount
                elif e.status == EntryStatus.DISPUTED:
                    summary.disputed += 1
            summary.currencies = sorted(totals.values(), key=lambda c: (-c.confirmed_total, c.currency))
            if not summary.empty:
                summary.warnings = selectors._warnings(p, summary)
            result[pk] = summary
        return result

    return Bench(restrict_count(ValueEntry, partnerships), set_based, baseline)


def otif(partnerships: dict[int, Any]) -> Bench:
    from django.db.models import Count
    from django.utils import timezone

    from mitra.core.tenancy import restrict
    from mitra.moments.models import Kind, Touchpoint
    from mitra.moments.selectors import Otif, months_back, otif_by_month, zone_of

    year_ago = timezone.now() - dt.timedelta(days=365)
    busiest = (
        Touchpoint.objects.filter(
            partnership_id__in=partnerships, kind=Kind.DELIVERY, occurred_at__gte=year_ago
        )
        .values("partnership_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "partnership_id")
        .first()
    )
    assert busiest is not None, "the demo has deliveries"
    p, actor = partnerships[busiest["partnership_id"]]

    def set_based() -> list[Otif]:
        return otif_by_month(actor, p, months=12)

    def baseline() -> list[Otif]:
        zone = zone_of(actor)
        since = months_back(12, zone)
        months: dict[Any, Counter[str]] = {}
        deliveries = restrict(Touchpoint.objects.all(), actor).filter(partnership=p, kind=Kind.DELIVERY)
        for t in deliveries:
            if t.occurred_at < since:
                continue
            n = months.setdefault(timezone.localtime(t.occurred_at, zone).date().replace(day=1), Counter())
            n["deliveries"] += 1
            n["on_time"] += bool(t.on_time)
            n["in_full"] += bool(t.in_full)
            n["otif"] += bool(t.on_time and t.in_full)
        return [
            Otif(month=m, **{k: n[k] for k in ("deliveries", "on_time", "in_full", "otif")})
            for m, n in sorted(months.items())
        ]

    return Bench(
        restrict(Touchpoint.objects.filter(partnership=p, kind=Kind.DELIVERY), actor).count(),
        set_based,
        baseline,
    )


def timeline(partnerships: dict[int, Any]) -> Bench:
    from django.db.models import Count

    from mitra.cases.models import Case, CaseOption
    from mitra.commitments.models import Commitment
    from mitra.core.tenancy import restrict
    from mitra.improvement.models import Initiative
    from mitra.moments.models import SurveyRequest, Touchpoint
    from mitra.plans.models import JointPlan, PlanReview
    from mitra.pulse.models import PulseRound
    from mitra.risks.models import Risk
    from mitra.threads.models import Comment, Event
    from mitra.threads.selectors import TIMELINE_PAGE_SIZE
    from mitra.threads.selectors import timeline as timeline_of
    from mitra.value.models import ValueEntry

    # Each workflow table and the date its records are placed on the merged timeline by.
    tables: list[tuple[Any, str]] = [
        (Commitment, "created_at"),
        (Case, "created_at"),
        (CaseOption, "created_at"),
        (ValueEntry, "created_at"),
        (Touchpoint, "occurred_at"),
        (SurveyRequest, "created_at"),
        (PulseRound, "opened_at"),
        (Initiative, "created_at"),
        (Risk, "created_at"),
        (JointPlan, "created_at"),
        (PlanReview, "created_at"),
        (Comment, "created_at"),
    ]
    busiest = (
        Event.objects.filter(partnership_id__in=partnerships)
        .values("partnership_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "partnership_id")
        .first()
    )
    assert busiest is not None, "the demo has events"
    p, actor = partnerships[busiest["partnership_id"]]

    def set_based() -> list[Any]:
        return list(timeline_of(actor, p.pk)[:TIMELINE_PAGE_SIZE])

    def baseline() -> list[Any]:
        merged = []
        for model, date in tables:
            for record in restrict(model.objects.filter(partnership_id=p.pk), actor):
                merged.append((getattr(record, date), model._meta.model_name, record.pk, record))
        merged.sort(key=lambda row: row[:3], reverse=True)
        return [row[3] for row in merged[:TIMELINE_PAGE_SIZE]]

    events = restrict(Event.objects.filter(partnership_id=p.pk), actor).count()
    records = sum(restrict(m.objects.filter(partnership_id=p.pk), actor).count() for m, _ in tables)
    return Bench(events, set_based, baseline, baseline_rows=records)


def restrict_count(model: Any, partnerships: dict[int, Any]) -> int:
    from mitra.core.tenancy import restrict

    return sum(
        restrict(model.objects.filter(partnership_id=pk), actor).count()
        for pk, (_p, actor) in partnerships.items()
    )


BENCHMARKS: dict[str, tuple[Callable[[dict[int, Any]], Bench], str, bool]] = {
    # name: (setup, what the rows are, whether both ways must give equal results)
    "reliability": (reliability, "commitments in all partnerships", True),
    "value": (value, "value entries in all partnerships", True),
    "otif": (otif, "deliveries (all time) of the busiest partnership", True),
    "timeline": (timeline, "events of the busiest partnership", False),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", action="store_true", help="the large demo (1000 partnerships) not medium")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    size = "large" if args.large else "medium"
    results: dict[str, Any] = {"size": size}
    with tempfile.TemporaryDirectory(prefix="mitra-bench-workspace-") as var_dir:
        results["seed_s"] = round(_seed(var_dir, size), 2)
        _setup(var_dir)
        partnerships = _actors()
        results["partnerships"] = len(partnerships)
        print(
            f"demo --size {size}: {len(partnerships)} partnerships with a workspace, seeded in {results['seed_s']} s"
        )
        for name, (prepare, what, comparable) in BENCHMARKS.items():
            bench = prepare(partnerships)
            if comparable:
                assert bench.set_based() == bench.baseline(), f"{name}: both ways must agree"
            q_set, q_base = _count_queries(bench.set_based), _count_queries(bench.baseline)
            t_set, t_base = _time(bench.set_based, args.repeat), _time(bench.baseline, args.repeat)
            r = {
                "rows": bench.rows,
                "set_ms": round(t_set * 1000, 2),
                "set_queries": q_set,
                "baseline_ms": round(t_base * 1000, 2),
                "baseline_queries": q_base,
                "speedup": round(t_base / t_set, 1),
            }
            extra = ""
            if bench.baseline_rows is not None:
                r["baseline_rows"] = bench.baseline_rows
                extra = f" (the baseline reads {bench.baseline_rows} records)"
            print(
                f"{name:<11} {bench.rows:>6} {what}{extra}: set-based {r['set_ms']:>8} ms in {q_set} queries; "
                f"baseline {r['baseline_ms']:>8} ms in {q_base} queries; {r['speedup']}x"
            )
            results.update({f"{name}_{k}": v for k, v in r.items()})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
