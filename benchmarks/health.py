"""How the Health Index recompute scales: the weekly full recompute against two baselines of the same run.

    .venv/bin/python benchmarks/health.py [--partnerships 10000] [--events 10000000]
        [--database sqlite|postgresql|both] [--sample 50] [--repeat 3] [--backfill-partnerships N]

Per database (SQLite in a temporary folder; PostgreSQL at 127.0.0.1:5432, user postgres, in a database
``mitra_bench_health`` that is created and dropped here), in a child process of its own:

1. **Data.** The demo generator's plan for organisations, people, partnerships and bridges
   (``demo.generator.build_bench_plan``, written by ``demo.services._write`` without the demo's
   workflow writers), then the workflow tables filled set-based: numpy-drawn columns, bulk inserts
   (COPY on PostgreSQL), over the last ~2 years. **Events** are the source rows the Health Index reads
   (``health/io.py``): touchpoints, commitments, cases, value entries, survey requests, pulse rounds and
   responses, risks, initiatives and their measurements. They are spread over the partnerships with a
   workspace in proportion to a log-normal activity weight (skewed: a few busy partnerships, many quiet
   ones) times the partnership's age, and uniformly in time within each partnership's life. Their total is
   the requested number (printed exactly). Generation time is printed but not judged.
2. **Full recompute** (measured): ``health.services.health_recompute(since=<Monday of last week>)``, what
   the weekly job runs: every partnership with a workspace, reading the history it needs and writing the
   current snapshots (delete + insert). Median of ``--repeat`` runs. Its query count is measured at two
   sizes (a small set of partnerships and all of them).
3. **Raw GROUP BY baseline**: ONE SQL statement, the UNION ALL of every source table's
   (partnership_id, date) over ALL generated events, grouped by partnership and ISO week with COUNT(*),
   fetched fully. Median of ``--repeat`` runs. Ratio = recompute / GROUP BY (target: ≤ 2 on PostgreSQL,
   ≤ 3 on SQLite).
4. **Naive loop baseline**: for a random sample of partnerships, per partnership and per source an ORM
   ``.filter(partnership=p)`` loading the records, then for each week the recompute scores (last week,
   this week and the 4 earlier weeks it needs for trends) counting each source's records of the 13-week
   window in Python. It only counts (no scoring, no writing), so it does less than the recompute; its
   time is extrapolated linearly to all partnerships with a workspace. Ratio = naive / recompute
   (target: ≥ 30).
5. **Backfill** (printed, not judged): ``health_recompute()`` over the whole history, for all partnerships
   or for the first ``--backfill-partnerships`` (said in the output).

The per-stage breakdown of one extra recompute run (queries per source, engine, snapshot rows, writes)
is printed too. Each figure line is printed as it comes; the LAST line repeats all figures as one JSON
object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

LEAKY = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT"}
PG_DSN = "postgresql://postgres@127.0.0.1:5432/{name}"
PG_NAME = "mitra_bench_health"
DAY = 86400
# share of the events per source table (pulse rounds and survey requests follow from others)
MIX = {
    "touchpoints": 0.50,
    "commitments": 0.15,
    "cases": 0.06,
    "value": 0.06,
    "surveys": 0.07,
    "pulse": 0.06,
    "risks": 0.03,
    "initiatives": 0.005,
    "measurements": 0.04,
}


def say(text: str) -> None:
    print(text, flush=True)


# --- database set-up ---------------------------------------------------------------------------------


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_DSN.format(name="postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _setup(database: str, var_dir: str) -> None:
    for key in [k for k in os.environ if k.startswith("MITRA_") or k in LEAKY]:
        del os.environ[key]
    os.environ.update({"MITRA_VAR_DIR": var_dir, "MITRA_DEBUG": "1"})
    if database == "postgresql":
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {PG_NAME}")
        os.environ["MITRA_DATABASE_URL"] = PG_DSN.format(name=PG_NAME)
    else:
        os.environ["MITRA_DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "mitra.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- data ----------------------------------------------------------------------------------------------


def _seed_plan(partnerships: int, seed: int) -> dict[str, Any]:
    """Organisations, people, partnerships and bridges from the demo generator (no workflow records)."""
    from unittest import mock

    from django.db import transaction

    from mitra.demo import services
    from mitra.demo.generator import build_bench_plan

    plan = build_bench_plan(partnerships, seed)
    with mock.patch.object(services, "_write_workflows", lambda *args: {}), transaction.atomic():
        summary = services._write(plan, services.DEMO_PASSWORD)
    return {
        "organisations": summary.organisations,
        "people": summary.people,
        "partnerships": summary.partnerships,
        "bridges": summary.bridges,
    }


class Inserter:
    """Bulk inserts of column arrays: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.pg = connection.vendor == "postgresql"

    def when(self, seconds: Any) -> Any:
        """UTC epoch seconds (float array, NaN = NULL) → the database's datetime text."""
        import numpy as np

        s = np.asarray(seconds, dtype="float64")
        if not len(s):
            return np.array([], dtype=object)
        null = np.isnan(s)
        text = np.datetime_as_string(np.where(null, 0, s).astype("int64").astype("datetime64[s]"), unit="s")
        text = np.char.replace(text, "T", " ")
        if self.pg:
            text = np.char.add(text, "+00")
        out = text.astype(object)
        out[null] = None
        return out

    def day(self, seconds: Any) -> Any:
        import numpy as np

        s = np.asarray(seconds, dtype="float64")
        null = np.isnan(s)
        text = np.datetime_as_string(
            np.where(null, 0, s).astype("int64").astype("datetime64[s]").astype("datetime64[D]"), unit="D"
        )
        out = text.astype(object)
        out[null] = None
        return out

    def insert(self, table: str, columns: dict[str, Any], rows: int) -> None:
        import numpy as np
        import pandas as pd

        data = {}
        for name, values in columns.items():
            if np.isscalar(values) or values is None:
                values = np.full(rows, values, dtype=object)
            data[name] = values
        frame = pd.DataFrame(data)
        names = list(frame.columns)
        step = 500_000
        with self.connection.cursor() as cursor:
            for start in range(0, rows, step):
                part = frame.iloc[start : start + step]
                if self.pg:
                    buf = io.StringIO()
                    part.to_csv(buf, header=False, index=False, na_rep="\\N")
                    sql = f"COPY {table} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
                    with cursor.cursor.copy(sql) as copy:
                        copy.write(buf.getvalue())
                else:
                    cols = [
                        [
                            None if v is None or (isinstance(v, float) and v != v) else v
                            for v in part[n].tolist()
                        ]
                        for n in names
                    ]
                    marks = ", ".join("?" * len(names))
                    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
                    cursor.cursor.executemany(sql, zip(*cols, strict=True))


