"""The partnership's shared conversation: the timeline of events, discussion threads, mentions, notifications.

The threads work adds comments, mentions and notifications here; ``Event`` is the timeline every workflow
writes to through ``mitra.threads.events.record_event``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.accounts.models import Membership
from mitra.core.history import history_user
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


class Comment(SharedRecord):
    """One message in the discussion thread of a workflow record (``kind`` ``object_id``: ``risk`` 7).

    The thread is visible to both sides; a restricted record's comments carry the record's restriction, so
    they are seen by exactly those who see the record.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("record"))
    body = models.TextField(_("comment"), max_length=4000)
    author = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ("created_at", "id")
        indexes = [
            models.Index(fields=("partnership", "kind", "object_id", "created_at"), name="comment_thread")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="comment_body_not_empty",
                violation_error_message=_("Write something."),
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return reverse(
            "threads:thread",
            kwargs={"pk": self.partnership_id, "kind": self.kind, "object_id": self.object_id},
        )


class Mention(models.Model):
    """A person of the partnership named in a comment (``@Full Name`` or picked from the people list)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(
                fields=("comment", "membership"),
                name="mention_once_per_comment",
                violation_error_message=_("This person is already mentioned."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.comment_id} @{self.membership_id}"


class NotificationVerb(models.TextChoices):
    MENTIONED = "mentioned", _("mentioned you")
    COMMENTED = "commented", _("commented")


class Notification(models.Model):
    """An in-app notice for one person (a membership): someone mentioned them, or commented on a record they
    own or discuss. Read on the notifications page; e-mailed once after the write commits."""

    recipient = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="notifications")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("record"))
    verb = models.CharField(_("what happened"), max_length=20, choices=NotificationVerb.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=("recipient", "-created_at", "-id"), name="notification_inbox"),
            models.Index(
                fields=("recipient",), condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.verb} {self.kind} {self.object_id}"
