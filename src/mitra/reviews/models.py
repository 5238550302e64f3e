"""Prepared reviews: the quarterly review's PDF, made by the daily job before a charter review date.

Each copy is made for one organisation of the partnership (``organisation``), in its language, as a member
of that organisation without a department sees the partnership: records a department of that organisation
restricted are left out, so every member of the organisation may read the copy. The partner gets its own
copy, made the same way from its side; a copy is never shown to the other organisation.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitra.accounts.models import Organisation
from mitra.partnerships.models import Partnership

KEEP_PER_ORGANISATION = 12  # the newest prepared reviews kept per partnership and organisation


class PreparedReview(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="prepared_reviews")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("prepared for"),
        help_text=_("Only this organisation's members see the copy."),
    )
    quarter = models.CharField(_("quarter"), max_length=6)  # e.g. 2026Q3
    language = models.CharField(_("language"), max_length=5)
    review_date = models.DateField(_("review date"))
    pdf = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("prepared"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("prepared review")
        verbose_name_plural = _("prepared reviews")
        ordering = ("-review_date", "-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("partnership", "organisation", "quarter", "language", "review_date"),
                name="prepared_review_once",
            ),
        ]
        indexes = [models.Index(fields=("partnership", "organisation", "-created_at"))]

    def __str__(self) -> str:
        return f"{self.quarter} {self.language} {self.review_date.isoformat()}"

    @property
    def filename(self) -> str:
        return (
            f"review-{self.partnership_id}-{self.quarter}-{self.language}-{self.review_date.isoformat()}.pdf"
        )
