"""Minimal records of other apps (cases, initiatives) to link value entries to.

Built from the model's own fields, so that these tests do not depend on another workflow's services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from mitra.accounts.models import Membership


def make(model: type[models.Model], world: Any, **values: Any) -> Any:
    """Save a ``model`` with ``values``, filling every other required field with a plausible value."""
    obj = model(**values)
    # Increasing numbers and dates, so that "target beyond baseline" or "ends after it starts" hold.
    step = 0
    for field in model._meta.concrete_fields:
        if (
            field.primary_key
            or field.null
            or field.has_default()
            or field.attname in values
            or field.name in values
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        if field.is_relation:
            if field.related_model is Membership:
                setattr(obj, field.name, world.supplier_admin)
            continue
        step += 1
        if field.choices:
            value: Any = field.choices[0][0]
        elif isinstance(field, models.DateTimeField):
            value = timezone.now()
        elif isinstance(field, models.DateField):
            value = dt.date(2026, 1, 1) + dt.timedelta(days=step)
        elif isinstance(field, models.DecimalField):
            value = Decimal(step)
        elif isinstance(field, models.IntegerField | models.FloatField):
            value = step
        elif isinstance(field, models.BooleanField):
            value = False
        else:
            value = "x"
        setattr(obj, field.name, value)
    obj.save()
    return obj
