"""An import run: one uploaded file (spreadsheet or EDI message), its column mapping, its dry run and its commit.

The file is kept with the run so that the user can map the columns, look at the dry run and then commit
without uploading it again; a large file is checked and written by the job worker while the page shows
the run's phase.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mitra.accounts.models import Membership, Organisation
from mitra.partnerships.models import Partnership


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for the column mapping")
    QUEUED = "queued", _("Queued")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked: ready to import")
    IMPORTING = "importing", _("Importing")
    FAILED = "failed", _("Has errors: nothing was written")
    DONE = "done", _("Imported")


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    EDIFACT = "edifact", "EDIFACT"
    X12 = "x12", "ANSI X12"


class ImportRun(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="import_runs", verbose_name=_("partnership")
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    kind = models.CharField(_("kind"), max_length=20)
    filename = models.CharField(_("file"), max_length=200, blank=True)
    file_format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    data = models.BinaryField(editable=False)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    phase = models.CharField(max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=("partnership", "organisation", "created_at"), name="import_run_recent")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    @property
    def is_edi(self) -> bool:
        return self.file_format in (ImportFormat.EDIFACT, ImportFormat.X12)

    @property
    def busy(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.IMPORTING)
