from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mitra.commitments.models import Commitment


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def backdate(commitment: Commitment, days: int) -> None:
    """Move a commitment's due date into the past (services refuse past due dates on purpose)."""
    Commitment.objects.filter(pk=commitment.pk).update(due_date=in_days(-days))
