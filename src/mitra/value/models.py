"""Value ledger: the economic benefit a partnership brings, a gain for one side at a time.

Either side records a gain (for itself or for the other side); it counts only once **the other side**
confirms it. The other side may dispute it instead, with a reason; the recorder then corrects it and it
waits for confirmation again.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.accounts.models import Membership
from mitra.core.history import history_user
from mitra.core.tenancy import SharedRecord
from mitra.partnerships.models import Partnership, Side

# An entry still unconfirmed after this long is flagged as stale.
STALE_AFTER = dt.timedelta(days=30)
# A side with no confirmed gain within this window is "not gaining".
RECENT_WINDOW = dt.timedelta(days=365)
# A side whose share of the confirmed value is below this (percent) is "not gaining" enough.
LOW_SHARE_PERCENT = 20


class Category(models.TextChoices):
    REVENUE_GROWTH = "revenue_growth", _("Revenue growth")
    COST_SAVED = "cost_saved", _("Cost saved")
    WORKING_CAPITAL = "working_capital", _("Working capital")
    STOCK_REDUCTION = "stock_reduction", _("Stock reduction")
    RISK_AVOIDED = "risk_avoided", _("Risk avoided")
    OTHER = "other", _("Other")


class EntryStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


class ValueEntry(SharedRecord):
    """One gain for one side (the beneficiary), in money, over a period, with the evidence for it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="value_entries")
    title = models.CharField(_("what was gained"), max_length=200)
    beneficiary_side = models.CharField(_("gain for"), max_length=10, choices=Side.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217 currency code"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="value_entries",
        verbose_name=_("case"),
    )
    initiative = models.ForeignKey(
        "improvement.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="value_entries",
        verbose_name=_("initiative"),
    )
    recorded_by_side = models.CharField(_("recorded by side"), max_length=10, choices=Side.choices)
    recorded_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.UNCONFIRMED
    )
    # When it last started waiting for the other side's confirmation (created, or corrected after a dispute).
    awaiting_since = models.DateTimeField(_("awaiting confirmation since"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    disputed_at = models.DateTimeField(_("disputed"), null=True, blank=True)
    disputed_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disputed by"),
    )
    dispute_reason = models.CharField(_("reason for the dispute"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("value entry")
        verbose_name_plural = _("value entries")
        ordering = ("-period_end", "-id")
        indexes = [models.Index(fields=("partnership", "status"), name="value_entry_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="value_entry_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="value_entry_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(beneficiary_side__in=["supplier", "customer"]),
                name="value_entry_beneficiary_side",
                violation_error_message=_("The gain is for the supplier or the customer."),
            ),
            models.CheckConstraint(
                condition=Q(recorded_by_side__in=["supplier", "customer"]),
                name="value_entry_recorded_by_side",
                violation_error_message=_("An entry is recorded by the supplier or the customer."),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="value_entry_confirmed_has_date",
                violation_error_message=_("A confirmed entry needs the date it was confirmed."),
            ),
            models.CheckConstraint(
                condition=~Q(status="disputed") | (Q(disputed_at__isnull=False) & ~Q(dispute_reason="")),
                name="value_entry_disputed_has_reason",
                violation_error_message=_("A disputed entry needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("value:detail", kwargs={"pk": self.partnership_id, "entry_id": self.pk})
