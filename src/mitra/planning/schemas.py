"""Input and output shapes of the collaborative planning (CPFR) API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from mitra.accounts.schemas import In
from mitra.core.api import Error, Id, Storable
from mitra.planning.models import ConsensusRule, PlanningMode, Resolution

# ---- loads --------------------------------------------------------------------------------------------

Text = Annotated[str, Field(max_length=1000), Storable]
Cell = (
    Annotated[int, Field(ge=-(10**15), le=10**15)]
    | Annotated[float, Field(ge=-1e15, le=1e15, allow_inf_nan=False)]
    | Text
    | bool
    | None
)
Column = Annotated[str, Field(min_length=1, max_length=64), Storable]
Quantity = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]
MAX_API_ROWS = 50_000


class PlanningRowsIn(In):
    """Rows of planning data, one object per row with the columns as keys (as in the CSV file)."""

    rows: list[dict[Column, Cell]] = Field(
        min_length=1, max_length=MAX_API_ROWS, description="The rows; the first is row 1 in error reports"
    )
    dry_run: bool = Field(False, description="Check and preview only; nothing is written")


class PlanningLoadReportOut(Schema):
    """What a load did, or on a dry run would do."""

    kind: str
    rows: int = Field(description="Rows read")
    created: int
    updated: int
    unchanged: int = Field(description="Rows already loaded as they are: a repeated load writes nothing")
    dry_run: bool
    preview: list[dict[str, Any]] = Field(description="The first 50 rows as read, each with its action")


class PlanningRowErrorOut(Schema):
    row: int = Field(description="The row number: 1 is the first row sent (in a file, the header)")
    column: str
    message: str


class PlanningLoadError(Error):
    """An error of a load: for bad rows, every one of them in ``rows`` (nothing was written)."""

    rows: list[PlanningRowErrorOut] = []


# ---- planning data ------------------------------------------------------------------------------------


class PlanningItemOut(Schema):
    id: int
    supplier_sku: str
    customer_sku: str
    name: str
    unit: str
    case_pack: int
    lead_time_days: int
    min_order: int
    weekly_capacity: int | None
    lifecycle: str
    created_at: dt.datetime
    updated_at: dt.datetime


class PlanningLocationOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(description="dc (distribution centre) or store")
    city: str


class _ItemAtLocation(Schema):
    item_id: int
    supplier_sku: str
    customer_sku: str
    location_id: int
    location_code: str

    @staticmethod
    def resolve_supplier_sku(obj: Any) -> str:
        return str(obj.item.supplier_sku)

    @staticmethod
    def resolve_customer_sku(obj: Any) -> str:
        return str(obj.item.customer_sku)

    @staticmethod
    def resolve_location_code(obj: Any) -> str:
        return str(obj.location.code)


class PlanningSellOutOut(_ItemAtLocation):
    id: int
    period: dt.date
    quantity: float


class PlanningStockOut(_ItemAtLocation):
    id: int
    as_of: dt.date
    on_hand: float
    in_transit: float


class PlanningOpenOrderOut(_ItemAtLocation):
    id: int
    number: str
    quantity: float
    due_date: dt.date


# ---- terms --------------------------------------------------------------------------------------------


class PlanningTermsValuesOut(Schema):
    consensus_rule: ConsensusRule
    supplier_weight: int
    horizon_weeks: int
    season_length: int
    review_weeks: int
    service_level: float
    mode: PlanningMode
    vmi_min_weeks: float
    vmi_max_weeks: float
    use_holidays: bool
    forecast_gap_pct: float | None
    wape_pct: float | None
    version_change_pct: float | None
    min_weeks_cover: float | None
    max_weeks_cover: float | None
    check_capacity: bool


class PlanningTermChangeOut(Schema):
    current: Any
    proposed: Any


class PlanningTermsOut(Schema):
    terms: PlanningTermsValuesOut = Field(description="The terms in force")
    proposed: PlanningTermsValuesOut = Field(description="The proposed terms (the same when none waits)")
    status: Literal["agreed", "proposed"]
    proposed_by_side: str = Field(description="supplier or customer while a change waits, else empty")
    changes: dict[str, PlanningTermChangeOut]
    version: int


Pct = Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]
Cover = Annotated[float, Field(ge=0, le=999, allow_inf_nan=False)]


class PlanningTermsChangesIn(In):
    """The terms to change; the others stay. ``null`` switches an exception criterion off."""

    consensus_rule: ConsensusRule | None = None
    supplier_weight: Annotated[int, Field(ge=0, le=100)] | None = None
    horizon_weeks: Annotated[int, Field(ge=1, le=52)] | None = None
    season_length: Annotated[int, Field(ge=1, le=52)] | None = None
    review_weeks: Annotated[int, Field(ge=1, le=13)] | None = None
    service_level: Annotated[float, Field(ge=50, le=99.9, allow_inf_nan=False)] | None = None
    mode: PlanningMode | None = None
    vmi_min_weeks: Cover | None = None
    vmi_max_weeks: Cover | None = None
    use_holidays: bool | None = None
    forecast_gap_pct: Pct | None = None
    wape_pct: Pct | None = None
    version_change_pct: Pct | None = None
    min_weeks_cover: Cover | None = None
    max_weeks_cover: Cover | None = None
    check_capacity: bool | None = None


class PlanningTermsProposeIn(In):
    changes: PlanningTermsChangesIn
    version: Id | None = Field(None, description="The version you saw; a newer one answers 409")


class PlanningVersionIn(In):
    version: Id | None = Field(None, description="The version you saw; a newer one answers 409")


# ---- cycles and forecasts -----------------------------------------------------------------------------


class PlanningCycleOut(Schema):
    id: int
    week: dt.date = Field(description="The Monday of the planning week")
    status: str = Field(description="open, or frozen once the week is over")
    frozen_at: dt.datetime | None
    run_status: str = Field(description="idle, queued, running, done or failed")
    run_progress: int = Field(description="0–100")
    run_message: str
    run_started_at: dt.datetime | None
    run_finished_at: dt.datetime | None
    created_at: dt.datetime
    open_exceptions: int = 0
    open_proposals: int = 0


class PlanningForecastOut(_ItemAtLocation):
    id: int
    cycle_id: int
    source: str = Field(description="statistical, supplier, customer or consensus")
    period: dt.date
    quantity: float
    lo: float | None
    hi: float | None
    model: str


class PlanningForecastRowIn(In):
    sku: Annotated[str, Field(min_length=1, max_length=64), Storable] = Field(
        description="Either side's SKU of the item"
    )
    location: Annotated[str, Field(min_length=1, max_length=32), Storable] = Field(
        description="The location's code"
    )
    period: dt.date = Field(description="A day of the week forecast (its Monday is used)")
    quantity: Quantity
    source: Literal["supplier", "customer", "consensus"] | None = Field(
        None, description="Your side (the default), or consensus under the manual consensus rule"
    )


class PlanningForecastIn(In):
    rows: list[PlanningForecastRowIn] = Field(min_length=1, max_length=MAX_API_ROWS)


class PlanningWrittenOut(Schema):
    written: int = Field(description="Forecast lines stored")


# ---- exceptions, proposals and orders -----------------------------------------------------------------


class PlanningExceptionOut(Schema):
    id: int
    cycle_id: int
    item_id: int
    supplier_sku: str
    customer_sku: str
    item_name: str
    location_id: int | None = Field(description="Empty when the exception is about the item as a whole")
    location_code: str | None
    criterion: str
    period: dt.date | None
    value: float
    threshold: float
    priority: int = Field(description="1 is the most urgent")
    owner_side: str
    status: str
    resolution: str
    note: str
    resolved_by_name: str | None
    resolved_at: dt.datetime | None
    created_at: dt.datetime
    version: int

    @staticmethod
    def resolve_supplier_sku(obj: Any) -> str:
        return str(obj.item.supplier_sku)

    @staticmethod
    def resolve_customer_sku(obj: Any) -> str:
        return str(obj.item.customer_sku)

    @staticmethod
    def resolve_item_name(obj: Any) -> str:
        return str(obj.item.name)

    @staticmethod
    def resolve_location_code(obj: Any) -> str | None:
        return obj.location.code if obj.location_id else None

    @staticmethod
    def resolve_resolved_by_name(obj: Any) -> str | None:
        return obj.resolved_by.full_name if obj.resolved_by_id else None


class PlanningResolveIn(In):
    resolution: Resolution
    note: Annotated[str, Field(max_length=2000), Storable] = ""
    version: Id | None = Field(None, description="The version you saw; a newer one answers 409")


class PlanningProposalOut(_ItemAtLocation):
    id: int
    cycle_id: int
    item_name: str
    quantity: float = Field(description="In whole case packs")
    demand_over_cover: float = Field(description="Forecast demand over lead time and review period")
    safety_stock: float
    order_up_to: float
    position: float = Field(description="Stock on hand and in transit plus open orders")
    arrival: dt.date | None
    status: str = Field(description="proposed, confirmed or rejected")
    order_id: int | None
    decided_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_item_name(obj: Any) -> str:
        return str(obj.item.name)


class PlanningProposalIdsIn(In):
    proposal_ids: list[Id] = Field(min_length=1, max_length=1000)


class PlanningConfirmIn(PlanningProposalIdsIn):
    quantities: dict[Id, Annotated[float, Field(gt=0, le=1e9, allow_inf_nan=False)]] | None = Field(
        None, description="Changed quantities by proposal id, rounded up to the case pack"
    )


class PlanningRejectedOut(Schema):
    rejected: int


class PlanningOrderLineOut(Schema):
    item_id: int
    supplier_sku: str
    customer_sku: str
    item_name: str
    quantity: float
    unit: str
    arrival: dt.date | None

    @staticmethod
    def resolve_supplier_sku(obj: Any) -> str:
        return str(obj.item.supplier_sku)

    @staticmethod
    def resolve_customer_sku(obj: Any) -> str:
        return str(obj.item.customer_sku)

    @staticmethod
    def resolve_item_name(obj: Any) -> str:
        return str(obj.item.name)

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.item.unit)


class PlanningOrderOut(Schema):
    id: int
    number: str
    location_id: int
    location_code: str
    created_by_name: str | None
    created_at: dt.datetime
    line_count: int = 0

    @staticmethod
    def resolve_location_code(obj: Any) -> str:
        return str(obj.location.code)

    @staticmethod
    def resolve_created_by_name(obj: Any) -> str | None:
        return obj.created_by.full_name if obj.created_by_id else None


class PlanningOrderDetailOut(PlanningOrderOut):
    lines: list[PlanningOrderLineOut]

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())


# ---- simulation ---------------------------------------------------------------------------------------


class PlanningSimulationParamsOut(Schema):
    lead_time_weeks: int
    review_weeks: int
    service_level: float = Field(description="0–1")


class PlanningPolicyOut(Schema):
    policy: str = Field(description="push (a monthly quota) or partnering (CPFR proposals)")
    average_stock: float | None
    weeks_of_cover: float | None
    fill_rate: float | None = Field(description="Units sold / units demanded, 0–1")
    stockout_weeks: float | None
    lost_sales: float | None
    overstock: float | None


class PlanningSimulationOut(Schema):
    params: PlanningSimulationParamsOut | None = Field(description="Empty without enough sell-out history")
    series: int
    weeks: int
    policies: list[PlanningPolicyOut]
