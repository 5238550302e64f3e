"""Helpers of the improvement tests: cases made from the model alone, measurements through the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from tests import factories as f

from mitra.cases.models import Case
from mitra.improvement import services
from mitra.improvement.models import Initiative, Measurement


def make_case(partnership: Any, title: str, root_cause: str = "process", **kwargs: Any) -> Case:
    """A case with only the fields this app relies on set; any other required field gets a plain value.

    The cases app owns how cases are raised; the improvement tests only need one to exist.
    """
    values: dict[str, Any] = {"partnership": partnership, "title": title, "root_cause": root_cause, **kwargs}
    for field in Case._meta.concrete_fields:
        if field.primary_key or field.name in values or field.attname in values:
            continue
        if field.null or field.has_default() or getattr(field, "auto_now_add", False):
            continue
        if getattr(field, "auto_now", False):
            continue
        if isinstance(field, models.ForeignKey):
            continue
        if field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, models.DateTimeField):
            values[field.name] = timezone.now() + dt.timedelta(days=3)
        elif isinstance(field, models.DateField):
            values[field.name] = timezone.localdate()
        elif isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
            values[field.name] = 1
        else:
            values[field.name] = "Stated by the customer"
    return Case.objects.create(**values)


def measure(world: Any, initiative: Initiative, days_ago: int, value: str, who: Any = None) -> Measurement:
    return services.measurement_create(
        f.actor(who or world.supplier_admin),
        partnership_id=initiative.partnership_id,
        initiative_id=initiative.pk,
        measured_on=timezone.localdate() - dt.timedelta(days=days_ago),
        value=Decimal(value),
    )
