"""The only database work of the Health Index: the records → the engine's metrics frame.

Everything is set-based. Each source is ONE grouped query (``values(...).annotate(Count/Sum)``) that
returns weekly increments; pandas/numpy then lay them on a dense grid (partnership × week) and turn
them into trailing 13-week window sums (cumulative sum minus the cumulative sum 13 weeks earlier) or
end-of-week states (+n in the week an interval starts, −n in the week it ends, cumulative sum). The
number of queries does not depend on the number of partnerships, records or weeks; no Python loop runs
over rows or partnerships (the loops below run over source tables and cadence groups).

``docs/health.md`` ("Where the figures come from") says which record and field feeds each column.
"""

from __future__ import annotations

import datetime as dt
import io as pyio
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import (
    Avg,
    BooleanField,
    CharField,
    Count,
    DateField,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Case as Choose
from django.db.models.functions import Coalesce, Concat, Greatest, TruncDate, TruncWeek
from django.utils import timezone

from mitra.cases.models import Case
from mitra.commitments.models import Commitment
from mitra.health.engine import metrics as contract
from mitra.improvement.models import Initiative, Measurement
from mitra.moments.models import SurveyRequest, Touchpoint
from mitra.partnerships.models import SHARED_STATUSES, Bridge, Partnership
from mitra.pulse.models import PulseResponse
from mitra.risks.models import Risk
from mitra.value.models import ValueEntry

WINDOW = contract.WINDOW_WEEKS
WIDE_RANGE = 500  # partnerships from which a range of ids is read by scanning, not through an index
WEEK = np.timedelta64(7, "D")


def site_tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def fixed_offset(zone: zoneinfo.ZoneInfo) -> int | None:
    """The zone's UTC offset in seconds when it has been the same since 1970 (no daylight saving, as
    Asia/Jakarta), else None."""
    offsets = {
        zone.utcoffset(dt.datetime(year, month, 1))
        for year in range(1970, dt.date.today().year + 2)
        for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return int(offset.total_seconds()) if offset is not None else None


class WeekStart(Func):
    """The Monday (a date) of the site-local week of a datetime, or of a date, in native SQL.

    Django's ``TruncWeek`` calls a Python function per row on SQLite; here SQLite uses its own
    ``date()`` (the site's fixed UTC offset, then back to Monday) and PostgreSQL ``date_trunc``. Other
    databases, and zones with daylight saving on SQLite, use ``TruncWeek``."""

    output_field = DateField()

    def __init__(self, expression: Any, *, date: bool = False) -> None:
        super().__init__(expression, output_field=DateField())
        self.date = date

    def fallback(self, compiler: Any, connection: Any) -> Any:
        source = self.source_expressions[0]
        if self.date:
            return compiler.compile(TruncWeek(source, output_field=DateField()))
        return compiler.compile(TruncWeek(source, output_field=DateTimeField(), tzinfo=site_tz()))

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        return self.fallback(compiler, connection)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        if self.date:
            return f"date({sql}, '-6 days', 'weekday 1')", params
        offset = fixed_offset(site_tz())
        if offset is None:
            return self.fallback(compiler, connection)
        return f"date({sql}, '{offset:+d} seconds', '-6 days', 'weekday 1')", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        if self.date:
            return f"(DATE_TRUNC('week', {sql}))::date", params
        return f"(DATE_TRUNC('week', {sql} AT TIME ZONE %s))::date", (*params, settings.TIME_ZONE)


class LocalDate(Func):
    """The site-local date of a datetime, in native SQL (``TruncDate`` where that is not possible)."""

    output_field = DateField()

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, output_field=DateField())

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        return compiler.compile(TruncDate(self.source_expressions[0], tzinfo=site_tz()))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        offset = fixed_offset(site_tz())
        if offset is None:
            return self.as_sql(compiler, connection)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{offset:+d} seconds')", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} AT TIME ZONE %s)::date", (*params, settings.TIME_ZONE)


class PlusDays(Func):
    """A datetime plus a whole number of days, in native SQL (Django's duration arithmetic calls a
    Python function per row on SQLite)."""

    output_field = DateTimeField()

    def __init__(self, expression: Any, days: int) -> None:
        super().__init__(expression, output_field=DateTimeField())
        self.days = int(days)

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        wrapped = ExpressionWrapper(
            self.source_expressions[0] + dt.timedelta(days=self.days), output_field=DateTimeField()
        )
        return compiler.compile(wrapped)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django stores 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC); %f keeps milliseconds
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', {sql}, '{self.days:+d} days')", params


class LocalDayNumber(Func):
    """SQLite only: the site-local day of a datetime as whole days since 1970-01-01 (a zone with a fixed
    UTC ``offset`` in seconds)."""

    output_field = IntegerField()

    def __init__(self, expression: Any, offset: int) -> None:
        super().__init__(
            F(expression) if isinstance(expression, str) else expression, output_field=IntegerField()
        )
        self.offset = int(offset)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(julianday({sql}) + {self.offset / 86400!r} - 2440587.5 AS INTEGER)", params


