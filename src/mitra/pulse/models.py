"""The relationship pulse: each quarter, the people on both ends of every bridge say how the partnership feels.

Five questions, each answered 1–5: trust, commitment, satisfaction, cooperation and how conflicts are
handled. Results are only ever shown per side and per bridge, and never where fewer than three people
answered, so that no answer can be traced back to a person.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.accounts.models import Membership
from mitra.core.history import history_user
from mitra.core.tenancy import SharedRecord
from mitra.partnerships.models import Bridge, Partnership, Side

# Results of a group (a side, or one side of a bridge) are shown only from this many people on.
MIN_ANSWERS = 3

QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")

# The five questions, in the order they are asked.
QUESTIONS: tuple[tuple[str, Any], ...] = (
    ("trust", _("Trust")),
    ("commitment", _("Commitment")),
    ("satisfaction", _("Satisfaction")),
    ("cooperation", _("Cooperation")),
    ("conflict_handling", _("Handling of conflicts")),
)
QUESTION_PROMPTS: dict[str, Any] = {
    "trust": _("How much do you trust the other side to do what is right for both of us?"),
    "commitment": _("How committed is the other side to this partnership?"),
    "satisfaction": _("How satisfied are you with the partnership overall?"),
    "cooperation": _("How well do we work together day to day?"),
    "conflict_handling": _("How well are disagreements and problems handled?"),
}
SCORE_FIELDS = tuple(name for name, _label in QUESTIONS)


def quarter_of(day: dt.date) -> str:
    """``2026Q4`` for any day of October–December 2026."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _site_zone() -> ZoneInfo:
    """Quarters are calendar quarters of the site's time zone, whoever asks: both sides of a partnership (and
    the daily job) must agree on which round is current and when it closes."""
    return ZoneInfo(settings.TIME_ZONE)


def current_quarter(now: dt.datetime | None = None) -> str:
    return quarter_of(timezone.localdate(now or timezone.now(), timezone=_site_zone()))


def quarter_bounds(quarter: str) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the quarter and of the next one, in the site's time zone."""
    match = QUARTER_RE.match(quarter)
    if match is None:
        raise ValueError(f"not a quarter: {quarter!r}")
    year, q = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * (q - 1) + 1, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    tz = _site_zone()
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz),
        timezone.make_aware(dt.datetime.combine(end, dt.time.min), tz),
    )


def _score(label: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )


class PulseRound(SharedRecord):
    """One quarter's pulse of one partnership. It takes answers from when it opens until the quarter ends."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="pulse_rounds", verbose_name=_("partnership")
    )
    quarter = models.CharField(
        _("quarter"),
        max_length=6,
        validators=[RegexValidator(QUARTER_RE, _("Write the quarter like 2026Q4."))],
    )
    opened_at = models.DateTimeField(_("opened"))
    closes_at = models.DateTimeField(_("closes"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("pulse round")
        verbose_name_plural = _("pulse rounds")
        ordering = ("-quarter", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("partnership", "quarter"),
                name="pulse_round_one_per_quarter",
                violation_error_message=_("This partnership already has a pulse round for this quarter."),
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opened_at")),
                name="pulse_round_closes_after_opening",
                violation_error_message=_("A pulse round must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Pulse %(quarter)s") % {"quarter": self.quarter})

    def get_absolute_url(self) -> str:
        return reverse("pulse:overview", args=[self.partnership_id]) + f"?round={self.pk}"

    def is_open_at(self, now: dt.datetime) -> bool:
        return self.opened_at <= now < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())


class PulseResponse(SharedRecord):
    """One person's answer for one bridge in one round. Only ever shown in aggregate."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="pulse_responses", verbose_name=_("partnership")
    )
    round = models.ForeignKey(
        PulseRound, on_delete=models.CASCADE, related_name="responses", verbose_name=_("pulse round")
    )
    # Kept when a bridge is removed: the answer still counts for its side.
    bridge = models.ForeignKey(
        Bridge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pulse_responses",
        verbose_name=_("bridge"),
    )
    respondent = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pulse_responses",
        verbose_name=_("respondent"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    trust = _score(_("trust"))
    commitment = _score(_("commitment"))
    satisfaction = _score(_("satisfaction"))
    cooperation = _score(_("cooperation"))
    conflict_handling = _score(_("handling of conflicts"))
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("pulse answer")
        verbose_name_plural = _("pulse answers")
        ordering = ("-answered_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("round", "bridge", "respondent"),
                name="pulse_response_one_per_person_and_bridge",
                violation_error_message=_("You have already answered this round for this bridge."),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"pulse_response_{name}_1_to_5",
                    violation_error_message=_("Each answer is a score from 1 to 5."),
                )
                for name in SCORE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return str(_("Pulse answer (%(quarter)s)") % {"quarter": self.round.quarter})

    def get_absolute_url(self) -> str:
        return reverse("pulse:overview", args=[self.partnership_id]) + f"?round={self.round_id}"


class PulseInvitation(models.Model):
    """That a respondent was (or is about to be) e-mailed about a round: each person is invited once."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pulse invitation")
        verbose_name_plural = _("pulse invitations")
        constraints = [
            models.UniqueConstraint(fields=("round", "membership"), name="pulse_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round} → {self.membership}"
