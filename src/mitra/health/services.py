"""Writes of the Health Index: recompute the weekly snapshots and reconcile the alerts; the weights and
bands both sides agree; acknowledging an alert and adopting its playbook.

Snapshots are derived: recomputing a range deletes that range and inserts it again, set-based, one
transaction per chunk of partnerships. Running it twice leaves the same rows. Each chunk's alerts are
reconciled with the rules' conditions in the latest week in the same transaction: new conditions open
alerts, held ones are refreshed, cleared ones close (three set-based statements).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mitra.accounts.models import Membership
from mitra.commitments.models import Commitment
from mitra.commitments.services import commitment_create
from mitra.core.errors import Conflict, Invalid, NotFound
from mitra.core.history import records_actor
from mitra.core.jobs import enqueue_on_commit
from mitra.core.services import check_version, require_writer
from mitra.core.tenancy import Actor, restrict
from mitra.health.engine import DIMENSIONS, Bands, HealthParams, compute_health
from mitra.health.engine import alerts as rules
from mitra.health.io import load_metrics, monday
from mitra.health.messages import alert_message, playbook_title
from mitra.health.models import (
    ACTIVE_ALERT_STATUSES,
    AlertStatus,
    HealthAlert,
    HealthSettings,
    HealthSnapshot,
)
from mitra.health.snapshots import snapshot_rows
from mitra.partnerships.models import SHARED_STATUSES, Bridge, Partnership, Side, Status
from mitra.partnerships.workspace import other_side, side_of, writable_partnership
from mitra.threads.events import record_event
from mitra.threads.models import Event

# Partnerships are scored in chunks of about this many partnership-weeks (the engine's frame rows): the
# weekly run (a few weeks each) is then one chunk, so its queries do not grow with the partnerships, and a
# full backfill (two years each) a handful.
CHUNK_ROWS = 400_000
MIN_CHUNK = 500
HISTORY_WEEKS = 2 * 53 + 13  # what a backfill chunk plans for: the demo's and most histories' length
TREND_WEEKS = 4  # compute_health needs the 4 weeks before the first one it scores (delta_4w, immunity)
ALERTING_STATUSES = (Status.ACTIVE, Status.PAUSED)  # an ended partnership's alerts close


@dataclass(frozen=True)
class RecomputeResult:
    partnerships: int
    snapshots: int
    weeks: int
    alerts_opened: int = 0
    alerts_closed: int = 0


def health_recompute(
    *,
    partnership_ids: Iterable[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RecomputeResult:
    """Recompute the snapshots of the partnerships (default: all with a workspace) for every ISO week
    from ``since`` (default: each partnership's start) to ``until`` (default: today), with each
    partnership's agreed weights and bands, and reconcile their alerts with the week of ``until``."""
    until = until or timezone.localdate()
    qs = Partnership.objects.filter(status__in=SHARED_STATUSES)
    if partnership_ids is not None:
        qs = qs.filter(pk__in=list(partnership_ids))
    listed = list(qs.order_by("pk").values_list("pk", "status"))
    ids = [pk for pk, _status in listed]
    alerting = {pk for pk, status in listed if status in ALERTING_STATUSES}
    params = HealthParams()
    written, weeks, opened, closed = 0, set(), 0, 0
    if progress:
        progress(0, len(ids))
    span = (monday(until) - monday(since)).days // 7 + TREND_WEEKS + 13 if since else HISTORY_WEEKS
    size = max(MIN_CHUNK, CHUNK_ROWS // max(span, 1))
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        lead = monday(since) - dt.timedelta(weeks=TREND_WEEKS) if since else None
        metrics = load_metrics(chunk, since=lead, until=until)
        weights, bands = _agreed(chunk)
        result = compute_health(metrics, params, weights=weights, bands=bands)
        snaps = result.snapshots
        if since:
            snaps = snaps[snaps["week"] >= pd.Timestamp(monday(since))]
        rows = snapshot_rows(snaps, result.drivers, dict(params.weights))
        if len(weights):
            agreed = weights.to_dict("index")
            for row in rows:
                row.weights = agreed.get(row.partnership_id, row.weights)
        current = rules.conditions(result.snapshots, week=pd.Timestamp(monday(until)))
        current = current[current["partnership_id"].isin(list(alerting))]
        live = [pk for pk in chunk if pk in alerting]
        with transaction.atomic():
            doomed = HealthSnapshot.objects.filter(partnership_id__in=chunk, week__lte=monday(until))
            if since:
                doomed = doomed.filter(week__gte=monday(since))
            doomed.delete()
            write_snapshots(rows)
            n_closed = close_alerts_of_ended(set(chunk) - alerting)
            n_open, n_cleared = _reconcile_alerts(live, current)
            n_closed += n_cleared
        written += len(rows)
        opened += n_open
        closed += n_closed
        weeks.update(snaps["week"].unique().tolist())
        if progress:
            progress(min(start + size, len(ids)), len(ids))
    return RecomputeResult(
        partnerships=len(ids),
        snapshots=written,
        weeks=len(weeks),
        alerts_opened=opened,
        alerts_closed=closed,
    )


SNAPSHOT_FIELDS = (
    "partnership_id",
    "week",
    "score",
    "band",
    "delta_1w",
    "delta_4w",
    "dimensions",
    "drivers",
    "weights",
    "computed_at",
)


def write_snapshots(rows: list[HealthSnapshot]) -> None:
    """Insert the snapshot rows in ONE statement whatever their number: a COPY on PostgreSQL (the JSON
    columns make a parameterised INSERT of thousands of rows slow), on SQLite an ``INSERT … SELECT`` over
    ``json_each`` of one JSON parameter (a plain bulk INSERT is split into batches by SQLite's cap on
    parameters), a bulk INSERT elsewhere."""
    table = HealthSnapshot._meta.db_table
    columns = ", ".join(f'"{f}"' for f in SNAPSHOT_FIELDS)
    dumps = json.dumps
    if connection.vendor == "sqlite":
        if not rows:
            return
        ops = connection.ops
        payload = dumps(
            [
                [
                    r.partnership_id,
                    ops.adapt_datefield_value(r.week),
                    r.score,
                    r.band,
                    r.delta_1w,
                    r.delta_4w,
                    r.dimensions,
                    r.drivers,
                    r.weights,
                    ops.adapt_datetimefield_value(r.computed_at),
                ]
                for r in rows
            ],
            allow_nan=False,
        )
        # json_extract gives an object or array back as its JSON text: what a JSONField stores on SQLite
        picks = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(SNAPSHOT_FIELDS)))
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" ({columns}) SELECT {picks} FROM json_each(%s)',  # noqa: S608
                [payload],
            )
        return
    if connection.vendor != "postgresql":
        HealthSnapshot.objects.bulk_create(rows, batch_size=1000)
        return
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
        for r in rows:
            copy.write_row(
                (
                    r.partnership_id,
                    r.week,
                    r.score,
                    r.band,
                    r.delta_1w,
                    r.delta_4w,
                    dumps(r.dimensions),
                    dumps(r.drivers),
                    dumps(r.weights),
                    r.computed_at,
                )
            )


