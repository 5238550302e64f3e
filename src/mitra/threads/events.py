"""The timeline's write side: every workflow service records what happened with ``record_event``.

Call it inside the service's transaction, so the event commits (or rolls back) with the change itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitra.core.tenancy import Actor
from mitra.threads.models import Event

# What each record kind is called on the timeline.
KIND_LABELS: dict[str, Any] = {
    "commitment": _("commitment"),
    "case": _("case"),
    "option": _("option"),
    "value": _("value entry"),
    "touchpoint": _("moment of truth"),
    "survey": _("survey"),
    "pulse": _("relationship pulse"),
    "initiative": _("initiative"),
    "measurement": _("measurement"),
    "risk": _("risk"),
    "plan": _("business plan"),
    "alert": _("health alert"),
    "health_settings": _("health weights"),
    "comment": _("comment"),
}

# What happened, as the timeline says it ("Diana resolved the case …"). Unknown verbs show as they are.
VERB_LABELS: dict[str, Any] = {
    "created": _("created"),
    "updated": _("updated"),
    "done": _("marked done"),
    "acknowledged": _("acknowledged"),
    "missed": _("marked missed"),
    "cancelled": _("cancelled"),
    "reopened": _("reopened"),
    "outcome_confirmed": _("confirmed the desired outcome of"),
    "option_added": _("added an option to"),
    "chosen": _("chose an option for"),
    "resolved": _("resolved"),
    "confirmed": _("confirmed"),
    "disputed": _("disputed"),
    "closed": _("closed"),
    "recorded": _("recorded"),
    "sent": _("sent"),
    "answered": _("answered"),
    "measured": _("measured"),
    "stage_changed": _("moved to the next stage"),
    "commented": _("commented on"),
    "breached": _("breached the SLA of"),
    "published": _("published"),
    "opened": _("opened"),
    "agreed": _("agreed to"),
    "proposed": _("proposed"),
    "withdrawn": _("withdrew"),
    "declined": _("declined"),
    "raised": _("raised"),
    "adopted": _("adopted the playbook of"),
    "occurred": _("reported as happened"),
    "reviewed": _("reviewed"),
}


def record_event(
    actor: Actor | None,
    subject: Any,
    *,
    kind: str,
    verb: str,
    title: str = "",
    detail: str = "",
    url: str = "",
    at: dt.datetime | None = None,
) -> Event:
    """Add ``verb`` on ``subject`` (a workflow record with ``partnership`` and ``restricted_department``) to
    its partnership's timeline. ``actor`` is None for the system (a scheduled job)."""
    partnership = subject.partnership
    side = partnership.side_of(actor.organisation_id) if actor is not None else ""
    return Event.objects.create(
        partnership=partnership,
        restricted_department_id=getattr(subject, "restricted_department_id", None),
        kind=kind,
        object_id=subject.pk,
        verb=verb,
        title=(title or str(subject))[:200],
        detail=detail[:300],
        url=url or _url_of(subject),
        actor_user=actor.user if actor is not None else None,
        actor_side=side or "",
        at=at or timezone.now(),
    )


def _url_of(subject: Any) -> str:
    get = getattr(subject, "get_absolute_url", None)
    return get() if callable(get) else ""
