"""Commitments: the mutual action plan (*sehidup semati*).

A commitment is a promise from one side to the other: a person of the promising side (the owner) will do
something by a due date. The owner's side marks it done; only the receiving side can acknowledge it. A
daily job marks open commitments whose due date has passed as missed; the owner's side may still deliver
it late. Each side's reliability (kept on time, acknowledged) is computed from these records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.accounts.models import Membership
from mitra.core.history import history_user
from mitra.core.tenancy import SharedRecord
from mitra.partnerships.models import Bridge, Partnership, Side


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


# Settled commitments count towards a side's reliability: the promise was either delivered or not.
SETTLED_STATUSES = (CommitmentStatus.DONE, CommitmentStatus.ACKNOWLEDGED, CommitmentStatus.MISSED)
DELIVERED_STATUSES = (CommitmentStatus.DONE, CommitmentStatus.ACKNOWLEDGED)


class Commitment(SharedRecord):
    """A promise from one side (the owner's) to the other, with a due date."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="commitments")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    owner_side = models.CharField(_("promised by"), max_length=10, choices=Side.choices)
    bridge = models.ForeignKey(
        Bridge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("bridge"),
    )
    due_date = models.DateField(_("due date"))
    proactive = models.BooleanField(
        _("proactive"), default=False, help_text=_("Offered before the other side asked for it.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    on_time = models.BooleanField(
        _("kept on time"), null=True, blank=True, help_text=_("Set when done: on or before the due date.")
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    missed_at = models.DateTimeField(_("missed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_side = models.CharField(_("recorded by"), max_length=10, choices=Side.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ("due_date", "id")
        indexes = [
            models.Index(fields=("partnership", "status", "due_date"), name="commitment_by_status"),
            models.Index(fields=("status", "due_date"), name="commitment_overdue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_side__in=["supplier", "customer"])
                & Q(created_by_side__in=["supplier", "customer"]),
                name="commitment_sides_valid",
                violation_error_message=_(
                    "A commitment is promised and recorded by the supplier or the customer."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "missed", "cancelled"])
                | Q(done_at__isnull=False, on_time__isnull=False),
                name="commitment_done_has_date",
                violation_error_message=_("A done commitment needs the date it was done."),
            ),
            models.CheckConstraint(
                condition=~Q(status="acknowledged") | Q(acknowledged_at__isnull=False),
                name="commitment_acknowledged_has_date",
                violation_error_message=_("An acknowledged commitment needs the date it was acknowledged."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="commitment_cancelled_has_reason",
                violation_error_message=_("A cancelled commitment needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status="missed") | Q(missed_at__isnull=False),
                name="commitment_missed_has_date",
                violation_error_message=_("A missed commitment needs the date it was missed."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:detail", kwargs={"pk": self.partnership_id, "commitment_id": self.pk})

    @property
    def receiving_side(self) -> str:
        return Side.CUSTOMER if self.owner_side == Side.SUPPLIER else Side.SUPPLIER

    @property
    def is_open(self) -> bool:
        return self.status == CommitmentStatus.OPEN
