"""Collaborative planning (CPFR): what the partners plan together instead of push orders.

The planning data of one partnership: the items both sides trade (supplier SKU ↔ customer SKU), the
customer's locations, the sell-out history, stock and open orders per item and location; the planning
terms both sides agreed (consensus rule, exception criteria, service level); and per weekly planning cycle
the forecasts of each side and the consensus (frozen when the cycle closes), the exceptions and the order
proposals the buyer confirms into orders.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.core.history import history_user
from mitra.partnerships.models import Partnership, Side


class Lifecycle(models.TextChoices):
    ACTIVE = "active", _("Active")
    NEW = "new", _("New")
    DISCONTINUED = "discontinued", _("Discontinued")


class Item(models.Model):
    """A product the partners trade, known by both SKUs: the supplier's and the customer's."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="planning_items")
    supplier_sku = models.CharField(_("supplier SKU"), max_length=64)
    customer_sku = models.CharField(_("customer SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    case_pack = models.PositiveIntegerField(_("case pack"), default=1, validators=[MinValueValidator(1)])
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=7)
    min_order = models.PositiveIntegerField(_("minimum order"), default=0)
    weekly_capacity = models.PositiveIntegerField(
        _("supplier capacity per week"),
        null=True,
        blank=True,
        help_text=_("What the supplier can ship per week; empty when there is no stated limit."),
    )
    lifecycle = models.CharField(
        _("life-cycle"), max_length=12, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ("supplier_sku", "id")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "supplier_sku"], name="item_unique_supplier_sku"),
            models.UniqueConstraint(fields=["partnership", "customer_sku"], name="item_unique_customer_sku"),
            models.CheckConstraint(condition=Q(case_pack__gte=1), name="item_case_pack_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_sku} · {self.name}"

    @property
    def lead_time_weeks(self) -> int:
        return max(1, -(-self.lead_time_days // 7))


class LocationKind(models.TextChoices):
    DC = "dc", _("Distribution centre")
    STORE = "store", _("Store")


class Location(models.Model):
    """A place of the customer's where the items are sold or stocked: a distribution centre or a store."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="planning_locations")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=LocationKind.choices, default=LocationKind.STORE)
    city = models.CharField(_("city"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ("code", "id")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="location_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class SellOut(models.Model):
    """Units the customer sold of an item at a location in a period (a day, or the Monday of a week)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="sell_out")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="sell_out")
    period = models.DateField(_("period"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("sell-out")
        verbose_name_plural = _("sell-out")
        constraints = [
            models.UniqueConstraint(fields=["item", "location", "period"], name="sellout_unique_period"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="sellout_quantity_not_negative"),
        ]
        indexes = [models.Index(fields=["partnership", "period"], name="sellout_by_period")]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id} {self.period}: {self.quantity}"


class StockPosition(models.Model):
    """Stock of an item at a location on a day: on hand, and in transit to it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="stock")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="stock")
    as_of = models.DateField(_("as of"))
    on_hand = models.DecimalField(_("on hand"), max_digits=14, decimal_places=3)
    in_transit = models.DecimalField(_("in transit"), max_digits=14, decimal_places=3, default=0)

    class Meta:
        verbose_name = _("stock position")
        verbose_name_plural = _("stock positions")
        constraints = [
            models.UniqueConstraint(fields=["item", "location", "as_of"], name="stock_unique_day"),
            models.CheckConstraint(condition=Q(on_hand__gte=0, in_transit__gte=0), name="stock_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id} {self.as_of}: {self.on_hand}"


class OpenOrder(models.Model):
    """An order line the customer placed and the supplier has not delivered yet."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="open_orders")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="open_orders")
    number = models.CharField(_("order number"), max_length=64)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    due_date = models.DateField(_("due"))

    class Meta:
        verbose_name = _("open order")
        verbose_name_plural = _("open orders")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number", "item", "location"], name="open_order_unique_line"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="open_order_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item_id}@{self.location_id}"


class ConsensusRule(models.TextChoices):
    SUPPLIER = "supplier", _("Accept the supplier's forecast")
    CUSTOMER = "customer", _("Accept the customer's forecast")
    BLEND = "blend", _("Weighted blend of both")
    MANUAL = "manual", _("Set by hand")


class PlanningMode(models.TextChoices):
    REPLENISH = "replenish", _("Replenish to an order-up-to level")
    MINMAX = "minmax", _("Min/max (vendor-managed inventory)")


class AgreementStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    PROPOSED = "proposed", _("Proposed")


class PlanningAgreement(models.Model):
    """The planning terms of the partnership's charter, the same for both sides: how the consensus
    forecast is made, the exception criteria, the service level and how orders are proposed.

    One side proposes a change; it applies once the other side agrees (``agreed`` keeps the terms in
    force meanwhile)."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="planning")
    consensus_rule = models.CharField(
        _("consensus rule"), max_length=10, choices=ConsensusRule.choices, default=ConsensusRule.BLEND
    )
    supplier_weight = models.PositiveSmallIntegerField(
        _("supplier's weight in the blend (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
    )
    horizon_weeks = models.PositiveSmallIntegerField(
        _("horizon (weeks)"), default=13, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    season_length = models.PositiveSmallIntegerField(
        _("season length (weeks)"), default=52, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    review_weeks = models.PositiveSmallIntegerField(
        _("review period (weeks)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(13)]
    )
    service_level = models.DecimalField(
        _("target service level (%)"),
        max_digits=4,
        decimal_places=1,
        default=95,
        validators=[MinValueValidator(50), MaxValueValidator(99.9)],
    )
    mode = models.CharField(_("ordering"), max_length=10, choices=PlanningMode.choices, default="replenish")
    vmi_min_weeks = models.DecimalField(
        _("min/max: reorder below (weeks of cover)"), max_digits=4, decimal_places=1, default=2
    )
    vmi_max_weeks = models.DecimalField(
        _("min/max: fill up to (weeks of cover)"), max_digits=4, decimal_places=1, default=6
    )
    use_holidays = models.BooleanField(_("use the Indonesian holiday calendar"), default=True)
    forecast_gap_pct = models.DecimalField(
        _("forecasts differ by more than (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        default=20,
    )
    wape_pct = models.DecimalField(
        _("frozen forecast error (WAPE) above (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        default=30,
    )
    version_change_pct = models.DecimalField(
        _("forecast changed between versions by more than (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        default=25,
    )
    min_weeks_cover = models.DecimalField(
        _("projected in-stock below (weeks of cover)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        default=1,
    )
    max_weeks_cover = models.DecimalField(
        _("overstock above (weeks of cover)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        default=8,
    )
    check_capacity = models.BooleanField(_("order forecast above the supplier's capacity"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.AGREED
    )
    proposed_by_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    agreed = models.JSONField(
        default=dict, blank=True, help_text=_("The terms in force while a change is proposed.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("planning agreement")
        verbose_name_plural = _("planning agreements")

    def __str__(self) -> str:
        return str(_("Planning terms of %(partnership)s") % {"partnership": self.partnership})


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FROZEN = "frozen", _("Frozen")


class RunStatus(models.TextChoices):
    IDLE = "idle", _("Not run")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# what a run is doing, as ``PlanningCycle.run_message`` stores it (a code, shown translated)
RUN_STEPS = {
    "history": _("Reading the sell-out"),
    "forecast": _("Forecasting"),
    "consensus": _("Making the consensus"),
    "exceptions": _("Checking the exception criteria"),
    "proposals": _("Proposing orders"),
    "done": _("Done"),
    "failed": _("The run failed. Try again; if it fails again, tell your administrator."),
}


class PlanningCycle(models.Model):
    """One week's planning round: both sides' forecasts, the consensus, exceptions and proposals. Frozen
    when the week is over, so accuracy is measured against what was promised."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="planning_cycles")
    week = models.DateField(_("week"), help_text=_("The Monday of the planning week."))
    status = models.CharField(_("status"), max_length=8, choices=CycleStatus.choices, default="open")
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    run_status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.IDLE)
    run_progress = models.PositiveSmallIntegerField(default=0)
    run_message = models.CharField(max_length=300, blank=True)
    run_started_at = models.DateTimeField(null=True, blank=True)
    run_finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("planning cycle")
        verbose_name_plural = _("planning cycles")
        ordering = ("-week",)
        constraints = [
            models.UniqueConstraint(fields=["partnership", "week"], name="cycle_unique_week"),
        ]

    def __str__(self) -> str:
        return str(self.week)

    @property
    def run_step_label(self) -> str:
        return str(RUN_STEPS.get(self.run_message, ""))


