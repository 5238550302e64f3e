"""Small builders for the moments tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from tests import factories as f

from mitra.moments import services
from mitra.moments.models import SurveyRequest, Touchpoint


def at(year: int, month: int, day: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


def delivery(
    world: Any,
    *,
    late_days: int = 0,
    short: int = 0,
    when: dt.datetime | None = None,
    membership: Any = None,
) -> Touchpoint:
    when = when or timezone.now()
    promised = timezone.localtime(when).date()
    return services.touchpoint_create(
        f.actor(membership or world.supplier_admin),
        partnership_id=world.partnership.pk,
        kind="delivery",
        summary="Pengiriman mingguan",
        occurred_at=when,
        promised_date=promised,
        actual_date=promised + dt.timedelta(days=late_days),
        promised_quantity=Decimal(100),
        delivered_quantity=Decimal(100 - short),
    )


def meeting(world: Any, membership: Any = None, **kwargs: Any) -> Touchpoint:
    return services.touchpoint_create(
        f.actor(membership or world.supplier_admin),
        partnership_id=world.partnership.pk,
        kind="meeting",
        summary=kwargs.pop("summary", "Rapat bulanan"),
        **kwargs,
    )


def survey(
    world: Any, touchpoint: Touchpoint, recipient: Any = None, sender: Any = None
) -> tuple[SurveyRequest, str]:
    s = services.survey_create(
        f.actor(sender or world.supplier_admin),
        partnership_id=world.partnership.pk,
        touchpoint_id=touchpoint.pk,
        recipient_id=(recipient or world.customer_admin).pk,
    )
    return s, services.survey_token(s)
