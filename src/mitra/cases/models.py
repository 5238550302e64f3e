"""Cases: a problem raised by either side, solved around what the customer really wants most.

SCAFFOLD: the cases work completes this model (it may rewrite ``0001_initial``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mitra.core.tenancy import SharedRecord
from mitra.partnerships.models import Partnership


class Case(SharedRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("title"), max_length=200)
    anticipated_by = models.ForeignKey(
        "risks.Risk",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("anticipated by risk"),
    )

    def __str__(self) -> str:
        return self.title