class ForecastSource(models.TextChoices):
    STATISTICAL = "statistical", _("Statistical")
    SUPPLIER = "supplier", _("Supplier")
    CUSTOMER = "customer", _("Customer")
    CONSENSUS = "consensus", _("Consensus")


class ForecastLine(models.Model):
    """One week's forecast of an item at a location, in one cycle, from one source."""

    cycle = models.ForeignKey(PlanningCycle, on_delete=models.CASCADE, related_name="forecasts")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=12, choices=ForecastSource.choices)
    period = models.DateField(_("week"))
    quantity = models.FloatField(_("quantity"))
    lo = models.FloatField(null=True, blank=True)
    hi = models.FloatField(null=True, blank=True)
    model = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "source", "item", "location", "period"], name="forecast_unique_line"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="forecast_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.item_id}@{self.location_id} {self.period}: {self.quantity}"


class ExceptionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Resolution(models.TextChoices):
    FORECAST_ADJUSTED = "forecast_adjusted", _("Forecast adjusted")
    ORDER_CHANGED = "order_changed", _("Order changed")
    DATA_CORRECTED = "data_corrected", _("Data corrected")
    ACCEPTED = "accepted", _("Accepted as it is")
    NO_ACTION = "no_action", _("No action needed")


class PlanningException(models.Model):
    """A difference the agreed criteria flag for both partners to resolve: forecasts that disagree, an
    inaccurate frozen forecast, a big change, low stock, overstock or an order above capacity."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="planning_exceptions")
    cycle = models.ForeignKey(PlanningCycle, on_delete=models.CASCADE, related_name="exceptions")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the exception is about the item as a whole (its capacity)."),
    )
    criterion = models.CharField(_("criterion"), max_length=20)
    period = models.DateField(_("week"), null=True, blank=True)
    value = models.FloatField(_("value"))
    threshold = models.FloatField(_("threshold"))
    priority = models.PositiveSmallIntegerField(_("priority"), default=2)
    owner_side = models.CharField(_("owner"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=ExceptionStatus.choices, default="open")
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("planning exception")
        verbose_name_plural = _("planning exceptions")
        ordering = ("status", "priority", "-created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "item", "location", "criterion"], name="exception_unique_per_cycle"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(resolution=""), name="exception_resolved_has_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.item_id}@{self.location_id}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class OrderProposal(models.Model):
    """What to order of an item for a location this cycle, computed from the consensus forecast, the
    stock position, lead time, review period and the safety stock of the agreed service level."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="order_proposals")
    cycle = models.ForeignKey(PlanningCycle, on_delete=models.CASCADE, related_name="proposals")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    demand_over_cover = models.FloatField(_("demand over lead time and review"))
    safety_stock = models.FloatField(_("safety stock"))
    order_up_to = models.FloatField(_("order-up-to level"))
    position = models.FloatField(_("stock position"))
    arrival = models.DateField(_("expected arrival"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices, default="proposed")
    order = models.ForeignKey(
        "planning.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("order proposal")
        verbose_name_plural = _("order proposals")
        ordering = ("status", "location__code", "item__supplier_sku", "id")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "item", "location"], name="proposal_unique_per_cycle"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="proposal_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id}: {self.quantity}"


class Order(models.Model):
    """An order the buyer confirmed from proposals: it replaces the push order."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="planning_orders")
    number = models.CharField(_("order number"), max_length=64)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("confirmed"), default=timezone.now, editable=False)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="order_unique_number"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """One item of a confirmed order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    arrival = models.DateField(_("expected arrival"), null=True, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "item"], name="order_line_unique_item"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.item_id}: {self.quantity}"
