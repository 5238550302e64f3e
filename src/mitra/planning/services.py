"""Writes of collaborative planning: loading the planning data, the agreement, forecasts, exceptions,
proposals and orders. Both sides write: the customer brings sell-out and stock, the supplier its items and
capacity; each side its own forecast."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mitra.core.errors import Invalid
from mitra.core.history import records_actor
from mitra.core.services import require_writer
from mitra.core.tenancy import Actor
from mitra.partnerships.workspace import writable_partnership
from mitra.planning import loading
from mitra.planning.loading import LoadReport


@records_actor
@transaction.atomic
def planning_data_load(
    actor: Actor,
    *,
    partnership_id: int,
    kind: str,
    rows: Sequence[Mapping[str, Any]],
    dry_run: bool = False,
    first_row: int = 2,
) -> LoadReport:
    """Load rows of planning data (``loading.KINDS``): all or nothing, matched on natural keys so a
    repeated load writes nothing new. A dry run checks and previews without writing."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    return loading.load(kind, partnership.pk, rows, first_row=first_row, dry_run=dry_run)


def planning_file_load(
    actor: Actor, *, partnership_id: int, kind: str, data: bytes, dry_run: bool = False
) -> LoadReport:
    """A CSV file of planning data: its rows, numbered as in the file (the header is row 1)."""
    require_writer(actor)
    writable_partnership(actor, partnership_id)  # a stranger learns nothing from the file's errors
    if kind not in loading.KINDS:
        raise Invalid({"kind": [_("Unknown kind of planning data: %(kind)s.") % {"kind": kind}]})
    rows = loading.read_csv(data, kind)
    return planning_data_load(
        actor, partnership_id=partnership_id, kind=kind, rows=rows, dry_run=dry_run, first_row=2
    )