def opt(values: Any, valid: Any) -> Any:
    """Python values (not numpy scalars) where ``valid``, None elsewhere."""
    import numpy as np

    out = np.asarray(values).astype(object)
    out[~np.asarray(valid, dtype=bool)] = None
    return out


def _fill_events(events: int, seed: int) -> dict[str, int]:
    """The workflow tables, set-based: ~``events`` source rows over the partnerships' lives."""
    import numpy as np
    import pandas as pd
    from django.db import connection, transaction
    from django.utils import timezone

    from mitra.accounts.models import Membership
    from mitra.partnerships.models import SHARED_STATUSES, Bridge, Partnership

    rng = np.random.default_rng(seed)
    now = timezone.now().timestamp()
    parts = pd.DataFrame.from_records(
        list(
            Partnership.objects.filter(status__in=SHARED_STATUSES)
            .order_by("pk")
            .values("id", "supplier_id", "customer_id", "start_date")
        )
    )
    start = (
        pd.to_datetime(parts["start_date"]).to_numpy().astype("datetime64[s]").astype("int64") + 9 * 3600.0
    )
    start = np.minimum(start, now - 7 * DAY)
    span = now - start
    weight = rng.lognormal(0.0, 1.0, len(parts)) * span
    weight /= weight.sum()
    pids = parts["id"].to_numpy()

    members = pd.DataFrame.from_records(
        list(Membership.objects.order_by("organisation_id", "pk").values("id", "organisation_id"))
    )
    m_ids = members["id"].to_numpy()
    m_off = members.reset_index().groupby("organisation_id")["index"].min()
    m_cnt = members.groupby("organisation_id").size()

    def member_of(org_ids: np.ndarray) -> np.ndarray:
        off = m_off.reindex(org_ids).to_numpy()
        cnt = m_cnt.reindex(org_ids).to_numpy()
        return m_ids[off + rng.integers(0, 1 << 30, len(org_ids)) % cnt]

    bridges = pd.DataFrame.from_records(
        list(Bridge.objects.order_by("partnership_id", "pk").values("id", "partnership_id"))
    )
    b_ids = bridges["id"].to_numpy()
    b_off = bridges.reset_index().groupby("partnership_id")["index"].min()
    b_cnt = bridges.groupby("partnership_id").size()

    def draw(n: int) -> tuple[np.ndarray, np.ndarray]:
        """n rows: (row index into parts, epoch seconds within that partnership's life)."""
        idx = rng.choice(len(parts), size=n, p=weight)
        return idx, start[idx] + rng.random(n) * span[idx]

    def side(n: int) -> np.ndarray:
        return np.where(rng.random(n) < 0.5, "supplier", "customer").astype(object)

    def org_of(idx: np.ndarray, sides: np.ndarray) -> np.ndarray:
        return np.where(
            sides == "supplier", parts["supplier_id"].to_numpy()[idx], parts["customer_id"].to_numpy()[idx]
        )

    def pick(choices: list[str], probs: list[float], n: int) -> np.ndarray:
        return rng.choice(np.array(choices, dtype=object), size=n, p=np.array(probs) / sum(probs))

    ins = Inserter()
    w, d = ins.when, ins.day
    counts: dict[str, int] = {}
    share = {k: round(v * events) for k, v in MIX.items()}
    # The rows are consistent by construction (every id is drawn from existing rows): the foreign keys
    # are not checked row by row during the load, as in any bulk load (CHECK constraints still are).
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        # risks first: cases link to them
        n = share["risks"]
        idx, t = draw(n)
        updated = np.minimum(t + rng.random(n) * 60 * DAY, now)
        ins.insert(
            "risks_risk",
            {
                "id": np.arange(1, n + 1),
                "title": "Risiko",
                "description": "",
                "likelihood": rng.integers(1, 6, n),
                "impact": rng.integers(1, 6, n),
                "early_signal": "",
                "response": np.where(rng.random(n) < 0.6, "Stok pengaman", "").astype(object),
                "status": pick(["open", "watching", "occurred", "closed"], [40, 20, 15, 25], n),
                "raised_by_side": side(n),
                "updated_at": w(updated),
                "created_at": w(t),
                "version": 1,
                "partnership_id": pids[idx],
            },
            n,
        )
        counts["risks"] = n
        risk_frame = pd.DataFrame({"pid": pids[idx], "id": np.arange(1, n + 1)}).sort_values("pid")
        r_ids = risk_frame["id"].to_numpy()
        r_off = risk_frame.reset_index(drop=True).reset_index().groupby("pid")["index"].min()
        r_cnt = risk_frame.groupby("pid").size()

        # cases
        n = share["cases"]
        idx, t = draw(n)
        resolved = t + rng.exponential(5 * DAY, n)
        closed = resolved + rng.exponential(2 * DAY, n)
        is_resolved = resolved < now
        is_closed = is_resolved & (closed < now) & (rng.random(n) < 0.8)
        status = np.where(
            is_closed,
            "closed",
            np.where(is_resolved, "resolved", np.where(rng.random(n) < 0.5, "open", "in_progress")),
        )
        disputed = is_resolved & (rng.random(n) < 0.08)
        disputed_at = np.where(disputed, np.minimum(resolved + DAY, now), np.nan)
        confirmed = np.where(is_closed, closed, np.nan)
        pid = pids[idx]
        off = r_off.reindex(pid).to_numpy()
        cnt = r_cnt.reindex(pid).fillna(0).to_numpy()
        has_risk = (cnt > 0) & (rng.random(n) < 0.2)
        anticipated = np.where(
            has_risk,
            r_ids[
                np.where(has_risk, off, 0).astype("int64")
                + rng.integers(0, 1 << 30, n) % np.maximum(cnt, 1).astype("int64")
            ],
            -1,
        ).astype(object)
        anticipated[~has_risk] = None
        # a few root causes per partnership recur
        causes = np.array(
            [
                "process",
                "people",
                "material",
                "equipment",
                "method",
                "measurement",
                "environment",
                "communication",
                "unknown",
            ],
            dtype=object,
        )
        favourite = (pid * 7) % 8
        root = np.where(rng.random(n) < 0.5, causes[favourite], causes[rng.integers(0, 9, n)])
        ins.insert(
            "cases_case",
            {
                "title": "Kasus",
                "description": "",
                "severity": pick(["critical", "high", "medium", "low"], [5, 20, 50, 25], n),
                "category": pick(
                    ["quality", "delivery", "invoicing", "service", "product", "communication", "other"],
                    [25, 30, 15, 10, 10, 5, 5],
                    n,
                ),
                "root_cause": root,
                "status": status.astype(object),
                "raised_by_side": side(n),
                "desired_outcome": "Barang diganti",
                "outcome_entered_by_side": "customer",
                "outcome_confirmed_at": w(confirmed),
                "justification": "",
                "chosen_at": w(np.where(is_resolved, t + (resolved - t) / 2, np.nan)),
                "resolution_note": "",
                "resolved_at": w(np.where(is_resolved, resolved, np.nan)),
                "closed_at": w(confirmed),
                "dispute_count": disputed.astype("int64"),
                "dispute_reason": np.where(disputed, "Belum sesuai", "").astype(object),
                "disputed_at": w(disputed_at),
                "sla_due_at": w(t + 7 * DAY),
                "sla_breached_at": None,
                "created_at": w(t),
                "updated_at": w(np.where(is_resolved, np.minimum(closed, now), t)),
                "version": 1,
                "anticipated_by_id": anticipated,
                "partnership_id": pid,
            },
            n,
        )
        counts["cases"] = n

        # touchpoints
        n = share["touchpoints"]
        idx, t = draw(n)
        kind = pick(
            [
                "delivery",
                "order",
                "invoice",
                "payment",
                "meeting",
                "call",
                "visit",
                "complaint",
                "review",
                "other",
            ],
            [30, 20, 10, 10, 10, 10, 5, 2, 2, 1],
            n,
        )
        delivery = kind == "delivery"
        late = np.where(rng.random(n) < 0.85, 0, rng.integers(1, 6, n))
        short = rng.random(n) < 0.08
        promised = np.where(delivery, t, np.nan)
        sides = side(n)
        pid = pids[idx]
        boff = b_off.reindex(pid).to_numpy()
        bcnt = b_cnt.reindex(pid).fillna(0).to_numpy()
        with_bridge = (bcnt > 0) & (rng.random(n) < 0.7)
        bridge = np.where(
            with_bridge,
            b_ids[
                np.where(with_bridge, boff, 0).astype("int64")
                + rng.integers(0, 1 << 30, n) % np.maximum(bcnt, 1).astype("int64")
            ],
            -1,
        ).astype(object)
        bridge[~with_bridge] = None
        on_time = opt(late == 0, delivery)
        in_full = opt(~short, delivery)
        ins.insert(
            "moments_touchpoint",
            {
                "id": np.arange(1, n + 1),
                "kind": kind,
                "occurred_at": w(t),
                "outcome": pick(["positive", "neutral", "negative"], [45, 40, 15], n),
                "summary": "",
                "recorded_by_side": sides,
                "promised_date": d(promised),
                "actual_date": d(np.where(delivery, t + late * DAY, np.nan)),
                "promised_quantity": opt(np.full(n, 100), delivery),
                "delivered_quantity": opt(np.where(short, 80, 100), delivery),
                "on_time": on_time,
                "in_full": in_full,
                "created_at": w(t),
                "updated_at": w(t),
                "version": 1,
                "bridge_id": bridge,
                "partnership_id": pid,
                "recorded_by_id": member_of(org_of(idx, sides)),
            },
            n,
        )
        counts["touchpoints"] = n
        tp_pid, tp_t = pid, t

        # survey requests after some touchpoints
        n = min(share["surveys"], len(tp_pid))
        which = rng.choice(len(tp_pid), size=n, replace=False)
        t = tp_t[which]
        answered = t + rng.random(n) * 10 * DAY
        is_answered = (rng.random(n) < 0.65) & (answered < now)
        sent = side(n)
        ins.insert(
            "moments_surveyrequest",
            {
                "recipient_side": np.where(sent == "supplier", "customer", "supplier").astype(object),
                "sent_by_side": sent,
                "salt": "s",
                "token_hash": np.char.zfill(np.arange(1, n + 1).astype(str), 64).astype(object),
                "expires_at": w(t + 14 * DAY),
                "email_sent_at": w(t),
                "answered_at": w(np.where(is_answered, answered, np.nan)),
                "csat": opt(rng.choice([1, 2, 3, 4, 5], size=n, p=[0.03, 0.07, 0.2, 0.4, 0.3]), is_answered),
                "nps": opt(rng.integers(0, 11, n), is_answered),
                "comment": "",
                "created_at": w(t),
                "updated_at": w(t),
                "version": 1,
                "partnership_id": tp_pid[which],
                "touchpoint_id": which + 1,
            },
            n,
        )
        counts["surveys"] = n
        del tp_pid, tp_t

        # commitments
        n = share["commitments"]
        idx, t = draw(n)
        due = t + rng.integers(7, 43, n) * DAY
        done = np.minimum(due + rng.normal(-2, 5, n) * DAY, now - 3600)
        done = np.maximum(done, t + 3600)
        future = due > now
        settled = pick(["done", "acknowledged", "missed", "cancelled", "open"], [50, 30, 12, 3, 5], n)
        status = np.where(future, np.where(rng.random(n) < 0.15, "done", "open"), settled).astype(object)
        is_done = (status == "done") | (status == "acknowledged")
        due_day = (np.floor((due + 7 * 3600) / DAY)) * DAY
        done_day = np.floor((done + 7 * 3600) / DAY) * DAY
        sides = side(n)
        ins.insert(
            "commitments_commitment",
            {
                "title": "Komitmen",
                "description": "",
                "owner_side": sides,
                "due_date": d(due_day),
                "proactive": rng.random(n) < 0.25,
                "status": status,
                "on_time": opt(done_day <= due_day, is_done),
                "done_at": w(np.where(is_done, done, np.nan)),
                "acknowledged_at": w(np.where(status == "acknowledged", np.minimum(done + DAY, now), np.nan)),
                "missed_at": w(np.where(status == "missed", np.minimum(due + DAY, now), np.nan)),
                "cancelled_at": w(np.where(status == "cancelled", np.minimum(t + DAY, now), np.nan)),
                "cancel_reason": np.where(status == "cancelled", "Tidak diperlukan", "").astype(object),
                "created_by_side": side(n),
                "created_at": w(t),
                "updated_at": w(t),
                "version": 1,
                "owner_id": member_of(org_of(idx, sides)),
                "partnership_id": pids[idx],
            },
            n,
        )
        counts["commitments"] = n

        # value entries
        n = share["value"]
        idx, t = draw(n)
        status = pick(["confirmed", "disputed", "unconfirmed"], [72, 8, 20], n)
        confirmed = t + rng.exponential(10 * DAY, n)
        status = np.where((status == "confirmed") & (confirmed > now), "unconfirmed", status).astype(object)
        disputed_at = np.minimum(t + 5 * DAY, now)
        ins.insert(
            "value_valueentry",
            {
                "title": "Nilai",
                "beneficiary_side": side(n),
                "category": pick(
                    [
                        "revenue_growth",
                        "cost_saved",
                        "working_capital",
                        "stock_reduction",
                        "risk_avoided",
                        "other",
                    ],
                    [30, 30, 10, 15, 10, 5],
                    n,
                ),
                "amount": np.round(rng.lognormal(16, 1, n)),
                "currency": "IDR",
                "period_start": d(t - 30 * DAY),
                "period_end": d(t),
                "evidence": "",
                "recorded_by_side": side(n),
                "status": status,
                "awaiting_since": w(t),
                "confirmed_at": w(np.where(status == "confirmed", confirmed, np.nan)),
                "disputed_at": w(np.where(status == "disputed", disputed_at, np.nan)),
                "dispute_reason": np.where(status == "disputed", "Angka belum sesuai", "").astype(object),
                "created_at": w(t),
                "updated_at": w(t),
                "version": 1,
                "partnership_id": pids[idx],
            },
            n,
        )
        counts["value"] = n

        # initiatives and their measurements
        n = max(1, share["initiatives"])
        idx, t = draw(n)
        closed = t + rng.uniform(60, 240, n) * DAY
        active = closed > now
        ins.insert(
            "improvement_initiative",
            {
                "id": np.arange(1, n + 1),
                "title": "Inisiatif",
                "description": "",
                "stage": pick(["plan", "do", "check", "act"], [1, 1, 1, 1], n),
                "cycle": 1,
                "status": np.where(
                    active, "active", np.where(rng.random(n) < 0.8, "completed", "abandoned")
                ).astype(object),
                "start_date": d(t),
                "target_date": d(t + 90 * DAY),
                "kpi_name": "OTIF",
                "kpi_unit": "%",
                "direction": "increase",
                "baseline": 50,
                "target": 80,
                "created_side": "supplier",
                "closed_at": w(np.where(active, np.nan, closed)),
                "created_at": w(t),
                "updated_at": w(t),
                "version": 1,
                "partnership_id": pids[idx],
            },
            n,
        )
        counts["initiatives"] = n
        m = share["measurements"]
        init = np.sort(rng.integers(0, n, m))
        k = np.arange(m) - np.searchsorted(init, init)  # 0, 1, 2... within each initiative
        on = t[init] + 7 * k * DAY
        keep = on < now
        init, k, on = init[keep], k[keep], on[keep]
        m = len(init)
        ins.insert(
            "improvement_measurement",
            {
                "measured_on": d(on),
                "value": np.round(50 + 30 * np.minimum(1, k / 12) + rng.normal(0, 3, m), 2),
                "note": "",
                "recorded_side": "supplier",
                "created_at": w(on),
                "initiative_id": init + 1,
            },
            m,
        )
        counts["measurements"] = m

        # pulse rounds (one per quarter of each partnership's life) and responses
        first_q = (
            pd.to_datetime(start, unit="s").year * 4 + (pd.to_datetime(start, unit="s").month - 1) // 3
        ).to_numpy()
        today = pd.Timestamp(now, unit="s")
        last_q = today.year * 4 + (today.month - 1) // 3
        per = (last_q - first_q + 1).astype("int64")
        r_part = np.repeat(np.arange(len(parts)), per)
        q = (
            np.concatenate([np.arange(a, last_q + 1) for a in first_q])
            if len(parts)
            else np.array([], dtype=int)
        )
        opened = (
            pd.to_datetime(pd.DataFrame({"year": q // 4, "month": (q % 4) * 3 + 1, "day": np.ones_like(q)}))
            .to_numpy()
            .astype("datetime64[s]")
            .astype("int64")
        )
        opened = np.maximum(opened, start[r_part])
        ok = opened < now - DAY
        r_part, q, opened = r_part[ok], q[ok], opened[ok]
        rounds = len(r_part)
        ins.insert(
            "pulse_pulseround",
            {
                "id": np.arange(1, rounds + 1),
                "quarter": np.char.add(
                    np.char.add((q // 4).astype(str), "Q"), (q % 4 + 1).astype(str)
                ).astype(object),
                "opened_at": w(opened),
                "closes_at": w(opened + 21 * DAY),
                "created_at": w(opened),
                "updated_at": w(opened),
                "version": 1,
                "partnership_id": pids[r_part],
            },
            rounds,
        )
        counts["pulse_rounds"] = rounds
        # the responses make up the rest, so that the total is the number of events asked for
        n = max(0, events - sum(counts.values()))  # pulse rounds included
        order = np.argsort(r_part, kind="stable")
        r_first = np.searchsorted(r_part[order], np.arange(len(parts)))
        r_count = np.bincount(r_part, minlength=len(parts))
        with_rounds = np.where(r_count > 0, weight, 0.0)
        idx = rng.choice(len(parts), size=n, p=with_rounds / with_rounds.sum())
        chosen = order[r_first[idx] + rng.integers(0, 1 << 30, n) % r_count[idx]]
        answered = np.minimum(opened[chosen] + rng.random(n) * 21 * DAY, now - 60)
        scores = {
            k: rng.choice([1, 2, 3, 4, 5], size=n, p=[0.03, 0.07, 0.25, 0.4, 0.25])
            for k in ("trust", "commitment", "satisfaction", "cooperation", "conflict_handling")
        }
        ins.insert(
            "pulse_pulseresponse",
            {
                "side": side(n),
                **scores,
                "comment": "",
                "answered_at": w(answered),
                "created_at": w(answered),
                "updated_at": w(answered),
                "version": 1,
                "partnership_id": pids[idx],
                "round_id": chosen + 1,
            },
            n,
        )
        counts["pulse_responses"] = n
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA foreign_key_check")
            assert not cursor.fetchall(), "the generated rows break a foreign key"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("risks_risk", "moments_touchpoint", "improvement_initiative", "pulse_pulseround"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                )
    return counts


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        old = connection.connection.autocommit
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        connection.connection.autocommit = old
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- the measured things ---------------------------------------------------------------------------------

# (table, partnership column, date column, join) of every source the Health Index reads
SOURCES = (
    ("commitments_commitment", "partnership_id", "created_at", ""),
    ("cases_case", "partnership_id", "created_at", ""),
    ("moments_touchpoint", "partnership_id", "occurred_at", ""),
    ("moments_surveyrequest", "partnership_id", "created_at", ""),
    ("value_valueentry", "partnership_id", "created_at", ""),
    ("pulse_pulseround", "partnership_id", "opened_at", ""),
    ("pulse_pulseresponse", "partnership_id", "answered_at", ""),
    ("risks_risk", "partnership_id", "created_at", ""),
    ("improvement_initiative", "partnership_id", "created_at", ""),
    (
        "improvement_measurement",
        "i.partnership_id",
        "m.measured_on",
        "m JOIN improvement_initiative i ON i.id = m.initiative_id",
    ),
)


def group_by_sql(vendor: str) -> str:
    parts = []
    for table, pid, when, join in SOURCES:
        source = f"improvement_measurement {join}" if join else table
        parts.append(f"SELECT {pid} AS pid, {when} AS t FROM {source}")  # noqa: S608
    union = " UNION ALL ".join(parts)
    if vendor == "postgresql":
        week = "date_trunc('week', t AT TIME ZONE 'Asia/Jakarta')"
    else:
        week = "date(t, '+7 hours', '-6 days', 'weekday 1')"
    return f"SELECT pid, {week} AS week, COUNT(*) FROM ({union}) e GROUP BY 1, 2"  # noqa: S608


def raw_group_by() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(group_by_sql(connection.vendor))
        return len(cursor.fetchall())


def naive_loop(sample: list[int], since: dt.date, until: dt.date) -> dict[int, dict[Any, dict[str, int]]]:
    """Per partnership, per source: the ORM rows, then 13-week window counts per week in Python."""
    from django.utils import timezone

    from mitra.cases.models import Case
    from mitra.commitments.models import Commitment
    from mitra.health.io import monday
    from mitra.improvement.models import Initiative, Measurement
    from mitra.moments.models import SurveyRequest, Touchpoint
    from mitra.partnerships.models import Bridge, Partnership
    from mitra.pulse.models import PulseResponse, PulseRound
    from mitra.risks.models import Risk
    from mitra.value.models import ValueEntry

    first = monday(since) - dt.timedelta(weeks=4)
    weeks = []
    week = first
    while week <= monday(until):
        weeks.append(week)
        week += dt.timedelta(weeks=1)
    sources: list[tuple[str, Any, str]] = [
        ("commitments_settled", Commitment, "done_at"),
        ("commitments_due", Commitment, "due_date"),
        ("cases_raised", Case, "created_at"),
        ("cases_resolved", Case, "resolved_at"),
        ("cases_closed", Case, "closed_at"),
        ("touchpoints", Touchpoint, "occurred_at"),
        ("surveys", SurveyRequest, "answered_at"),
        ("value_confirmed", ValueEntry, "confirmed_at"),
        ("pulse_rounds", PulseRound, "closes_at"),
        ("pulse_responses", PulseResponse, "answered_at"),
        ("risks", Risk, "created_at"),
        ("initiatives", Initiative, "created_at"),
        ("bridges", Bridge, "created_at"),
    ]

    def day_of(value: Any) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).date()
        return value

    result: dict[int, dict[Any, dict[str, int]]] = {}
    for pk in sample:
        p = Partnership.objects.get(pk=pk)
        per_week: dict[Any, dict[str, int]] = {w: {} for w in weeks}
        for name, model, field in sources:
            records = list(model.objects.filter(partnership=p))
            for w in weeks:
                lo, hi = w - dt.timedelta(weeks=12), w + dt.timedelta(days=7)
                n = 0
                for r in records:
                    day = day_of(getattr(r, field))
                    if day is not None and lo <= day < hi:
                        n += 1
                per_week[w][name] = n
        measured = list(Measurement.objects.filter(initiative__partnership=p))
        for w in weeks:
            per_week[w]["measurements"] = sum(1 for m in measured if m.measured_on < w + dt.timedelta(days=7))
        result[pk] = per_week
    return result


def count_queries(fn: Callable[[], Any]) -> dict[str, int]:
    """Statements run by ``fn``: all of them, and the reads (SELECT, COPY out) among them."""
    from django.db import connection

    counts = {"all": 0, "select": 0}

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counts["all"] += 1
        # reads: SELECTs, and on PostgreSQL the COPY (SELECT …) TO STDOUT that io.fetch uses
        counts["select"] += sql.lstrip().upper().startswith(("SELECT", "COPY ("))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return counts


def timed(fn: Callable[[], Any], repeat: int = 1) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def stage_breakdown(since: dt.date) -> dict[str, float]:
    """One recompute with its stages timed (wrappers around the functions health_recompute calls)."""
    from unittest import mock

    from mitra.health import io, services

    spent: dict[str, float] = {}

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def inner(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return inner

    patches = [
        mock.patch.object(services, "load_metrics", wrap("load_metrics", io.load_metrics)),
        mock.patch.object(services, "compute_health", wrap("engine", services.compute_health)),
        mock.patch.object(services, "snapshot_rows", wrap("snapshot_rows", services.snapshot_rows)),
    ]
    for source in (
        "commitments",
        "pulse",
        "cases",
        "initiatives",
        "moments",
        "value",
        "breadth",
        "risks",
        "frame",
    ):
        patches.append(mock.patch.object(io.Loader, source, wrap(f"io.{source}", getattr(io.Loader, source))))
    for p in patches:
        p.start()
    try:
        started = time.perf_counter()
        services.health_recompute(since=since)
        total = time.perf_counter() - started
    finally:
        for p in patches:
            p.stop()
    known = spent["load_metrics"] + spent["engine"] + spent["snapshot_rows"]
    spent["write_and_rest"] = total - known
    spent["total"] = total
    return {k: round(v, 3) for k, v in spent.items()}


def run_child(args: argparse.Namespace) -> dict[str, Any]:
    database = args.database
    out: dict[str, Any] = {"database": database}
    with tempfile.TemporaryDirectory(prefix="mitra-bench-health-") as tmp:
        var_dir = args.var_dir or tmp
        _setup(database, var_dir)
        try:
            out.update(_measure(args, out))
        finally:
            from django.db import connections

            connections.close_all()
            if database == "postgresql" and not args.keep:
                _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
    return out


def _measure(args: argparse.Namespace, out: dict[str, Any]) -> dict[str, Any]:
    import random

    from django.utils import timezone

    from mitra.health import services
    from mitra.health.io import monday
    from mitra.partnerships.models import SHARED_STATUSES, Partnership

    db = args.database
    started = time.perf_counter()
    out.update(_seed_plan(args.partnerships, args.seed))
    counts = _fill_events(args.events, args.seed)
    _analyze()
    out["generate_s"] = round(time.perf_counter() - started, 1)
    out["events"] = sum(counts.values())
    out["events_by_source"] = counts
    ids = list(
        Partnership.objects.filter(status__in=SHARED_STATUSES).order_by("pk").values_list("pk", flat=True)
    )
    out["workspace_partnerships"] = len(ids)
    say(
        f"[{db}] generated {out['partnerships']} partnerships ({len(ids)} with a workspace), "
        f"{out['organisations']} organisations, {out['people']} people, {out['bridges']} bridges and "
        f"{out['events']} events {counts} in {out['generate_s']} s (not judged)"
    )

    today = timezone.localdate()
    since = monday(today) - dt.timedelta(weeks=1)
    out["since"] = since.isoformat()

    groups = raw_group_by()
    out["group_by_rows"] = groups
    out["group_by_s"] = round(timed(raw_group_by, args.repeat), 3)
    say(
        f"[{db}] raw GROUP BY over all {out['events']} events: {out['group_by_s']} s ({groups} partnership-weeks)"
    )

    def recompute() -> Any:
        return services.health_recompute(since=since)

    result = recompute()  # also the first (cold) run
    out["recompute_snapshots"] = result.snapshots
    out["recompute_s"] = round(timed(recompute, args.repeat), 3)
    q_all = count_queries(recompute)
    small = ids[: args.small]
    q_small = count_queries(lambda: services.health_recompute(partnership_ids=small, since=since))
    out["recompute_queries"] = q_all["all"]
    out["recompute_selects"] = q_all["select"]
    out["queries_small_partnerships"] = len(small)
    out["queries_small"] = q_small["all"]
    out["selects_small"] = q_small["select"]
    out["queries_all_partnerships"] = len(ids)
    say(
        f"[{db}] full recompute since {since} ({len(ids)} partnerships, {result.snapshots} snapshots written): "
        f"{out['recompute_s']} s; queries (reads): {out['queries_small']} ({out['selects_small']}) for "
        f"{len(small)} partnerships, {out['recompute_queries']} ({out['recompute_selects']}) for {len(ids)}"
    )
    out["stages"] = stage_breakdown(since)
    say(f"[{db}] stages of one recompute (s): {out['stages']}")

    sample = random.Random(args.seed).sample(ids, min(args.sample, len(ids)))
    naive_s = timed(lambda: naive_loop(sample, since, today))
    out["naive_sample"] = len(sample)
    out["naive_sample_s"] = round(naive_s, 3)
    out["naive_s"] = round(naive_s / len(sample) * len(ids), 1)
    say(
        f"[{db}] naive ORM loop: {out['naive_sample_s']} s for {len(sample)} partnerships, "
        f"extrapolated to {len(ids)}: {out['naive_s']} s"
    )
    out["ratio_vs_group_by"] = round(out["recompute_s"] / out["group_by_s"], 2)
    out["speedup_vs_naive"] = round(out["naive_s"] / out["recompute_s"], 1)
    target = 2.0 if db == "postgresql" else 3.0
    out["target_group_by"] = target
    out["targets_met"] = bool(
        out["ratio_vs_group_by"] <= target
        and out["speedup_vs_naive"] >= 30
        and out["queries_small"] == out["recompute_queries"]
    )
    say(
        f"[{db}] recompute / GROUP BY = {out['ratio_vs_group_by']} (target <= {target}); "
        f"naive / recompute = {out['speedup_vs_naive']} (target >= 30); "
        f"queries constant: {out['queries_small'] == out['recompute_queries']}"
    )

    backfill_ids = ids if args.backfill_partnerships <= 0 else ids[: args.backfill_partnerships]
    started = time.perf_counter()
    filled = services.health_recompute(partnership_ids=backfill_ids)
    out["backfill_s"] = round(time.perf_counter() - started, 2)
    out["backfill_partnerships"] = len(backfill_ids)
    out["backfill_snapshots"] = filled.snapshots
    say(
        f"[{db}] whole-history backfill of {len(backfill_ids)} of {len(ids)} partnerships: "
        f"{filled.snapshots} snapshots over {filled.weeks} weeks in {out['backfill_s']} s (not judged)"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--sample", type=int, default=50, help="partnerships in the naive loop's sample")
    parser.add_argument("--small", type=int, default=100, help="partnerships of the small query count")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--backfill-partnerships", type=int, default=0, help="backfill only the first N (0: all)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument(
        "--var-dir", default="", help="keep the SQLite file in this folder (default: a temporary one)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("CHILD " + json.dumps(run_child(args)), flush=True)
        return
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results: dict[str, Any] = {"partnerships": args.partnerships, "events_requested": args.events}
    for database in databases:
        command = [sys.executable, __file__, *sys.argv[1:], "--child", "--database", database]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
        assert proc.stdout is not None
        child: dict[str, Any] = {}
        for line in proc.stdout:
            if line.startswith("CHILD "):
                child = json.loads(line[6:])
            else:
                print(line, end="", flush=True)
        if proc.wait() != 0:
            raise SystemExit(f"the {database} run failed")
        prefix = "pg" if database == "postgresql" else "sqlite"
        for key, value in child.items():
            if key != "database":
                results[f"{prefix}_{key}"] = value
    print(json.dumps(results))


if __name__ == "__main__":
    main()