def unindexed(field: str) -> Any:
    """A column as an expression SQLite cannot answer from an index (``+ 0`` or ``|| ''``): for filters
    that keep most rows, where walking an index (a random read per row) is slower than one pass over the
    table. Elsewhere the plain column."""
    if connection.vendor != "sqlite":
        return F(field)
    if field.endswith("_id"):
        return ExpressionWrapper(F(field) + 0, output_field=IntegerField())
    return Concat(F(field), Value(""), output_field=CharField())


def week_of(field: Any, *, date: bool = False) -> WeekStart:
    """The Monday of a date or of a (site-local) datetime, in SQL."""
    return WeekStart(F(field) if isinstance(field, str) else field, date=date)


def grouped(qs: QuerySet[Any], keys: Mapping[str, Any], aggregates: Mapping[str, Any]) -> pd.DataFrame:
    """One GROUP BY query: ``keys`` (name → field or expression) and ``aggregates`` → a frame.

    When the query reads a wide range of partnerships through the unindexed ``health_pid`` (``Loader.qs``
    on SQLite), it groups by that too: grouping by the indexed column would make SQLite walk the index."""
    renamed = {}
    if "health_pid" in qs.query.annotations:
        renamed = {f"{name}_key": name for name, expr in keys.items() if expr == "partnership_id"}
        keys = {
            (f"{name}_key" if expr == "partnership_id" else name): (
                "health_pid" if expr == "partnership_id" else expr
            )
            for name, expr in keys.items()
        }
    exprs = {
        name: F(expr) if isinstance(expr, str) else expr
        for name, expr in keys.items()
        if not isinstance(expr, str) or name != expr
    }
    plain = [name for name, expr in keys.items() if isinstance(expr, str) and name == expr]
    rows = qs.annotate(**exprs).values(*plain, *exprs).annotate(**aggregates).order_by()
    frame = fetch(rows, [*(renamed.get(c, c) for c in [*plain, *exprs]), *aggregates])
    for name in keys:
        if name.startswith("week") or name.endswith("_week"):
            frame[name] = as_day(frame[name])
    return frame


def fetch(qs: QuerySet[Any], columns: list[str]) -> pd.DataFrame:
    """The rows of a ``values()`` query straight into a frame, with no per-row Python conversion: on
    PostgreSQL through ``COPY (query) TO STDOUT`` parsed by pandas' CSV reader, elsewhere from the
    cursor. Dates and datetimes come as they come (text or objects): the callers convert them
    column-wise (``as_day``, ``as_instant``)."""
    compiler = qs.query.get_compiler(using=qs.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # e.g. ``__in=[]``: nothing to ask the database
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    conn = connections[qs.db]
    if conn.vendor == "postgresql":
        return _copy_frame(conn, sql, params, columns)
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=names, coerce_float=True)
    return (
        frame.rename(columns=dict(zip(names, columns, strict=True)))[columns]
        if rows
        else frame.iloc[:0].reindex(columns=columns)
    )


def _copy_frame(conn: Any, sql: str, params: Any, columns: list[str]) -> pd.DataFrame:
    """A query's rows through COPY as CSV. It runs through Django's cursor wrappers, so query logging
    and counting (``execute_wrapper``, ``CaptureQueriesContext``) see it like any other query."""
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    data = bytearray()

    def run(sql: str, params: Any, many: bool, context: Any) -> None:
        with conn.wrap_database_errors, context["cursor"].cursor.copy(sql, params) as copy:
            for block in copy:
                data.extend(block)

    with conn.cursor() as cursor:
        if hasattr(cursor, "debug_sql"):  # a CursorDebugWrapper: log it as DEBUG and the test tools do
            with cursor.debug_sql(statement, params):
                cursor._execute_with_wrappers(statement, params, many=False, executor=run)
        else:
            cursor._execute_with_wrappers(statement, params, many=False, executor=run)
    if not data:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    return pd.read_csv(
        pyio.BytesIO(bytes(data)), header=None, names=columns, keep_default_na=False, na_values=[""]
    )


def as_day(values: pd.Series) -> pd.Series:
    """SQL dates (``YYYY-MM-DD`` text or date objects; None → NaT) → naive midnight datetime64."""
    if values.dtype.kind == "M":
        return values.astype("datetime64[ns]")
    # the first ten characters: a local midnight timestamp (``TruncWeek``'s fallback) is its date too
    text = values.astype("string").str.slice(0, 10)
    return pd.to_datetime(text, format="%Y-%m-%d").astype("datetime64[ns]")


def as_instant(values: pd.Series) -> pd.Series:
    """SQL timestamps (text with an offset, or datetime objects; naive ones are UTC) → UTC datetime64."""
    return pd.to_datetime(values.astype("string"), utc=True, format="ISO8601")


