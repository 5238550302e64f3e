"""Improvement initiatives (PDCA) with a shared KPI.

SCAFFOLD: the improvement work completes this model (it may rewrite ``0001_initial``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mitra.core.tenancy import SharedRecord
from mitra.partnerships.models import Partnership


class Initiative(SharedRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("title"), max_length=200)
    source_cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="initiatives", verbose_name=_("started from cases")
    )

    def __str__(self) -> str:
        return self.title
