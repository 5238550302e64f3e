"""Input and output shapes of the partnership API: partnerships, partner invitations and bridges.

The acting side (``my_side``) and the partner are worked out from the caller's organisation, which the
resolvers read from the request in the serialisation context.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from mitra.accounts.schemas import DepartmentOut, Email, In, OrgName
from mitra.core.api import Id, Storable, actor_of
from mitra.partnerships.models import Partnership, Side, Status, Tier
from mitra.partnerships.selectors import threading

Goals = Annotated[str, Field(max_length=4000), Storable]
Message = Annotated[str, Field(max_length=2000), Storable]
Reason = Annotated[str, Field(max_length=300), Storable]
Note = Annotated[str, Field(max_length=300), Storable]
ReviewCadence = Annotated[int, Field(ge=7, le=366, description="Days between partnership reviews")]
BridgeCadence = Annotated[int, Field(ge=1, le=366, description="Days between meetings of the two owners")]


class StatusChange(enum.StrEnum):
    """The statuses a partnership can be moved to; a proposal is answered with accept or decline instead."""

    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


def _my_org_id(context: Any) -> int:
    return actor_of(context["request"]).organisation_id


# --- outputs ------------------------------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str


class PartnershipOut(Schema):
    """A partnership as one side sees it: which side it is, who the partner is and how well it is threaded."""

    id: int
    my_side: Side
    partner: OrganisationRef
    supplier: OrganisationRef
    customer: OrganisationRef
    proposed_by_me: bool
    status: Status
    tier: Tier
    start_date: dt.date | None
    review_cadence_days: int
    bridge_count: int
    supplier_people: int = Field(description="Distinct bridge owners on the supplier side")
    customer_people: int = Field(description="Distinct bridge owners on the customer side")
    single_bridge: bool = Field(description="The partnership hangs on one bridge (or none)")
    single_person: bool = Field(description="One side hangs on one person (or none)")
    single_threaded: bool = Field(description="Either of the above: the partnership is fragile")
    version: int

    @staticmethod
    def resolve_my_side(obj: Partnership, context: Any) -> str | None:
        return obj.side_of(_my_org_id(context))

    @staticmethod
    def resolve_partner(obj: Partnership, context: Any) -> Any:
        return obj.partner_of(_my_org_id(context))

    @staticmethod
    def resolve_proposed_by_me(obj: Partnership, context: Any) -> bool:
        return obj.proposed_by_id == _my_org_id(context)

    @staticmethod
    def resolve_bridge_count(obj: Partnership) -> int:
        return threading(obj).bridges

    @staticmethod
    def resolve_supplier_people(obj: Partnership) -> int:
        return threading(obj).supplier_people

    @staticmethod
    def resolve_customer_people(obj: Partnership) -> int:
        return threading(obj).customer_people

    @staticmethod
    def resolve_single_bridge(obj: Partnership) -> bool:
        return threading(obj).single_bridge

    @staticmethod
    def resolve_single_person(obj: Partnership) -> bool:
        return threading(obj).single_person

    @staticmethod
    def resolve_single_threaded(obj: Partnership) -> bool:
        return threading(obj).at_risk


class PartnershipDetailOut(PartnershipOut):
    """One partnership with its charter and the story of its status."""

    goals: str
    message: str
    status_reason: str
    created_at: dt.datetime
    responded_at: dt.datetime | None
    updated_at: dt.datetime


class PartnerInvitationOut(Schema):
    """A proposal e-mailed to a company that is not on Mitra yet."""

    id: int
    email: str
    company_name: str
    our_side: Side
    tier: Tier
    start_date: dt.date | None
    review_cadence_days: int
    status: str = Field(description="pending, accepted, declined, revoked or expired")
    partnership_id: int | None
    created_at: dt.datetime
    expires_at: dt.datetime

    @staticmethod
    def resolve_our_side(obj: Any) -> str:
        return obj.proposer_side

    @staticmethod
    def resolve_status(obj: Any) -> str:
        for state in ("accepted", "declined", "revoked"):
            if getattr(obj, f"{state}_at"):
                return state
        return "expired" if obj.expires_at <= dt.datetime.now(dt.UTC) else "pending"


class PersonOut(Schema):
    """A bridge owner: their membership id (use it to set an owner) and who they are."""

    id: int
    full_name: str
    email: str

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj: Any) -> str:
        return obj.user.email


class BridgeOut(Schema):
    """A pair of departments, one on each side, with an owner on each end and an agreed cadence."""

    id: int
    partnership_id: int
    supplier_department: DepartmentOut
    customer_department: DepartmentOut
    supplier_owner: PersonOut | None
    customer_owner: PersonOut | None
    cadence_days: int
    note: str
    restricted_department: DepartmentOut | None
    last_contact_at: dt.datetime | None = Field(
        description="The latest moment of truth recorded on this bridge (that you may see)"
    )
    live: bool = Field(description="The two ends met within the agreed cadence")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class FieldChangeOut(Schema):
    field: str
    label: str
    old: str
    new: str


class ChangeOut(Schema):
    """One recorded change to the partnership or one of its bridges (``action``: + created, ~ changed, - deleted)."""

    when: dt.datetime
    who: str
    record: str
    record_id: int
    action: str
    subject: str
    fields: list[FieldChangeOut]


# --- inputs -------------------------------------------------------------------------------------------------


class PartnershipIn(In):
    """Propose a partnership to an organisation on Mitra (find it with ``GET /directory``)."""

    partner_id: Id
    our_side: Side
    tier: Tier = Tier.KEY
    start_date: dt.date | None = None
    goals: Goals = ""
    review_cadence_days: ReviewCadence = 90
    message: Message = ""


class PartnershipPatch(In):
    """The charter; fields left out or null stay as they are."""

    tier: Tier | None = None
    start_date: dt.date | None = None
    goals: Goals | None = None
    review_cadence_days: ReviewCadence | None = None
    version: Id | None = None


class DeclineIn(In):
    reason: Reason = ""


class StatusIn(In):
    status: StatusChange
    reason: Reason = ""
    version: Id | None = None


class PartnerInvitationIn(In):
    """Propose a partnership by e-mail to a person at a company that is not on Mitra yet."""

    email: Email
    company_name: OrgName
    our_side: Side
    tier: Tier = Tier.KEY
    start_date: dt.date | None = None
    goals: Goals = ""
    review_cadence_days: ReviewCadence = 90
    message: Message = ""


class BridgeIn(In):
    supplier_department_id: Id
    customer_department_id: Id
    supplier_owner_id: Id | None = Field(None, description="Membership id of the supplier-side owner")
    customer_owner_id: Id | None = Field(None, description="Membership id of the customer-side owner")
    cadence_days: BridgeCadence = 30
    note: Note = ""
    restricted_department_id: Id | None = Field(
        None, description="Restrict the bridge to one department of your own side (and your admins)"
    )


class BridgePatch(In):
    """Fields left out stay as they are; an owner or restriction sent as null is cleared."""

    supplier_owner_id: Id | None = None
    customer_owner_id: Id | None = None
    cadence_days: BridgeCadence | None = None
    note: Note | None = None
    restricted_department_id: Id | None = None
    version: Id | None = None


# --- contacts -----------------------------------------------------------------------------------------------

ContactName = Annotated[str, Field(min_length=1, max_length=120), Storable]
ContactPhone = Annotated[str, Field(max_length=40), Storable]
ContactJobTitle = Annotated[str, Field(max_length=120), Storable]


class PartnershipContactOut(Schema):
    """A person at one of the two organisations whom the partnership deals with (the stakeholder map).
    ``editable``: your side keeps this contact (it is of your organisation) and you may write."""

    id: int
    partnership_id: int
    organisation: OrganisationRef
    side: Side
    name: str
    email: str
    phone: str
    job_title: str
    department: DepartmentOut | None
    note: str
    restricted_department_id: int | None
    editable: bool
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_side(obj: Any) -> str:
        return Side.SUPPLIER if obj.organisation_id == obj.partnership.supplier_id else Side.CUSTOMER

    @staticmethod
    def resolve_editable(obj: Any, context: Any) -> bool:
        actor = actor_of(context["request"])
        return bool(actor.can_write and obj.organisation_id == actor.organisation_id)


class PartnershipContactIn(In):
    """A contact of your own organisation; matched on its e-mail address (unique per organisation here)."""

    name: ContactName
    email: Email
    phone: ContactPhone = ""
    job_title: ContactJobTitle = ""
    department_id: Id | None = Field(None, description="A department of your own organisation")
    note: Note = ""
    restricted_department_id: Id | None = Field(
        None, description="Restrict the contact to one department of your own side (and your admins)"
    )


class PartnershipContactPatch(In):
    """Fields left out stay as they are; a department sent as null is cleared."""

    name: ContactName | None = None
    email: Email | None = None
    phone: ContactPhone | None = None
    job_title: ContactJobTitle | None = None
    department_id: Id | None = None
    note: Note | None = None
    version: Id | None = None
