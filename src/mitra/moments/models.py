"""Moments of truth: the touchpoints where a partnership is won or lost, and the surveys that ask about them.

A touchpoint is an order, a delivery, an invoice, a meeting… with its outcome. A delivery also records the
promised and the actual date and quantity, from which on-time and in-full follow (stored, so that OTIF per
month is one grouped query). After a touchpoint, one person on the other side can be sent a one-time survey
link (no sign-in): CSAT 1–5, NPS 0–10 and a comment. Only the token's hash is stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.accounts.models import Membership
from mitra.core.history import history_user
from mitra.core.tenancy import SharedRecord
from mitra.partnerships.models import Bridge, Partnership, Side

DELIVERY_FIELDS = ("promised_date", "actual_date", "promised_quantity", "delivered_quantity")
INVOICE_FIELDS = ("amount", "due_date", "paid_date", "paid_amount")


class TouchpointKind(models.TextChoices):
    ORDER = "order", _("Order")
    DELIVERY = "delivery", _("Delivery")
    INVOICE = "invoice", _("Invoice")
    PAYMENT = "payment", _("Payment")
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    COMPLAINT = "complaint", _("Complaint")
    REVIEW = "review", _("Review")
    OTHER = "other", _("Other")


class TouchpointOutcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


# Short names for code; the API schema shows the full class names (they must be unique across apps).
Kind = TouchpointKind
Outcome = TouchpointOutcome


class Touchpoint(SharedRecord):
    """One moment of truth between the two sides."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="touchpoints", verbose_name=_("partnership")
    )
    bridge = models.ForeignKey(
        Bridge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="touchpoints",
        verbose_name=_("bridge"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.NEUTRAL)
    summary = models.CharField(_("summary"), max_length=300)
    recorded_by_side = models.CharField(_("recorded by side"), max_length=10, choices=Side.choices)
    recorded_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    promised_quantity = models.DecimalField(
        _("promised quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    delivered_quantity = models.DecimalField(
        _("delivered quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    on_time = models.BooleanField(_("on time"), null=True, blank=True, editable=False)
    in_full = models.BooleanField(_("in full"), null=True, blank=True, editable=False)
    # The document behind the moment (delivery note, invoice number…): how an import finds it again.
    reference = models.CharField(
        _("document number"),
        max_length=60,
        blank=True,
        help_text=_("The delivery note, invoice or order number, as in both partners' systems."),
    )
    amount = models.DecimalField(_("invoice amount"), max_digits=18, decimal_places=2, null=True, blank=True)
    due_date = models.DateField(_("payment due"), null=True, blank=True)
    paid_date = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("amount paid"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    paid_on_time = models.BooleanField(_("paid on time"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("moment of truth")
        verbose_name_plural = _("moments of truth")
        ordering = ("-occurred_at", "-id")
        indexes = [models.Index(fields=("partnership", "kind", "occurred_at"), name="touchpoint_by_kind")]
        constraints = [
            models.UniqueConstraint(
                "partnership",
                "kind",
                Lower("reference"),
                condition=~Q(reference=""),
                name="touchpoint_unique_reference",
                violation_error_message=_("This partnership already has this document number for this kind."),
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice")
                | Q(
                    amount__isnull=True,
                    due_date__isnull=True,
                    paid_date__isnull=True,
                    paid_amount__isnull=True,
                ),
                name="touchpoint_invoice_fields",
                violation_error_message=_("Only an invoice has an amount, a due date and a payment."),
            ),
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) | Q(amount__gte=0))
                & (Q(paid_amount__isnull=True) | Q(paid_amount__gte=0)),
                name="touchpoint_invoice_amounts",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(paid_on_time__isnull=True)
                | Q(paid_on_time=True, paid_date__lte=F("due_date"))
                | Q(paid_on_time=False, paid_date__gt=F("due_date")),
                name="touchpoint_paid_on_time_follows",
                violation_error_message=_("Paid on time must follow from the due and paid dates."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="delivery")
                    & Q(promised_date__isnull=False, actual_date__isnull=False)
                    & Q(promised_quantity__gte=0, delivered_quantity__gte=0)
                )
                | (
                    ~Q(kind="delivery")
                    & Q(promised_date__isnull=True, actual_date__isnull=True)
                    & Q(promised_quantity__isnull=True, delivered_quantity__isnull=True)
                ),
                name="touchpoint_delivery_fields",
                violation_error_message=_(
                    "A delivery needs promised and actual dates and quantities; other kinds have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(on_time__isnull=True, kind__in=[k for k in Kind.values if k != "delivery"])
                | Q(on_time=True, actual_date__lte=F("promised_date"))
                | Q(on_time=False, actual_date__gt=F("promised_date")),
                name="touchpoint_on_time_follows",
                violation_error_message=_("On time must follow from the promised and actual dates."),
            ),
            models.CheckConstraint(
                condition=Q(in_full__isnull=True, kind__in=[k for k in Kind.values if k != "delivery"])
                | Q(in_full=True, delivered_quantity__gte=F("promised_quantity"))
                | Q(in_full=False, delivered_quantity__lt=F("promised_quantity")),
                name="touchpoint_in_full_follows",
                violation_error_message=_("In full must follow from the promised and delivered quantities."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("moments:detail", args=[self.partnership_id, self.pk])

    @property
    def is_delivery(self) -> bool:
        return self.kind == Kind.DELIVERY

    @property
    def is_invoice(self) -> bool:
        return self.kind == Kind.INVOICE

    @property
    def otif(self) -> bool | None:
        if self.on_time is None or self.in_full is None:
            return None
        return self.on_time and self.in_full

    def clean(self) -> None:
        """A delivery needs its four fields (each missing one is named); other kinds take none of them.

        On time and in full follow from them.
        """
        errors: dict[str, list[str]] = {}
        if self.kind == Kind.DELIVERY:
            for name in DELIVERY_FIELDS:
                if getattr(self, name) is None:
                    errors[name] = [str(_("A delivery needs this."))]
            for name in ("promised_quantity", "delivered_quantity"):
                value = getattr(self, name)
                if value is not None and value < 0:
                    errors[name] = [str(_("A quantity cannot be negative."))]
        else:
            for name in DELIVERY_FIELDS:
                if getattr(self, name) is not None:
                    errors[name] = [str(_("Only a delivery has promised and actual dates and quantities."))]
        if self.kind == Kind.INVOICE:
            for name in ("amount", "paid_amount"):
                value = getattr(self, name)
                if value is not None and value < 0:
                    errors[name] = [str(_("An amount cannot be negative."))]
            if self.paid_date is not None and self.due_date is None:
                errors["due_date"] = [
                    str(_("A paid invoice needs its due date, to tell whether it was paid on time."))
                ]
            if (self.paid_amount is not None) != (self.paid_date is not None):
                missing = "paid_date" if self.paid_date is None else "paid_amount"
                errors[missing] = [str(_("A payment needs both its date and its amount."))]
        else:
            for name in INVOICE_FIELDS:
                if getattr(self, name) is not None:
                    errors[name] = [str(_("Only an invoice has an amount, a due date and a payment."))]
        self.reference = (self.reference or "").strip()
        if errors:
            raise ValidationError(errors)
        self.on_time, self.in_full = follow_otif(
            self.kind, self.promised_date, self.actual_date, self.promised_quantity, self.delivered_quantity
        )
        self.paid_on_time = follow_paid_on_time(self.kind, self.due_date, self.paid_date)


def follow_otif(
    kind: str,
    promised_date: dt.date | None,
    actual_date: dt.date | None,
    promised_quantity: Decimal | None,
    delivered_quantity: Decimal | None,
) -> tuple[bool | None, bool | None]:
    """On time (actual ≤ promised) and in full (delivered ≥ promised) of a delivery; None for other kinds."""
    if kind != Kind.DELIVERY:
        return None, None
    assert promised_date and actual_date and promised_quantity is not None and delivered_quantity is not None
    return actual_date <= promised_date, delivered_quantity >= promised_quantity


def follow_paid_on_time(kind: str, due_date: dt.date | None, paid_date: dt.date | None) -> bool | None:
    """Whether an invoice was paid by its due date; None until it is paid (and for other kinds)."""
    if kind != Kind.INVOICE or paid_date is None or due_date is None:
        return None
    return paid_date <= due_date


class SurveyStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")


class SurveyRequest(SharedRecord):
    """A one-time survey about a touchpoint, e-mailed as a link to one person on the other side."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("partnership")
    )
    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("moment of truth")
    )
    recipient = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    recipient_side = models.CharField(_("recipient's side"), max_length=10, choices=Side.choices)
    sent_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_by_side = models.CharField(_("sent by side"), max_length=10, choices=Side.choices)
    salt = models.CharField(max_length=40, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    email_sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("likelihood to recommend (0–10)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user, excluded_fields=["salt", "token_hash"])

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=1, csat__lte=5),
                name="survey_csat_range",
                violation_error_message=_("Satisfaction is from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__gte=0, nps__lte=10),
                name="survey_nps_range",
                violation_error_message=_("Likelihood to recommend is from 0 to 10."),
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, csat__isnull=True, nps__isnull=True)
                | Q(answered_at__isnull=False, csat__isnull=False, nps__isnull=False),
                name="survey_answered_has_scores",
                violation_error_message=_("An answered survey has both scores; an unanswered one has none."),
            ),
            models.CheckConstraint(
                condition=~Q(recipient_side=F("sent_by_side")),
                name="survey_to_the_other_side",
                violation_error_message=_("A survey goes to a person on the other side."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Survey about %(touchpoint)s") % {"touchpoint": self.touchpoint})

    def get_absolute_url(self) -> str:
        return reverse("moments:detail", args=[self.partnership_id, self.touchpoint_id])

    @property
    def status(self) -> str:
        if self.answered_at is not None:
            return SurveyStatus.ANSWERED
        if self.expires_at <= timezone.now():
            return SurveyStatus.EXPIRED
        return SurveyStatus.PENDING

    def get_status_display(self) -> str:
        return str(SurveyStatus(self.status).label)
