"""Hand-made records for the io tests (plain ORM: the io reads records, however they were written)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from mitra.commitments.models import Commitment
from mitra.moments.models import Touchpoint
from mitra.risks.models import Risk
from mitra.value.models import ValueEntry

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(day: str, time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=JAKARTA)


def commitment(partnership: Any, side: str = "supplier", **fields: Any) -> Commitment:
    return Commitment.objects.create(
        partnership=partnership,
        title="Kirim jadwal produksi",
        owner_side=side,
        created_by_side=side,
        **fields,
    )


def touchpoint(partnership: Any, when: dt.datetime, **fields: Any) -> Touchpoint:
    fields.setdefault("kind", "meeting")
    fields.setdefault("outcome", "neutral")
    if fields["kind"] == "delivery":
        day = when.date()
        fields.setdefault("promised_date", day)
        fields.setdefault("actual_date", day)
        fields.setdefault("promised_quantity", 10)
        fields.setdefault("delivered_quantity", 10)
    return Touchpoint.objects.create(
        partnership=partnership,
        occurred_at=when,
        summary="Rapat mingguan",
        recorded_by_side="supplier",
        **fields,
    )


def risk(partnership: Any, created: dt.datetime, **fields: Any) -> Risk:
    item = Risk.objects.create(
        partnership=partnership,
        title="Stok gula menipis",
        likelihood=3,
        impact=3,
        raised_by_side="customer",
        **fields,
    )
    Risk.objects.filter(pk=item.pk).update(created_at=created)
    return item


def value_entry(partnership: Any, created: dt.datetime, **fields: Any) -> ValueEntry:
    entry = ValueEntry.objects.create(
        partnership=partnership,
        title="Hemat ongkos kirim",
        beneficiary_side="customer",
        category="cost_saved",
        amount=1000,
        currency="IDR",
        recorded_by_side="supplier",
        period_start=created.date(),
        period_end=created.date(),
        awaiting_since=created,
        **fields,
    )
    ValueEntry.objects.filter(pk=entry.pk).update(created_at=created, awaiting_since=created)
    return entry


def started(world: Any) -> Any:
    """``world.partnership`` started on 5 January 2026 with its bridge, and one good delivery on the 14th:
    the common beginning of the scored histories of the tests."""
    p = world.partnership
    p.start_date = dt.date(2026, 1, 5)
    p.save(update_fields=["start_date"])
    type(world.bridge).objects.filter(pk=world.bridge.pk).update(created_at=at("2026-01-05"))
    touchpoint(p, at("2026-01-14"), kind="delivery", on_time=True, in_full=True, outcome="positive")
    return p