def pair_keys(first: Any, second: Any) -> np.ndarray:
    """Two non-negative integer columns → one int64 key per row (faster to index than a MultiIndex)."""
    return np.asarray(first, dtype="int64") * (1 << 31) + np.asarray(second, dtype="int64")


@dataclass
class Grid:
    """A dense ``len(rows) × len(weeks)`` layout; row keys are partnership ids or (e.g.) bridge ids."""

    rows: pd.Index
    weeks: pd.DatetimeIndex

    def zeros(self) -> np.ndarray:
        return np.zeros((len(self.rows), len(self.weeks)), dtype="float64")

    def positions(self, keys: Iterable[Any], weeks: pd.Series, *, clip: bool) -> tuple[np.ndarray, ...]:
        r = self.rows.get_indexer(pd.Index(keys))
        w = weeks.to_numpy(dtype="datetime64[ns]")
        c = np.searchsorted(self.weeks.to_numpy(), w, side="left")
        ok = (r >= 0) & ~np.isnat(w) & (c < len(self.weeks))
        if not clip:  # weeks before the grid fall out of it (window counts)
            ok &= w >= self.weeks[0].to_datetime64()
        return r[ok], c[ok], ok

    def add(self, arr: np.ndarray, keys: Any, weeks: pd.Series, values: Any, *, clip: bool = False) -> None:
        r, c, ok = self.positions(keys, weeks, clip=clip)
        np.add.at(arr, (r, c), np.asarray(values, dtype="float64")[ok])


def window_sum(arr: np.ndarray, weeks: int = WINDOW) -> np.ndarray:
    """Trailing sums over ``weeks`` columns (the current one included)."""
    cs = np.cumsum(arr, axis=1)
    out = cs.copy()
    out[:, weeks:] -= cs[:, :-weeks]
    return out


