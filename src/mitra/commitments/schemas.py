"""Input and output shapes of the commitments API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from mitra.accounts.schemas import DepartmentOut, In
from mitra.commitments.models import CommitmentStatus
from mitra.core.api import Id, Storable
from mitra.partnerships.models import Side

Title = Annotated[str, Field(min_length=1, max_length=200), Storable]
Description = Annotated[str, Field(max_length=4000), Storable]
Reason = Annotated[str, Field(min_length=1, max_length=300), Storable]


def _name(user: Any) -> str | None:
    return user.get_full_name() if user is not None else None


class CommitmentOwnerOut(Schema):
    """The person who promised: their membership id (use it as ``owner_id``) and who they are."""

    id: int
    full_name: str
    email: str

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return obj.user.get_full_name()

    @staticmethod
    def resolve_email(obj: Any) -> str:
        return obj.user.email


class CommitmentBridgeOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


class CommitmentOut(Schema):
    """A promise of one side (``owner_side``) to the other, and what became of it."""

    id: int
    partnership_id: int
    title: str
    description: str
    owner: CommitmentOwnerOut | None = Field(
        description="The person who promised (a membership of either side)"
    )
    owner_side: Side
    bridge: CommitmentBridgeOut | None
    due_date: dt.date
    proactive: bool = Field(description="Offered before the other side asked for it")
    status: CommitmentStatus
    overdue: bool = Field(description="Open and past its due date")
    on_time: bool | None = Field(description="Once done: done on or before the due date")
    done_at: dt.datetime | None
    done_by: str | None
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    missed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    created_by: str | None
    created_by_side: Side
    restricted_department: DepartmentOut | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_bridge(obj: Any) -> Any:
        return obj.bridge if getattr(obj, "bridge_visible", False) else None

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(getattr(obj, "is_overdue", False))

    @staticmethod
    def resolve_done_by(obj: Any) -> str | None:
        return _name(obj.done_by)

    @staticmethod
    def resolve_acknowledged_by(obj: Any) -> str | None:
        return _name(obj.acknowledged_by)

    @staticmethod
    def resolve_created_by(obj: Any) -> str | None:
        return _name(obj.created_by)


class CommitmentReliabilityOut(Schema):
    """How one side keeps its promises in this partnership (cancelled commitments do not count)."""

    side: Side
    total: int
    settled: int = Field(description="Done, acknowledged or missed")
    kept_on_time: int = Field(description="Done on or before the due date")
    late: int = Field(description="Done after the due date")
    acknowledged: int
    missed: int
    proactive: int
    open: int
    overdue: int
    reliability: int | None = Field(description="Kept on time / settled, in percent")
    acknowledged_share: int | None = Field(description="Acknowledged / done, in percent")
    proactive_share: int | None = Field(description="Proactive / total, in percent")


class CommitmentIn(In):
    title: Title
    description: Description = ""
    owner_id: Id = Field(description="Membership id of the person who promises (either side)")
    bridge_id: Id | None = None
    due_date: dt.date
    proactive: bool = False
    restricted_department_id: Id | None = Field(
        None, description="Restrict the commitment to one department of your own side (and your admins)"
    )


class CommitmentPatch(In):
    """Fields left out or null stay as they are, except ``bridge_id``: null clears it."""

    title: Title | None = None
    description: Description | None = None
    owner_id: Id | None = Field(None, description="Another member of the same side")
    bridge_id: Id | None = None
    due_date: dt.date | None = None
    proactive: bool | None = None
    version: Id | None = None


class CommitmentCancelIn(In):
    reason: Reason
    version: Id | None = None
