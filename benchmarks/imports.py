"""How fast the import machinery takes a file, against baselines measured in the same run.

Writes the small demo world into a throw-away SQLite database (or PostgreSQL with ``--database
postgresql``, in a database ``mitra_bench_imports`` created and dropped here), sets Django up in-process
and, as the supplier's admin of the partnership with planning data, times:

- **deliveries** (``--deliveries`` rows of a CSV delivery-note file, through ``import_file``): the dry run,
  the commit and the re-import of the same file (every row unchanged), with the commit's query count.
  Baseline: the same rows entered one by one through ``moments.services.touchpoint_create`` (what the page
  does per delivery), timed on a sample and extrapolated. Ratio = baseline / commit.
- **sell-out** (``--sell-out`` rows, CSV): the machinery's commit against the planning loader called
  directly on the same rows (``planning.loading.load``, which the machinery wraps), each into its own
  new locations so both write every row. Ratio = machinery / direct (the machinery's overhead: reading
  the file, mapping, the run record).
- **EDI**: ``edi.read`` of an EDIFACT SLSRPT with ``--edi-lines`` lines and its import (dry run).

    .venv/bin/python benchmarks/imports.py [--deliveries 5000] [--sell-out 200000] [--edi-lines 5000]
        [--database sqlite|postgresql]

Each figure is printed as it comes; the last line repeats them all as one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

LEAKY = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT"}
PG_NAME = "mitra_bench_imports"


def _env(var_dir: str, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_") and k not in LEAKY}
    url = (
        f"sqlite:///{var_dir}/bench.sqlite3"
        if database == "sqlite"
        else f"postgresql://postgres@127.0.0.1:5432/{PG_NAME}"
    )
    env.update({"MITRA_VAR_DIR": var_dir, "MITRA_DEBUG": "1", "MITRA_DATABASE_URL": url})
    return env


def _psql(sql: str) -> None:
    subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],  # noqa: S607
        check=True,
        capture_output=True,
    )


def _seed(var_dir: str, database: str) -> float:
    started = time.perf_counter()
    if database == "postgresql":
        _psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
        _psql(f"CREATE DATABASE {PG_NAME}")
    for args in (("migrate", "-v0"), ("demo", "--size", "small")):
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "mitra", *args],
            env=_env(var_dir, database),
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def _setup(var_dir: str, database: str) -> None:
    for key in [k for k in os.environ if k.startswith("MITRA_") or k in LEAKY]:
        del os.environ[key]
    os.environ.update(_env(var_dir, database))
    os.environ["DJANGO_SETTINGS_MODULE"] = "mitra.config.settings"
    import django

    django.setup()


def _timed(fn: Any) -> tuple[float, Any, int]:
    """Seconds, result and the number of SQL statements run."""
    from django.db import connection

    count = 0

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
    return seconds, result, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=5000)
    parser.add_argument("--sell-out", type=int, default=200_000)
    parser.add_argument("--edi-lines", type=int, default=5000)
    parser.add_argument("--sample", type=int, default=300, help="rows entered one by one for the baseline")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    figures: dict[str, Any] = {"database": args.database}

    with tempfile.TemporaryDirectory(prefix="mitra-bench-imports-") as var_dir:
        seconds = _seed(var_dir, args.database)
        print(f"demo world written in {seconds:.1f} s ({args.database})", flush=True)
        _setup(var_dir, args.database)
        try:
            _run(args, figures)
        finally:
            if args.database == "postgresql":
                from django.db import connections

                connections.close_all()
                _psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
    print(json.dumps(figures))


def _run(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    from decimal import Decimal

    from django.conf import settings
    from django.db import transaction
    from django.db.models import Count

    settings.DEBUG = False  # no query log growing without bound
    from mitra.accounts.models import Membership, Role
    from mitra.accounts.selectors import actor_from_membership
    from mitra.core.history import acting_as
    from mitra.moments.services import touchpoint_create
    from mitra.partnerships.models import Partnership
    from mitra.planning import loading
    from mitra.planning.models import Item, Location
    from mitra.transfer import edi
    from mitra.transfer.edi import edifact
    from mitra.transfer.edi.documents import ReportDocument, ReportLine
    from mitra.transfer.importing import import_file

    partnership = (
        Partnership.objects.annotate(items=Count("planning_items"))
        .filter(items__gt=0)
        .order_by("-items")
        .first()
    )
    assert partnership is not None, "the demo has no partnership with planning data"
    admin = Membership.objects.filter(
        organisation_id=partnership.supplier_id, role=Role.ADMIN, is_active=True
    ).first()
    assert admin is not None
    actor = actor_from_membership(admin)
    pid = partnership.pk

    # ---- deliveries ----------------------------------------------------------------------------------
    n = args.deliveries
    start = dt.date(2026, 1, 5)
    lines = ["delivery_note,promised_date,actual_date,promised_quantity,delivered_quantity"]
    for i in range(n):
        day = start + dt.timedelta(days=i % 300)
        late = dt.timedelta(days=1 if i % 7 == 0 else 0)
        lines.append(f"BENCH/{i:07d},{day},{day + late},{100 + i % 50},{100 + i % 50 - (i % 11 == 0)}")
    data = "\n".join(lines).encode()
    dry, run, _q = _timed(
        lambda: import_file(actor, partnership_id=pid, kind="deliveries", data=data, dry_run=True)
    )
    assert run.status == "checked", run.errors[:3]
    commit, run, commit_queries = _timed(
        lambda: import_file(actor, partnership_id=pid, kind="deliveries", data=data)
    )
    assert run.report["created"] == n
    again, run, again_queries = _timed(
        lambda: import_file(actor, partnership_id=pid, kind="deliveries", data=data)
    )
    assert run.report["unchanged"] == n
    sample = min(args.sample, n)

    def one_by_one() -> None:
        with acting_as(actor.user), transaction.atomic():
            for i in range(sample):
                day = start + dt.timedelta(days=i % 300)
                touchpoint_create(
                    actor,
                    partnership_id=pid,
                    kind="delivery",
                    summary=f"Delivery BASE/{i}",
                    reference=f"BASE/{i:07d}",
                    promised_date=day,
                    actual_date=day,
                    promised_quantity=Decimal(100),
                    delivered_quantity=Decimal(100),
                )
            transaction.set_rollback(True)

    base, _r, base_queries = _timed(one_by_one)
    baseline = base / sample * n
    figures["deliveries"] = {
        "rows": n,
        "dry_run_s": round(dry, 2),
        "commit_s": round(commit, 2),
        "commit_rows_per_s": round(n / commit),
        "commit_queries": commit_queries,
        "reimport_unchanged_s": round(again, 2),
        "reimport_queries": again_queries,
        "one_by_one_extrapolated_s": round(baseline, 2),
        "one_by_one_queries_per_row": round(base_queries / sample, 1),
        "speedup_vs_one_by_one": round(baseline / commit, 2),
    }
    print(
        f"deliveries: {n} rows: dry run {dry:.2f} s, commit {commit:.2f} s ({n / commit:,.0f} rows/s, "
        f"{commit_queries} queries), re-import {again:.2f} s ({again_queries} queries); one by one through the "
        f"service {baseline:.2f} s extrapolated from {sample} ({base_queries / sample:.1f} queries a row): "
        f"{baseline / commit:.2f}x",
        flush=True,
    )

    # ---- sell-out ------------------------------------------------------------------------------------
    items = list(Item.objects.filter(partnership_id=pid).values_list("supplier_sku", flat=True))
    m = args.sell_out
    weeks = 156
    stores = max(1, m // (len(items) * weeks))

    def sell_out_rows(prefix: str) -> list[dict[str, str]]:
        rows = []
        for s in range(stores):
            for sku in items:
                for w in range(weeks):
                    if len(rows) == m:
                        return rows
                    day = dt.date(2023, 1, 2) + dt.timedelta(weeks=w)
                    rows.append(
                        {
                            "sku": sku,
                            "location": f"{prefix}-{s:04d}",
                            "period": day.isoformat(),
                            "quantity": str(5 + (w * 7 + s) % 40),
                        }
                    )
        return rows

    for prefix in ("M", "D"):
        Location.objects.bulk_create(
            [
                Location(partnership_id=pid, code=f"{prefix}-{s:04d}", name=f"Bench {prefix}{s}")
                for s in range(stores)
            ]
        )
    machinery_rows = sell_out_rows("M")
    csv_data = (
        "sku,location,period,quantity\n" + "\n".join(",".join(r.values()) for r in machinery_rows)
    ).encode()
    machinery, run, _q = _timed(
        lambda: import_file(actor, partnership_id=pid, kind="sell_out", data=csv_data)
    )
    assert run.report["created"] == len(machinery_rows), run.errors[:3]
    direct_rows = sell_out_rows("D")

    def direct() -> Any:
        with transaction.atomic():
            return loading.load("sell_out", pid, direct_rows, dry_run=False)

    direct_s, report, _q = _timed(direct)
    assert report.created == len(direct_rows)
    figures["sell_out"] = {
        "rows": len(machinery_rows),
        "machinery_s": round(machinery, 2),
        "rows_per_s": round(len(machinery_rows) / machinery),
        "direct_loader_s": round(direct_s, 2),
        "overhead_ratio": round(machinery / direct_s, 2),
    }
    print(
        f"sell-out: {len(machinery_rows):,} rows: through the machinery {machinery:.2f} s "
        f"({len(machinery_rows) / machinery:,.0f} rows/s); the planning loader directly {direct_s:.2f} s: "
        f"{machinery / direct_s:.2f}x",
        flush=True,
    )

    # ---- EDI -----------------------------------------------------------------------------------------
    k = args.edi_lines
    report_doc = ReportDocument(
        number="BENCH-1",
        issued=dt.date(2026, 1, 13),
        buyer_id="8990001000002",
        supplier_id="8990002000009",
        lines=tuple(
            ReportLine(
                f"M-{i % max(stores, 1):04d}",
                items[i % len(items)],
                dt.date(2025, 1, 6) + dt.timedelta(weeks=i // (len(items) * max(stores, 1))),
                Decimal(3 + i % 9),
            )
            for i in range(k)
        ),
    )
    message = edifact.write_edifact_report(report_doc, "SLSRPT", version="D96A")
    parse, batches, _q = _timed(lambda: edi.read(message))
    rows = sum(len(b.rows) for b in batches)
    check, run, _q = _timed(
        lambda: import_file(
            actor, partnership_id=pid, kind="edi", data=message, filename="bench.edi", dry_run=True
        )
    )
    figures["edi"] = {
        "lines": k,
        "bytes": len(message),
        "parse_s": round(parse, 2),
        "rows_per_s": round(rows / parse),
        "dry_run_s": round(check, 2),
        "status": run.status,
    }
    print(
        f"EDI: SLSRPT with {k:,} lines ({len(message) / 1024:.0f} kB): parsed in {parse:.2f} s "
        f"({rows / parse:,.0f} rows/s); import dry run {check:.2f} s ({run.status})",
        flush=True,
    )


if __name__ == "__main__":
    main()