def rolling_sum(arr: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Trailing sums with a window length per row (loops over the distinct lengths only)."""
    out = np.zeros_like(arr)
    for k in np.unique(lengths):
        rows = lengths == k
        out[rows] = window_sum(arr[rows], int(k))
    return out


def fold(grid: Grid, parent_rows: np.ndarray, arr: np.ndarray, target: Grid) -> np.ndarray:
    """Sum the rows of ``arr`` (one per sub-record) into their partnership's row of ``target``."""
    out = target.zeros()
    r = target.rows.get_indexer(pd.Index(parent_rows))
    ok = r >= 0
    np.add.at(out, r[ok], arr[ok])
    return out


class Loader:
    def __init__(self, partnerships: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> None:
        self.partnerships = partnerships
        self.ids = partnerships["partnership_id"].tolist()
        # The grid starts a full window before the first week asked for, so every window is complete.
        weeks = pd.date_range(first - (WINDOW - 1) * pd.Timedelta(days=7), last, freq="7D")
        self.grid = Grid(pd.Index(partnerships["partnership_id"]), weeks)
        # the grid's first Monday, midnight in the site's time zone (lower bound of the SQL filters)
        self.start = dt.datetime.combine(weeks[0].date(), dt.time(), tzinfo=site_tz())
        self.columns: dict[str, np.ndarray] = {}
        self._touches: pd.DataFrame | None = None

    # ---- helpers -------------------------------------------------------------------------------
    def qs(self, model: Any, path: str = "partnership_id") -> QuerySet[Any]:
        """The model's records of the loaded partnerships. When their ids are dense (a chunk of the id
        order, or all of them), a range rather than a list of ids: the same query at any size, and
        records of other partnerships in the range fall out of the grid."""
        low, high = min(self.ids), max(self.ids)
        if len(self.ids) >= 0.5 * (high - low + 1):
            if connection.vendor == "sqlite" and len(self.ids) > WIDE_RANGE:
                # SQLite would walk the partnership index over nearly every row (a random read each) where
                # one pass over the table is several times faster: ``+ 0`` keeps the index out of it
                return model.objects.alias(health_pid=F(path) + 0).filter(
                    health_pid__gte=low, health_pid__lte=high
                )
            return model.objects.filter(**{f"{path}__gte": low, f"{path}__lte": high})
        return model.objects.filter(**{f"{path}__in": self.ids})

    def window(
        self,
        model: Any,
        when: Any,
        counts: Mapping[str, Any],
        *,
        where: Q | None = None,
        side: str | None = None,
        aliases: Mapping[str, Any] | None = None,
    ) -> None:
        """Window columns: weekly increments of ``counts`` by the week of ``when``, summed over 13 weeks.

        With ``side`` (a field holding "supplier" or "customer") the query is also grouped by it and each
        name's ``{side}`` is filled in: one scan for both sides."""
        qs = self.qs(model)
        if aliases:
            qs = qs.alias(**aliases)
        if where is not None:
            qs = qs.filter(where)
        lower = self.grid.weeks[0].date()
        qs = qs.alias(health_when=F(when) if isinstance(when, str) else when).filter(
            health_when__gte=self.start
        )
        keys: dict[str, Any] = {"partnership_id": "partnership_id", "week": week_of(when)}
        if side:
            keys["side"] = side
        frame = grouped(qs, keys, counts)
        frame = frame[frame["week"] >= pd.Timestamp(lower)]
        for s in ("supplier", "customer") if side else (None,):
            part = frame if s is None else frame[frame["side"] == s]
            for name in counts:
                arr = self.grid.zeros()
                self.grid.add(arr, part["partnership_id"], part["week"], part[name].fillna(0))
                self.columns[name.format(side=s)] = window_sum(arr)

    def state(
        self,
        name: str,
        model: Any,
        start: Any,
        end: Any,
        *,
        where: Q | None = None,
        side: str | None = None,
        aliases: Mapping[str, Any] | None = None,
        counts: Mapping[str, Any] | None = None,
    ) -> None:
        """End-of-week state: records whose interval [week of start, week of end) covers the week.

        One query grouped by (partnership, start week, end week); +n at the start, −n at the end. A start
        before the grid counts from its first week, so the database folds those intervals together.
        ``counts`` (name → aggregate) gives several states of one scan; by default ``name`` counts the
        records."""
        counts = counts or {name: Count("pk")}
        qs = self.qs(model)
        if aliases:
            qs = qs.alias(**aliases)
        if where is not None:
            qs = qs.filter(where)
        qs = qs.alias(health_start=F(start) if isinstance(start, str) else start).filter(
            health_start__isnull=False
        )
        keys: dict[str, Any] = {"partnership_id": "partnership_id"}
        if side:
            keys["side"] = side
        keys["start_week"] = Greatest(
            week_of(start, date=start == "due_date"),
            Value(self.grid.weeks[0].date(), output_field=DateField()),
        )
        if end is not None:
            keys["end_week"] = week_of(end)
            # an interval that ended before the grid adds +n and −n in its first column: leave it out
            ended = F(end) if isinstance(end, str) else end
            qs = qs.alias(health_end=ended).filter(Q(health_end__isnull=True) | Q(health_end__gte=self.start))
        frame = grouped(qs, keys, counts)
        if "end_week" not in frame:
            frame["end_week"] = pd.NaT
        sides = ("supplier", "customer") if side else (None,)
        for s in sides:
            part = frame if s is None else frame[frame["side"] == s]
            ended = part[part["end_week"].notna()]
            for column in counts:
                arr = self.grid.zeros()
                self.grid.add(arr, part["partnership_id"], part["start_week"], part[column], clip=True)
                self.grid.add(arr, ended["partnership_id"], ended["end_week"], -ended[column], clip=True)
                self.columns[column.format(side=s)] = np.cumsum(arr, axis=1)

    # ---- sources ---------------------------------------------------------------------------------
    def commitments(self) -> None:
        # (the status through an expression: on SQLite the status index would be walked for most rows)
        settled = Q(health_status__in=["done", "acknowledged", "missed"])
        delivered = Q(status__in=["done", "acknowledged"])
        self.window(
            Commitment,
            Coalesce("done_at", "missed_at"),
            {
                "{side}_commitments_settled": Count("pk"),
                "{side}_commitments_kept": Count("pk", filter=delivered & Q(on_time=True)),
                "{side}_commitments_acknowledged": Count("pk", filter=Q(status="acknowledged")),
                "{side}_commitments_proactive": Count("pk", filter=Q(proactive=True)),
            },
            where=settled,
            side="owner_side",
            aliases={"health_status": unindexed("status")},
        )
        # overdue from the week of the due date until the week it was delivered or cancelled
        overdue = (
            Q(done_at__isnull=True, cancelled_at__isnull=True)
            | Q(health_done_day__gt=F("due_date"))
            | Q(done_at__isnull=True, health_cancelled_day__gt=F("due_date"))
        )
        self.state(
            "{side}_commitments_overdue",
            Commitment,
            "due_date",
            Coalesce("done_at", "cancelled_at"),
            where=overdue,
            side="owner_side",
            aliases={
                "health_done_day": LocalDate("done_at"),
                "health_cancelled_day": LocalDate("cancelled_at"),
            },
        )

    def pulse(self) -> None:
        """Mean answers of the latest round closed in the window (carried forward for 13 weeks)."""
        # rounds closed before the grid cannot be in any asked week's window (the grid starts one window
        # before the first week asked for)
        qs = self.qs(PulseResponse).filter(answered_at__isnull=False, round__closes_at__gte=self.start)
        frame = grouped(
            qs,
            {
                "partnership_id": "partnership_id",
                "week": week_of("round__closes_at"),
                "closes_at": "round__closes_at",
            },
            {"trust": Avg("trust"), "commitment": Avg("commitment"), "satisfaction": Avg("satisfaction")},
        )
        frame["closes_at"] = as_instant(frame["closes_at"])
        frame = frame.sort_values(["partnership_id", "week", "closes_at"])
        frame = frame.drop_duplicates(["partnership_id", "week"], keep="last")
        for answer in ("trust", "commitment", "satisfaction"):
            arr = np.full((len(self.grid.rows), len(self.grid.weeks)), np.nan)
            r, c, ok = self.grid.positions(frame["partnership_id"], frame["week"], clip=False)
            arr[r, c] = frame[answer].to_numpy(dtype="float64")[ok]
            filled = pd.DataFrame(arr).ffill(axis=1, limit=WINDOW - 1).to_numpy()
            self.columns[f"pulse_{answer}"] = filled

    def cases(self) -> None:
        self.window(
            Case,
            "created_at",
            {
                "cases_total": Count("pk"),
                "cases_anticipated": Count("pk", filter=Q(anticipated_by__isnull=False)),
            },
        )
        self.window(
            Case,
            "resolved_at",
            {
                "cases_resolved": Count("pk"),
                "cases_resolved_within_sla": Count(
                    "pk", filter=Q(sla_due_at__isnull=True) | Q(resolved_at__lte=F("sla_due_at"))
                ),
            },
            where=Q(resolved_at__isnull=False),
        )
        self.window(
            Case,
            "closed_at",
            {
                "cases_closed": Count("pk"),
                "cases_outcome_confirmed": Count("pk", filter=Q(outcome_confirmed_at__isnull=False)),
            },
            where=Q(closed_at__isnull=False),
        )
        self.window(
            Case, "disputed_at", {"case_disputes": Sum("dispute_count")}, where=Q(disputed_at__isnull=False)
        )
        # recurring root causes: (partnership, root cause) rows, 3 or more cases in the window
        frame = grouped(
            self.qs(Case)
            .filter(created_at__gte=self.start)
            .exclude(root_cause__in=["", "unknown"])
            .exclude(root_cause__isnull=True),
            {"partnership_id": "partnership_id", "root_cause": "root_cause", "week": week_of("created_at")},
            {"n": Count("pk")},
        )
        keys = pair_keys(frame["partnership_id"], pd.factorize(frame["root_cause"])[0])
        pairs, first = np.unique(keys, return_index=True)
        sub = Grid(pd.Index(pairs), self.grid.weeks)
        arr = sub.zeros()
        sub.add(arr, keys, frame["week"], frame["n"])
        recurring = (window_sum(arr) >= 3).astype("float64")
        parents = frame["partnership_id"].to_numpy(dtype="int64")[first]
        self.columns["recurring_root_causes"] = fold(sub, parents, recurring, self.grid)

    def initiatives(self) -> None:
        self.state("initiatives_active", Initiative, "created_at", "closed_at")
        # progress: the share of the way from baseline to target of the latest measurement (as on the
        # improvement page), clipped to [0, 1]; initiatives without a measurement are left out of the mean
        columns = ["id", "partnership_id", "baseline", "target", "began", "closed"]
        inits = fetch(
            self.qs(Initiative)
            .annotate(began=week_of("created_at"), closed=week_of("closed_at"))
            .values(*columns)
            .order_by(),
            columns,
        )
        # only initiatives still open when the grid begins can have progress in it
        measured = fetch(
            self.qs(Measurement, "initiative__partnership_id")
            .filter(Q(initiative__closed_at__isnull=True) | Q(initiative__closed_at__gte=self.start))
            .annotate(week=week_of("measured_on", date=True))
            .order_by("initiative_id", "measured_on", "id")
            .values_list("initiative_id", "week", "value"),
            ["initiative_id", "week", "value"],
        )
        measured["week"] = as_day(measured["week"])
        measured = measured.drop_duplicates(["initiative_id", "week"], keep="last")
        sub = Grid(pd.Index(inits["id"]), self.grid.weeks)
        latest = np.full((len(sub.rows), len(sub.weeks)), np.nan)
        r, c, ok = sub.positions(measured["initiative_id"], measured["week"], clip=True)
        order = np.lexsort((c, r))  # earlier weeks first, so the latest measurement wins a clipped column
        latest[r[order], c[order]] = measured["value"].to_numpy(dtype="float64")[ok][order]
        latest = pd.DataFrame(latest).ffill(axis=1).to_numpy()
        baseline = inits["baseline"].to_numpy(dtype="float64")[:, None]
        span = inits["target"].to_numpy(dtype="float64")[:, None] - baseline
        with np.errstate(divide="ignore", invalid="ignore"):
            progress = np.clip((latest - baseline) / np.where(span == 0, np.nan, span), 0.0, 1.0)
        weeks = self.grid.weeks.to_numpy()[None, :]
        began = as_day(inits["began"]).to_numpy(dtype="datetime64[ns]")[:, None]
        closed = as_day(inits["closed"]).to_numpy(dtype="datetime64[ns]")[:, None]
        active = (weeks >= began) & (np.isnat(closed) | (weeks < closed))
        known = active & ~np.isnan(progress)
        parents = inits["partnership_id"].to_numpy()
        total = fold(sub, parents, np.where(known, progress, 0.0), self.grid)
        count = fold(sub, parents, known.astype("float64"), self.grid)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.columns["initiatives_progress"] = np.where(count > 0, total / count, np.nan)

    def touches(self) -> pd.DataFrame:
        """The grid's touchpoints, read ONCE for the moments of truth, the bridges' liveness and the people
        involved: counts by (partnership, bridge, recorder, week); the callers sum what they need."""
        if self._touches is None:
            known = Q(kind="delivery", on_time__isnull=False, in_full__isnull=False)
            flags = {
                "touchpoints_positive": Q(outcome="positive"),
                "touchpoints_negative": Q(outcome="negative"),
                "deliveries": known,
                "deliveries_otif": known & Q(on_time=True, in_full=True),
            }
            qs = self.qs(Touchpoint).filter(occurred_at__gte=self.start)
            keys = ["partnership_id", "bridge_id", "person", "week"]
            offset = fixed_offset(site_tz())
            if connection.vendor == "sqlite" and offset is not None:
                # SQLite sorts every row to group by four keys, slower than reading the rows as plain
                # numbers and grouping them in pandas (set-based too; only this read, only on SQLite)
                columns = ["partnership_id", "bridge_id", "person", "day", *flags]
                raw = fetch(
                    qs.annotate(
                        person=F("recorded_by_id"),
                        day=LocalDayNumber("occurred_at", offset),
                        **{
                            name: ExpressionWrapper(q, output_field=BooleanField())
                            for name, q in flags.items()
                        },
                    )
                    .values(*columns)
                    .order_by(),
                    columns,
                )
                days = raw["day"].to_numpy(dtype="int64")
                monday = (days - (days + 3) % 7).astype("datetime64[D]")  # 1970-01-01 was a Thursday
                raw = raw.assign(week=monday.astype("datetime64[ns]"), touchpoints=1)
                frame = (
                    raw.astype({name: "int64" for name in flags})
                    .groupby(keys, dropna=False, sort=False)[["touchpoints", *flags]]
                    .sum()
                    .reset_index()
                )
            else:
                frame = grouped(
                    qs,
                    {
                        "partnership_id": "partnership_id",
                        "bridge_id": "bridge_id",
                        "person": "recorded_by_id",
                        "week": week_of("occurred_at"),
                    },
                    {
                        "touchpoints": Count("pk"),
                        **{name: Count("pk", filter=q) for name, q in flags.items()},
                    },
                )
            self._touches = frame[frame["week"] >= self.grid.weeks[0]]
        return self._touches

    def moments(self) -> None:
        counts = [
            "touchpoints",
            "touchpoints_positive",
            "touchpoints_negative",
            "deliveries",
            "deliveries_otif",
        ]
        weekly = self.touches().groupby(["partnership_id", "week"], sort=False)[counts].sum().reset_index()
        for name in counts:
            arr = self.grid.zeros()
            self.grid.add(arr, weekly["partnership_id"], weekly["week"], weekly[name])
            self.columns[name] = window_sum(arr)
        self.window(
            SurveyRequest,
            "answered_at",
            {
                "survey_answers": Count("pk"),
                "_csat_answers": Count("pk", filter=Q(csat__isnull=False)),
                "_csat_top": Count("pk", filter=Q(csat__gte=4)),
                "_nps_answers": Count("pk", filter=Q(nps__isnull=False)),
                "_nps_promoters": Count("pk", filter=Q(nps__gte=9)),
                "_nps_detractors": Count("pk", filter=Q(nps__lte=6)),
            },
            where=Q(answered_at__isnull=False),
        )
        c = self.columns
        with np.errstate(divide="ignore", invalid="ignore"):
            c["csat"] = np.where(c["_csat_answers"] > 0, 100 * c["_csat_top"] / c["_csat_answers"], np.nan)
            c["nps"] = np.where(
                c["_nps_answers"] > 0,
                100 * (c["_nps_promoters"] - c["_nps_detractors"]) / c["_nps_answers"],
                np.nan,
            )

    def value(self) -> None:
        self.window(
            ValueEntry,
            "confirmed_at",
            {
                "supplier_value_confirmed": Sum("amount", filter=Q(beneficiary_side="supplier")),
                "customer_value_confirmed": Sum("amount", filter=Q(beneficiary_side="customer")),
                "_value_confirmed_entries": Count("pk"),
            },
            where=Q(status="confirmed", confirmed_at__isnull=False),
        )
        self.state("_value_pending", ValueEntry, "created_at", "confirmed_at")
        self.state(
            "value_disputed",
            ValueEntry,
            "disputed_at",
            "confirmed_at",
            where=Q(disputed_at__isnull=False)
            & (Q(confirmed_at__isnull=True) | Q(confirmed_at__gt=F("disputed_at"))),
        )
        # waiting since ``awaiting_since`` (reset when a disputed entry is submitted again) until the
        # current answer: confirmed or disputed
        stale = PlusDays(F("awaiting_since"), 30)
        waited = stale
        answered = Choose(
            When(status="confirmed", then=F("confirmed_at")),
            When(status="disputed", then=F("disputed_at")),
            default=None,
            output_field=DateTimeField(),
        )
        self.state(
            "value_unconfirmed_30d",
            ValueEntry,
            waited,
            answered,
            where=Q(status="unconfirmed")
            | Q(status="confirmed", confirmed_at__gt=stale)
            | Q(status="disputed", disputed_at__gt=stale),
        )
        self.columns["value_entries"] = (
            self.columns["_value_confirmed_entries"] + self.columns["_value_pending"]
        )

    def breadth(self) -> None:
        columns = ["id", "partnership_id", "cadence_days", "began"]
        bridges = fetch(
            self.qs(Bridge).annotate(began=week_of("created_at")).values(*columns).order_by(), columns
        )
        # touchpoints before the grid fall out of it, so only the grid's weeks are read
        touches = self.touches()
        on_bridges = touches[touches["bridge_id"].notna()]
        touched = (
            on_bridges.groupby([on_bridges["bridge_id"].astype("int64"), "week"], sort=False)["touchpoints"]
            .sum()
            .rename("n")
            .reset_index()
        )
        # bridges created within the grid but touched before it count from the grid's first week
        # (through the few bridges created within the grid and the touchpoints' bridge index: a join
        # would scan every touchpoint)
        recent = self.qs(Bridge).filter(created_at__gte=self.start).values("id")
        touched_before = fetch(
            Touchpoint.objects.filter(bridge_id__in=recent, occurred_at__lt=self.start)
            .values("bridge_id")
            .distinct()
            .order_by(),
            ["bridge_id"],
        )
        sub = Grid(pd.Index(bridges["id"]), self.grid.weeks)
        seen = sub.zeros()
        sub.add(seen, touched["bridge_id"], touched["week"], touched["n"] > 0)
        cadence_weeks = np.ceil(bridges["cadence_days"].fillna(7).clip(lower=1).to_numpy() / 7).astype(int)
        live = rolling_sum(seen, cadence_weeks) > 0
        # A bridge counts from its creation, or from its first touchpoint when that came earlier
        # (records imported after the fact); bridges keep no end date.
        first_touch = pd.concat(
            [
                touched[["bridge_id", "week"]],
                touched_before.assign(week=self.grid.weeks[0]).astype({"week": "datetime64[ns]"}),
            ]
        )
        first_touch = first_touch.groupby("bridge_id")["week"].min()
        touched_first = pd.Series(
            first_touch.reindex(bridges["id"]).to_numpy(dtype="datetime64[ns]"), index=bridges.index
        )
        began = pd.concat([as_day(bridges["began"]), touched_first], axis=1).min(axis=1)
        agreed = sub.zeros()
        sub.add(agreed, bridges["id"], began, np.ones(len(bridges)), clip=True)
        agreed = np.cumsum(agreed, axis=1) > 0
        live &= agreed
        parents = bridges["partnership_id"].to_numpy()
        self.columns["bridges_agreed"] = fold(sub, parents, agreed.astype("float64"), self.grid)
        self.columns["bridges_live"] = fold(sub, parents, live.astype("float64"), self.grid)

        # people involved: distinct members who recorded a touchpoint or owned a settled commitment
        people = pd.concat(
            [
                touches[touches["person"].notna()]
                .astype({"person": "int64"})
                .groupby(["partnership_id", "person", "week"], sort=False)["touchpoints"]
                .sum()
                .rename("n")
                .reset_index(),
                grouped(
                    self.qs(Commitment)
                    .alias(health_owner=unindexed("owner_id"))
                    .filter(health_owner__isnull=False, done_at__gte=self.start),
                    {"partnership_id": "partnership_id", "person": "owner_id", "week": week_of("done_at")},
                    {"n": Count("pk")},
                ),
            ]
        )
        keys = pair_keys(people["partnership_id"], people["person"])
        pairs, first = np.unique(keys, return_index=True)
        sub = Grid(pd.Index(pairs), self.grid.weeks)
        active = sub.zeros()
        sub.add(active, keys, people["week"], people["n"])
        involved = (window_sum(active) > 0).astype("float64")
        parents = people["partnership_id"].to_numpy(dtype="int64")[first]
        self.columns["people_involved"] = fold(sub, parents, involved, self.grid)

        # owners who left: deactivated members who still own a bridge or an open commitment (today's owners)
        left = []
        for side in ("supplier", "customer"):
            owner = f"{side}_owner"
            frame = grouped(
                self.qs(Bridge).filter(**{f"{owner}__is_active": False}),
                {
                    "partnership_id": "partnership_id",
                    "person": f"{owner}_id",
                    "week": week_of(f"{owner}__deactivated_at"),
                },
                {"n": Count("pk")},
            )
            left.append(frame.assign(side=side))
        frame = grouped(
            self.qs(Commitment).filter(status="open", owner__is_active=False),
            {
                "partnership_id": "partnership_id",
                "side": "owner_side",
                "person": "owner_id",
                "week": week_of("owner__deactivated_at"),
            },
            {"n": Count("pk")},
        )
        left.append(frame)
        gone = pd.concat(left).drop_duplicates(["partnership_id", "side", "person"])
        gone["week"] = gone["week"].fillna(self.grid.weeks[0])
        for side in ("supplier", "customer"):
            part = gone[gone["side"] == side]
            arr = self.grid.zeros()
            self.grid.add(arr, part["partnership_id"], part["week"], np.ones(len(part)), clip=True)
            self.columns[f"{side}_owners_left"] = np.cumsum(arr, axis=1)

    def risks(self) -> None:
        self.state(
            "risks_open",
            Risk,
            "created_at",
            _closed_at(),
            counts={
                "risks_open": Count("pk"),
                "risks_with_response": Count("pk", filter=~Q(response="")),
            },
        )

    # ---- assembly --------------------------------------------------------------------------------
    def frame(self, first_weeks: pd.Series) -> pd.DataFrame:
        n_rows, n_weeks = len(self.grid.rows), len(self.grid.weeks)
        out = pd.DataFrame(
            {
                "partnership_id": np.repeat(self.grid.rows.to_numpy(dtype="int64"), n_weeks),
                "week": np.tile(self.grid.weeks.to_numpy(dtype="datetime64[ns]"), n_rows),
            }
        )
        for col in contract.COUNT_COLUMNS:
            values = self.columns.get(col)
            out[col] = 0 if values is None else np.rint(np.clip(values, 0, None)).reshape(-1).astype("int64")
        for col in ("supplier_value_confirmed", "customer_value_confirmed"):
            out[col] = np.clip(self.columns[col], 0, None).reshape(-1)
        for col in contract.FLOAT_COLUMNS:
            values = self.columns.get(col)
            out[col] = np.nan if values is None else values.reshape(-1).astype("float64")
        out["competitor_mentions"] = np.nan  # no source yet
        out["share_of_wallet"] = np.nan  # no source yet
        bridges = out["bridges_agreed"].to_numpy()
        people = out["people_involved"].to_numpy()
        out["single_threaded"] = (bridges <= 1) & (people <= 2) & (bridges + people > 0)
        start = out["partnership_id"].map(first_weeks).to_numpy(dtype="datetime64[ns]")
        out = out[out["week"].to_numpy() >= start]
        return out[list(contract.COLUMNS)].reset_index(drop=True)


def _closed_at() -> Any:
    """When a risk stopped being open: the register keeps no close date, so the last update of an
    occurred or closed risk stands for it (see docs/health.md)."""
    return Choose(
        When(status__in=["occurred", "closed"], then=F("updated_at")),
        default=None,
        output_field=DateTimeField(),
    )


@contextmanager
def _tuned_for_scans() -> Iterator[None]:
    """On PostgreSQL, for this transaction only: let the planner split the big grouped scans over parallel
    workers and aggregate in memory (the defaults are tuned for short OLTP queries)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL parallel_setup_cost = 0")
            cursor.execute("SET LOCAL parallel_tuple_cost = 0.001")
            cursor.execute("SET LOCAL min_parallel_table_scan_size = '1MB'")
            cursor.execute("SET LOCAL work_mem = '64MB'")
    yield


def load_metrics(
    partnership_ids: Iterable[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """The metrics frame (``engine.metrics`` contract) of the partnerships (default: every one with a
    workspace), one row per ISO week from ``since`` (or the partnership's start) to ``until`` (today)."""
    until = until or timezone.localdate()
    qs = Partnership.objects.filter(status__in=SHARED_STATUSES)
    if partnership_ids is not None:
        qs = qs.filter(pk__in=list(partnership_ids))
    parts = pd.DataFrame.from_records(
        list(qs.values("id", "start_date", "created_at").order_by("id")),
        columns=["id", "start_date", "created_at"],
    ).rename(columns={"id": "partnership_id"})
    if parts.empty:
        return contract.validate(contract.empty_metrics())
    created = pd.to_datetime(parts["created_at"], utc=True).dt.tz_convert(site_tz()).dt.tz_localize(None)
    began = (
        pd.to_datetime(parts["start_date"])
        .astype("datetime64[ns]")
        .fillna(created.astype("datetime64[ns]"))
        .dt.normalize()
    )
    first = began - pd.to_timedelta(began.dt.day_of_week, unit="D")
    last = pd.Timestamp(monday(until))
    if since is not None:
        first = first.clip(lower=pd.Timestamp(monday(since)))
    first = first.clip(upper=last)
    loader = Loader(parts, first.min(), last)
    with transaction.atomic(), _tuned_for_scans():
        for source in (
            loader.commitments,
            loader.pulse,
            loader.cases,
            loader.initiatives,
            loader.moments,
            loader.value,
            loader.breadth,
            loader.risks,
        ):
            source()
    first_weeks = pd.Series(first.to_numpy(), index=parts["partnership_id"])
    return contract.validate(loader.frame(first_weeks))
