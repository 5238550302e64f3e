"""Jobs of the imports: a large file's dry run or commit, on the job worker."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from mitra.accounts.selectors import actor_from_membership
from mitra.core.history import acting_as
from mitra.transfer import importing
from mitra.transfer.models import ImportRun, ImportStatus

log = logging.getLogger(__name__)


@task()
def run_import(run_id: int, dry_run: int) -> str:
    """Check or write an uploaded file; the run's status and phase show the progress on the page."""
    run = ImportRun.objects.select_related("partnership", "created_by__user").filter(pk=run_id).first()
    if run is None or run.created_by is None:
        return "gone"
    actor = actor_from_membership(run.created_by)
    try:
        # No transaction around it: the phase updates must be seen while the rows are checked and written
        # (execute holds its own transaction for the rows).
        with acting_as(actor.user):
            run = importing.execute(actor, run, dry_run=bool(dry_run))
    except Exception:
        log.exception("import run %s failed", run_id)
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportStatus.FAILED,
            phase="",
            progress=100,
            errors=[
                {
                    "row": 0,
                    "column": "file",
                    "message": _("The import failed unexpectedly; nothing was written."),
                }
            ],
            error_total=1,
        )
        return "failed"
    return str(run.status)