def _agreed(partnership_ids: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The agreed weights (index partnership_id × DIMENSIONS) and bands (red_below, green_from) of the
    partnerships that have settings; one query."""
    found = list(
        HealthSettings.objects.filter(partnership_id__in=partnership_ids).values_list(
            "partnership_id", "weights", "red_below", "green_from"
        )
    )
    index = pd.Index([r[0] for r in found], name="partnership_id", dtype="int64")
    weights = pd.DataFrame(
        [[float(r[1].get(d, 0.0)) for d in DIMENSIONS] for r in found], index=index, columns=list(DIMENSIONS)
    )
    bands = pd.DataFrame(
        {"red_below": [r[2] for r in found], "green_from": [r[3] for r in found]},
        index=index,
        dtype="float64",
    )
    return weights, bands


def close_alerts_of_ended(partnership_ids: Iterable[int] | None = None) -> int:
    """Close the active alerts of ended partnerships (of ``partnership_ids``, or all): nobody acts on them."""
    doomed = HealthAlert.objects.filter(status__in=ACTIVE_ALERT_STATUSES).exclude(
        partnership__status__in=ALERTING_STATUSES
    )
    if partnership_ids is not None:
        doomed = doomed.filter(partnership_id__in=list(partnership_ids))
    return doomed.update(status=AlertStatus.CLOSED, closed_at=timezone.now(), closed_why="ended")


def _reconcile_alerts(partnership_ids: list[int], current: pd.DataFrame) -> tuple[int, int]:
    """Apply ``engine.alerts.reconcile`` to the partnerships' active alerts; returns (opened, closed)."""
    now = timezone.now()
    stored = ["priority", "dimension", "side", "value"]
    active = pd.DataFrame.from_records(
        list(
            HealthAlert.objects.filter(
                partnership_id__in=partnership_ids, status__in=ACTIVE_ALERT_STATUSES
            ).values_list("pk", "partnership_id", "type", "reason", *stored)
        ),
        columns=["alert_id", "partnership_id", "type", "reason", *stored],
    ).astype({"alert_id": "int64", "partnership_id": "int64"})
    plan = rules.reconcile(active, current, evaluated=partnership_ids)
    closed = 0
    for why in ("cleared", "duplicate"):
        doomed = plan.close.loc[plan.close["why"] == why, "alert_id"].tolist()
        if doomed:
            closed += HealthAlert.objects.filter(pk__in=doomed).update(
                status=AlertStatus.CLOSED, closed_at=now, closed_why=why
            )
    if len(plan.keep):
        _refresh_kept(plan.keep, active, partnership_ids)
    fresh = [
        HealthAlert(
            partnership_id=int(r["partnership_id"]),
            type=r["type"],
            reason=r["reason"],
            opened_week=r["week"].date(),
            opened_at=now,
            **_alert_fields(r),
        )
        for r in plan.open.to_dict("records")
    ]
    # A concurrent recompute may have opened the same alert: the partial unique index keeps one.
    HealthAlert.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
    if fresh:
        raised = HealthAlert.objects.filter(partnership_id__in=partnership_ids, opened_at=now)
        # the system writes these: in the site's language, whichever language the job runs in
        with translation.override(settings.LANGUAGE_CODE):
            _record_raised(raised, now)
    return len(fresh), closed


def _record_raised(raised: Any, now: dt.datetime) -> None:
    """Put each new alert on its partnership's timeline."""
    Event.objects.bulk_create(
        [
            Event(
                partnership_id=a.partnership_id,
                kind="alert",
                object_id=a.pk,
                verb="raised",
                title=alert_message(a)[:200],
                url=a.get_absolute_url(),
                at=now,
            )
            for a in raised
        ],
        batch_size=500,
    )


def _refresh_kept(keep: pd.DataFrame, active: pd.DataFrame, partnership_ids: list[int]) -> None:
    """The alerts whose condition still holds: every one moves to the evaluated week (one UPDATE), and
    only those whose priority, dimension, side or value changed are rewritten (one UPDATE per thousand)."""
    week = keep["week"].iloc[0].date()  # one evaluated week
    HealthAlert.objects.filter(partnership_id__in=partnership_ids, status__in=ACTIVE_ALERT_STATUSES).exclude(
        week=week
    ).update(week=week)
    now = pd.DataFrame(
        {
            "alert_id": keep["alert_id"].to_numpy(),
            "priority": keep["priority"].to_numpy(),
            "dimension": keep["dimension"].fillna("").to_numpy(),
            "side": keep["side"].fillna("").to_numpy(),
            "value": keep["value"].astype("float64").to_numpy(),
        }
    )
    before = active.set_index("alert_id").reindex(now["alert_id"])
    value_before = before["value"].astype("float64").to_numpy()
    same_value = np.isclose(now["value"].to_numpy(), value_before, rtol=0, atol=1e-9, equal_nan=True)
    changed = now[
        (now["priority"].to_numpy() != before["priority"].to_numpy())
        | (now["dimension"].to_numpy() != before["dimension"].to_numpy())
        | (now["side"].to_numpy() != before["side"].to_numpy())
        | ~same_value
    ]
    table = HealthAlert._meta.db_table
    sql = (
        f"WITH v(id, priority, dimension, side, value) AS (VALUES {{rows}}) "  # noqa: S608 - fixed names
        f'UPDATE "{table}" SET priority = v.priority, dimension = v.dimension, side = v.side, '
        f'value = CAST(v.value AS DOUBLE PRECISION) FROM v WHERE "{table}".id = v.id'
    )
    records = [
        (int(r.alert_id), r.priority, r.dimension, r.side, None if np.isnan(r.value) else float(r.value))
        for r in changed.itertuples(index=False)
    ]
    with connection.cursor() as cursor:
        for first in range(0, len(records), 1000):
            batch = records[first : first + 1000]
            cursor.execute(
                sql.format(rows=", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))),
                [x for row in batch for x in row],
            )


def _alert_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    value = row["value"]
    return {
        "priority": row["priority"],
        "dimension": row["dimension"] or "",
        "side": row["side"] or "",
        "value": None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value),
        "week": row["week"].date(),
    }


# --- the weights and bands both sides agree ------------------------------------------------------------


def settings_for_update(partnership: Partnership) -> HealthSettings:
    """The partnership's settings row, created with the defaults on first use, locked for this transaction."""
    HealthSettings.objects.get_or_create(partnership=partnership)
    return HealthSettings.objects.select_for_update().get(partnership=partnership)


def clean_weights(weights: Mapping[str, Any] | None) -> dict[str, float]:
    """Eight non-negative numbers, one per dimension, not all zero → fractions that sum to 1.
    Errors name the field ``weights.<dimension>``."""
    errors: dict[str, list[str]] = {}
    weights = weights or {}
    for key in sorted(set(weights) - set(DIMENSIONS)):
        errors[f"weights.{key}"] = [_("There is no dimension called “%(name)s”.") % {"name": key}]
    values: dict[str, float] = {}
    for d in DIMENSIONS:
        raw = weights.get(d)
        try:
            number = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors[f"weights.{d}"] = [_("Give this dimension a weight (a number from 0 to 100).")]
            continue
        if not math.isfinite(number) or number < 0 or number > 100:
            errors[f"weights.{d}"] = [_("A weight is a number from 0 to 100.")]
            continue
        values[d] = number
    if not errors and sum(values.values()) <= 0:
        errors["weights"] = [_("At least one dimension needs a weight above 0.")]
    if errors:
        raise Invalid(errors)
    total = sum(values.values())
    return {d: values[d] / total for d in DIMENSIONS}


def clean_bands(red_below: Any, green_from: Any) -> tuple[float, float]:
    errors: dict[str, list[str]] = {}
    out: dict[str, float] = {}
    for name, raw in (("red_below", red_below), ("green_from", green_from)):
        try:
            number = float(raw)
        except (TypeError, ValueError):
            errors[name] = [_("Give a score from 0 to 100.")]
            continue
        if not math.isfinite(number) or not 0 <= number <= 100:
            errors[name] = [_("Give a score from 0 to 100.")]
            continue
        out[name] = number
    if not errors and out["red_below"] > out["green_from"]:
        errors["green_from"] = [_("Green must start at or above the score where red ends.")]
    if errors:
        raise Invalid(errors)
    Bands(out["red_below"], out["green_from"])  # the engine's own check
    return out["red_below"], out["green_from"]


@records_actor
@transaction.atomic
def health_settings_propose(
    actor: Actor,
    *,
    partnership_id: int,
    weights: Mapping[str, Any],
    red_below: Any,
    green_from: Any,
    note: str = "",
    version: int | None = None,
) -> HealthSettings:
    """Propose new weights and bands. They apply once the other side agrees; a newer proposal (from
    either side) replaces a pending one."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    row = settings_for_update(partnership)
    check_version(row, version)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, float] = {}
    red = green = 0.0
    try:
        cleaned = clean_weights(weights)
    except Invalid as exc:
        errors.update(exc.errors)
    try:
        red, green = clean_bands(red_below, green_from)
    except Invalid as exc:
        errors.update(exc.errors)
    if errors:  # every field's error at once
        raise Invalid(errors)
    note = (note or "").strip()
    if len(note) > 500:
        raise Invalid({"note": [_("Keep the note under 500 characters.")]})
    same = all(math.isclose(cleaned[d], float(row.weights.get(d, -1)), abs_tol=1e-9) for d in DIMENSIONS)
    if same and row.red_below == red and row.green_from == green:
        raise Invalid(_("These are the weights and bands already agreed."))
    row.proposed_weights = cleaned
    row.proposed_red_below = red
    row.proposed_green_from = green
    row.proposed_by_side = side
    row.proposed_by = actor.user
    row.proposed_at = timezone.now()
    row.proposal_note = note
    row.version += 1
    row.save()
    record_event(actor, row, kind="health_settings", verb="proposed", title=_("Health weights and bands"))
    return row


@records_actor
@transaction.atomic
def health_settings_agree(actor: Actor, *, partnership_id: int, version: int | None = None) -> HealthSettings:
    """The other side agrees to the pending proposal: it becomes the agreed settings, and the whole
    history of the partnership is recomputed with them on the job backend."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    row = settings_for_update(partnership)
    check_version(row, version)
    if not row.has_proposal:
        raise Conflict(_("There is no proposal to agree to."))
    if row.proposed_by_side == side:
        raise Conflict(
            _("The %(side)s proposed these weights; only the other side can agree to them.")
            % {"side": Side(side).label.lower()}
        )
    row.weights = row.proposed_weights
    # has_proposal: the three proposed fields are set together
    row.red_below = float(row.proposed_red_below or 0.0)
    row.green_from = float(row.proposed_green_from or 0.0)
    row.agreed_at = timezone.now()
    row.agreed_by = actor.user
    _clear_proposal(row)
    row.version += 1
    row.save()
    record_event(actor, row, kind="health_settings", verb="agreed", title=_("Health weights and bands"))
    enqueue_on_commit("mitra.health.tasks.recompute_partnership", partnership.pk)
    return row


@records_actor
@transaction.atomic
def health_settings_decline(
    actor: Actor, *, partnership_id: int, version: int | None = None
) -> HealthSettings:
    """Drop the pending proposal: the other side declines it, or its own side withdraws it."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    row = settings_for_update(partnership)
    check_version(row, version)
    if not row.has_proposal:
        raise Conflict(_("There is no proposal to decline."))
    verb = "withdrawn" if row.proposed_by_side == side else "declined"
    _clear_proposal(row)
    row.version += 1
    row.save()
    record_event(actor, row, kind="health_settings", verb=verb, title=_("Health weights and bands"))
    return row


def _clear_proposal(row: HealthSettings) -> None:
    row.proposed_weights = None
    row.proposed_red_below = None
    row.proposed_green_from = None
    row.proposed_by_side = ""
    row.proposed_by = None
    row.proposed_at = None
    row.proposal_note = ""


# --- alerts: acknowledge, adopt the playbook -------------------------------------------------------------


def _locked_alert(actor: Actor, partnership_id: int, alert_id: int) -> tuple[Partnership, HealthAlert]:
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    alert = HealthAlert.objects.select_for_update().filter(pk=alert_id, partnership=partnership).first()
    if alert is None:
        raise NotFound(_("Alert not found."))
    if alert.status == AlertStatus.CLOSED:
        raise Conflict(_("This alert has closed: its condition no longer holds."))
    return partnership, alert


@records_actor
@transaction.atomic
def health_alert_acknowledge(actor: Actor, *, partnership_id: int, alert_id: int) -> HealthAlert:
    """Say that someone is on it. The alert stays active until its condition clears."""
    partnership, alert = _locked_alert(actor, partnership_id, alert_id)
    if alert.status == AlertStatus.ACKNOWLEDGED:
        raise Conflict(_("This alert has already been acknowledged."))
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor.user
    alert.acknowledged_side = side_of(actor, partnership)
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "acknowledged_side"])
    record_event(actor, alert, kind="alert", verb="acknowledged", title=alert_message(alert))
    return alert


@dataclass(frozen=True)
class Suggested:
    """A commitment an alert's playbook suggests, ready to adopt."""

    order: int
    title_key: str
    title: str
    owner_side: str
    due_in_days: int
    due_date: dt.date
    owner: Membership | None  # who will own it unless the user picks someone else


def suggested_commitments(alert: HealthAlert, actor: Actor) -> list[Suggested]:
    """The playbook's commitments for ``alert``, with due dates from today and default owners: the
    actor on their own side, the other side's owner of the partnership's longest-standing bridge."""
    partnership = alert.partnership
    frame = rules.suggestions(
        pd.DataFrame(
            [{"type": alert.type, "reason": alert.reason, "side": alert.side or None}],
        )
    )
    mine = side_of(actor, partnership)
    defaults = _default_owners(partnership, actor)
    today = timezone.localdate()
    out = []
    for r in frame.to_dict("records"):
        owner_side = r["owner_side"] if r["owner_side"] in (Side.SUPPLIER, Side.CUSTOMER) else mine
        out.append(
            Suggested(
                order=int(r["order"]),
                title_key=r["title_key"],
                title=playbook_title(r["title_key"]),
                owner_side=owner_side,
                due_in_days=int(r["due_in_days"]),
                due_date=today + dt.timedelta(days=int(r["due_in_days"])),
                owner=defaults.get(owner_side),
            )
        )
    return out


def _default_owners(partnership: Partnership, actor: Actor) -> dict[str, Membership | None]:
    mine = side_of(actor, partnership)
    bridge = (
        restrict(Bridge.objects.filter(partnership=partnership), actor)
        .select_related("supplier_owner__user", "customer_owner__user")
        .order_by("created_at", "pk")
        .first()
    )
    theirs = other_side(mine)
    owner = getattr(bridge, f"{theirs}_owner", None) if bridge else None
    if owner is not None and not owner.is_active:
        owner = None
    return {mine: actor.membership, theirs: owner}


@records_actor
@transaction.atomic
def health_alert_adopt(
    actor: Actor,
    *,
    partnership_id: int,
    alert_id: int,
    owners: Mapping[str, int] | None = None,
) -> list[Commitment]:
    """Adopt the alert's playbook: create each suggested commitment (owner per side from ``owners``,
    else the defaults of ``suggested_commitments``), link them to the alert and acknowledge it. All or
    nothing."""
    partnership, alert = _locked_alert(actor, partnership_id, alert_id)
    if alert.adopted_at is not None:
        raise Conflict(_("This alert's playbook has already been adopted."))
    owners = dict(owners or {})
    for key in sorted(set(owners) - {Side.SUPPLIER, Side.CUSTOMER}):
        raise Invalid({f"owners.{key}": [_("Owners are given per side: supplier or customer.")]})
    suggested = suggested_commitments(alert, actor)
    if not suggested:
        raise Conflict(_("This alert has no playbook."))
    message = alert_message(alert)
    created = []
    for s in suggested:
        owner_id = owners.get(s.owner_side) or (s.owner.pk if s.owner else None)
        if owner_id is None:
            raise Invalid(
                {
                    f"owners.{s.owner_side}": [
                        _("Choose who on the %(side)s side will own “%(title)s”.")
                        % {"side": Side(s.owner_side).label.lower(), "title": s.title}
                    ]
                }
            )
        try:
            commitment = commitment_create(
                actor,
                partnership_id=partnership.pk,
                title=s.title,
                owner_id=owner_id,
                due_date=s.due_date,
                description=_("From the playbook of the health alert: %(message)s") % {"message": message},
            )
        except Invalid as exc:  # name the owner field of this side, not the commitment form's
            raise Invalid(
                {f"owners.{s.owner_side}": [str(m) for msgs in exc.errors.values() for m in msgs]}
            ) from exc
        if commitment.owner_side != s.owner_side:
            raise Invalid(
                {
                    f"owners.{s.owner_side}": [
                        _("The owner of “%(title)s” must be a member of the %(side)s.")
                        % {"title": s.title, "side": Side(s.owner_side).label.lower()}
                    ]
                }
            )
        created.append(commitment)
    alert.commitments.add(*created)
    alert.adopted_at = timezone.now()
    alert.adopted_by = actor.user
    fields = ["adopted_at", "adopted_by"]
    if alert.status == AlertStatus.OPEN:
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_at = alert.adopted_at
        alert.acknowledged_by = actor.user
        alert.acknowledged_side = side_of(actor, partnership)
        fields += ["status", "acknowledged_at", "acknowledged_by", "acknowledged_side"]
    alert.save(update_fields=fields)
    record_event(actor, alert, kind="alert", verb="adopted", title=message)
    return created
