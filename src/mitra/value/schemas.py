"""Input and output shapes of the value ledger API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from mitra.core.api import Id, Storable, actor_of
from mitra.partnerships.models import Side
from mitra.value.models import Category, EntryStatus, ValueEntry

Title = Annotated[str, Field(min_length=1, max_length=200), Storable]
Evidence = Annotated[str, Field(max_length=2000), Storable]
Reason = Annotated[str, Field(max_length=300), Storable]
Amount = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2, description="More than zero")]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code, e.g. IDR")]


class ValuePersonOut(Schema):
    id: int
    full_name: str

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return obj.user.full_name


class ValueEntryOut(Schema):
    """A gain for one side. It counts once the other side confirms it."""

    id: int
    partnership_id: int
    title: str
    beneficiary_side: Side
    category: Category
    amount: Decimal
    currency: str
    period_start: dt.date
    period_end: dt.date
    evidence: str
    case_id: int | None = Field(description="The linked case, if you may see it")
    initiative_id: int | None = Field(description="The linked initiative, if you may see it")
    recorded_by_side: Side
    recorded_by: ValuePersonOut | None
    status: EntryStatus
    awaiting_since: dt.datetime
    stale: bool = Field(description="Unconfirmed for more than 30 days")
    can_answer: bool = Field(description="You may confirm or dispute it now (the other side, unconfirmed)")
    confirmed_at: dt.datetime | None
    confirmed_by: ValuePersonOut | None
    disputed_at: dt.datetime | None
    disputed_by: ValuePersonOut | None
    dispute_reason: str
    restricted_department_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @staticmethod
    def resolve_case_id(obj: ValueEntry) -> int | None:
        # A linked case the reader may not see (restricted to another department) is not shown.
        return obj.case_id if getattr(obj, "case_visible", False) else None

    @staticmethod
    def resolve_initiative_id(obj: ValueEntry) -> int | None:
        return obj.initiative_id if getattr(obj, "initiative_visible", False) else None

    @staticmethod
    def resolve_stale(obj: ValueEntry) -> bool:
        return bool(getattr(obj, "is_stale", False))

    @staticmethod
    def resolve_can_answer(obj: ValueEntry, context: Any) -> bool:
        actor = actor_of(context["request"])
        return (
            obj.status == EntryStatus.UNCONFIRMED
            and actor.can_write
            and obj.partnership.side_of(actor.organisation_id) != obj.recorded_by_side
        )


class ValueEntryIn(Schema):
    title: Title
    beneficiary_side: Side = Field(description="The side that gains")
    category: Category
    amount: Amount
    currency: Currency | None = Field(None, description="Defaults to your organisation's currency")
    period_start: dt.date
    period_end: dt.date
    evidence: Evidence = ""
    case_id: Id | None = None
    initiative_id: Id | None = None
    restricted_department_id: Id | None = None


class ValueEntryPatch(Schema):
    """Correct an entry (the recording side, while unconfirmed or disputed). Send ``version`` to avoid
    overwriting a newer edit (409). Send ``case_id`` or ``initiative_id`` as null to unlink."""

    version: Id | None = None
    title: Title | None = None
    beneficiary_side: Side | None = None
    category: Category | None = None
    amount: Amount | None = None
    currency: Currency | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    evidence: Evidence | None = None
    case_id: Id | None = None
    initiative_id: Id | None = None


class ValueDisputeIn(Schema):
    reason: Reason = Field(description="Why you dispute it (required)")
    version: Id | None = None


class ValueCurrencyTotalsOut(Schema):
    currency: str
    confirmed_supplier: Decimal
    confirmed_customer: Decimal
    unconfirmed_supplier: Decimal
    unconfirmed_customer: Decimal
    supplier_share: int | None = Field(description="Percent of the confirmed value that went to the supplier")
    customer_share: int | None


class ValueWarningOut(Schema):
    side: Side
    reason: str = Field(description="no_recent_value or low_share")
    message: str


class ValueSummaryOut(Schema):
    """Confirmed value per side and currency, the balance, and a warning when one side is not gaining."""

    partnership_id: int
    currencies: list[ValueCurrencyTotalsOut]
    entries: int
    confirmed: int
    unconfirmed: int
    disputed: int
    stale: int = Field(description="Entries unconfirmed for more than 30 days")
    supplier_gaining: bool
    customer_gaining: bool
    warnings: list[ValueWarningOut]
