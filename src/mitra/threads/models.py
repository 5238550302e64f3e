"""The partnership's shared conversation: the timeline of events, discussion threads, mentions, notifications.

The threads work adds comments, mentions and notifications here; ``Event`` is the timeline every workflow
writes to through ``mitra.threads.events.record_event``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitra.core.tenancy import SharedRecord
from mitra.partnerships.models import Partnership, Side


class Event(SharedRecord):
    """One thing that happened in a partnership's workspace, for its timeline.

    ``kind`` and ``object_id`` name the record (``case`` 12); ``verb`` what happened to it (``resolved``).
    The title and link are kept as they were then, so the timeline is one indexed table, read without
    joining every workflow's tables. A restricted record's events carry the same restriction.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    verb = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    detail = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ("-at", "-id")
        indexes = [
            models.Index(fields=("partnership", "-at", "-id"), name="event_timeline"),
            models.Index(fields=("kind", "object_id"), name="event_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.verb}"
