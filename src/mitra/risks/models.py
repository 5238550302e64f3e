"""Anticipation: the partnership's shared risk register."""

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


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WATCHING = "watching", _("Watching")
    OCCURRED = "occurred", _("Occurred")
    CLOSED = "closed", _("Closed")


class Risk(SharedRecord):
    """Something that could go wrong between the partners, agreed before it happens: how likely it is, how
    bad, the early signal to watch, and the response both sides have already agreed on."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("what could happen"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"), default=3)
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"), default=3)
    early_signal = models.CharField(_("early signal"), max_length=300, blank=True)
    response = models.TextField(_("pre-agreed response"), blank=True, max_length=4000)
    owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(_("status"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    raised_by_side = models.CharField(_("raised by"), max_length=10, choices=Side.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("raised"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5) & Q(impact__gte=1, impact__lte=5),
                name="risk_scales_1_to_5",
                violation_error_message=_("Likelihood and impact are between 1 and 5."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risks:detail", kwargs={"pk": self.partnership_id, "risk_id": self.pk})

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> str:
        """``high`` (15+), ``medium`` (8–14) or ``low``: the colour of the risk in the heat map."""
        return level_of(self.score)

    @property
    def is_active(self) -> bool:
        return self.status != RiskStatus.CLOSED

    @property
    def response_ready(self) -> bool:
        return bool(self.response.strip())


HIGH_SCORE = 15
MEDIUM_SCORE = 8
SCALE = (1, 2, 3, 4, 5)


def level_of(score: int) -> str:
    if score >= HIGH_SCORE:
        return "high"
    if score >= MEDIUM_SCORE:
        return "medium"
    return "low"
