"""Jobs of the Health Index. Idempotent: a recompute rewrites the same snapshots."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from mitra.health import services
from mitra.partnerships.models import Partnership, Status


@task()
def recompute_current_week() -> int:
    """Weekly: recompute last week's and this week's snapshots of every active or paused partnership and
    reconcile their alerts; close the alerts of partnerships that ended since. Returns how many snapshots
    were written."""
    ids = Partnership.objects.filter(status__in=[Status.ACTIVE, Status.PAUSED]).values_list("pk", flat=True)
    since = timezone.localdate() - dt.timedelta(weeks=1)
    written = services.health_recompute(partnership_ids=list(ids), since=since).snapshots
    services.close_alerts_of_ended()
    return written


@task()
def recompute_partnership(partnership_id: int) -> int:
    """After both sides agree new weights or bands: recompute the partnership's whole history with them."""
    return services.health_recompute(partnership_ids=[partnership_id]).snapshots
