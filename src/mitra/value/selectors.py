"""The value ledger's reads, scoped to what the actor may see, and the partnership's balance of value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.cases.models import Case as CaseRecord
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict
from mitra.improvement.models import Initiative
from mitra.partnerships.models import Partnership, Side
from mitra.partnerships.workspace import shared_partnership
from mitra.value.models import LOW_SHARE_PERCENT, RECENT_WINDOW, STALE_AFTER, EntryStatus, ValueEntry


def stale_q(now: dt.datetime | None = None) -> Q:
    """Entries waiting for confirmation for more than 30 days."""
    return Q(status=EntryStatus.UNCONFIRMED, awaiting_since__lt=(now or timezone.now()) - STALE_AFTER)


def _with_stale(queryset: QuerySet[ValueEntry]) -> QuerySet[ValueEntry]:
    return queryset.annotate(
        is_stale=Case(When(stale_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def value_entry_list(
    actor: Actor,
    partnership_id: int,
    *,
    status: str | None = None,
    side: str | None = None,
    category: str | None = None,
) -> QuerySet[ValueEntry]:
    """The partnership's entries, newest period first, filtered by status, beneficiary side and category."""
    partnership = shared_partnership(actor, partnership_id)
    queryset = restrict(ValueEntry.objects.all(), actor).filter(partnership=partnership)
    if status:
        queryset = queryset.filter(status=status)
    if side:
        queryset = queryset.filter(beneficiary_side=side)
    if category:
        queryset = queryset.filter(category=category)
    return _with_links(
        actor,
        _with_stale(
            queryset.select_related(
                "partnership",
                "recorded_by__user",
                "confirmed_by__user",
                "disputed_by__user",
                "case",
                "initiative",
            )
        ),
    )


def _with_links(actor: Actor, queryset: QuerySet[ValueEntry]) -> QuerySet[ValueEntry]:
    """Whether the actor may see the linked case and initiative (``case_visible``, ``initiative_visible``).

    A link may point to a record restricted to a department the reader is not in (the other side linked
    it, or an admin did): the entry then shows no link, rather than that record's title or id.
    """
    return queryset.annotate(
        case_visible=Exists(restrict(CaseRecord.objects.all(), actor).filter(pk=OuterRef("case_id"))),
        initiative_visible=Exists(
            restrict(Initiative.objects.all(), actor).filter(pk=OuterRef("initiative_id"))
        ),
    )


def value_entry_get(actor: Actor, partnership_id: int, entry_id: int) -> ValueEntry:
    entry = value_entry_list(actor, partnership_id).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("Value entry not found."))
    return entry


def stale_entries(now: dt.datetime | None = None) -> QuerySet[ValueEntry]:
    """Every entry waiting for confirmation for more than 30 days, in any partnership (for the alert job)."""
    return ValueEntry.objects.filter(stale_q(now)).select_related("partnership")


def linkable_cases(actor: Actor, partnership: Partnership) -> QuerySet[CaseRecord]:
    """The cases a value entry of this partnership may be linked to."""
    return restrict(CaseRecord.objects.all(), actor).filter(partnership=partnership).order_by("-pk")


def linkable_initiatives(actor: Actor, partnership: Partnership) -> QuerySet[Initiative]:
    return restrict(Initiative.objects.all(), actor).filter(partnership=partnership).order_by("-pk")


# --- the balance ---------------------------------------------------------------------------------------


@dataclass
class CurrencyTotals:
    """Confirmed and unconfirmed value per beneficiary side, in one currency."""

    currency: str
    confirmed_supplier: Decimal
    confirmed_customer: Decimal
    unconfirmed_supplier: Decimal
    unconfirmed_customer: Decimal

    @property
    def confirmed_total(self) -> Decimal:
        return self.confirmed_supplier + self.confirmed_customer

    def share(self, side: str) -> int | None:
        """The side's share of the confirmed value in percent (None when nothing is confirmed)."""
        total = self.confirmed_total
        if not total:
            return None
        mine = self.confirmed_supplier if side == Side.SUPPLIER else self.confirmed_customer
        return round(mine * 100 / total)

    @property
    def supplier_share(self) -> int | None:
        return self.share(Side.SUPPLIER)

    @property
    def customer_share(self) -> int | None:
        return self.share(Side.CUSTOMER)


@dataclass
class SideWarning:
    side: str
    reason: str  # "no_recent_value" or "low_share"
    message: str


@dataclass
class ValueSummary:
    partnership_id: int
    currencies: list[CurrencyTotals] = field(default_factory=list)
    entries: int = 0
    confirmed: int = 0
    unconfirmed: int = 0
    disputed: int = 0
    stale: int = 0
    recent_supplier: int = 0
    recent_customer: int = 0
    warnings: list[SideWarning] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.entries == 0

    def gaining(self, side: str) -> bool:
        return not any(w.side == side for w in self.warnings)

    @property
    def supplier_gaining(self) -> bool:
        return self.gaining(Side.SUPPLIER)

    @property
    def customer_gaining(self) -> bool:
        return self.gaining(Side.CUSTOMER)


def _sum(condition: Q) -> Any:
    return Coalesce(
        Sum("amount", filter=condition),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )


def value_summary(actor: Actor, partnership_id: int) -> ValueSummary:
    return value_summary_of(actor, shared_partnership(actor, partnership_id))


def value_summary_of(actor: Actor, partnership: Partnership, *, today: dt.date | None = None) -> ValueSummary:
    """The partnership's balance of value, in one grouped query: what each side gained per currency.

    A side is *not gaining* when none of its confirmed value falls in the last 12 months, or when its share
    of the confirmed value is below 20 % in every currency.
    """
    today = today or timezone.localdate()
    recent = today - RECENT_WINDOW
    confirmed = Q(status=EntryStatus.CONFIRMED)
    unconfirmed = Q(status=EntryStatus.UNCONFIRMED)
    to_supplier, to_customer = Q(beneficiary_side=Side.SUPPLIER), Q(beneficiary_side=Side.CUSTOMER)
    rows = list(
        restrict(ValueEntry.objects.all(), actor)
        .filter(partnership=partnership)
        .values("currency")
        .annotate(
            confirmed_supplier=_sum(confirmed & to_supplier),
            confirmed_customer=_sum(confirmed & to_customer),
            unconfirmed_supplier=_sum(unconfirmed & to_supplier),
            unconfirmed_customer=_sum(unconfirmed & to_customer),
            n=Count("pk"),
            n_confirmed=Count("pk", filter=confirmed),
            n_unconfirmed=Count("pk", filter=unconfirmed),
            n_disputed=Count("pk", filter=Q(status=EntryStatus.DISPUTED)),
            n_stale=Count("pk", filter=stale_q()),
            recent_supplier=Count("pk", filter=confirmed & to_supplier & Q(period_end__gte=recent)),
            recent_customer=Count("pk", filter=confirmed & to_customer & Q(period_end__gte=recent)),
        )
        .order_by("-confirmed_supplier", "currency")
    )
    summary = ValueSummary(partnership_id=partnership.pk)
    for row in rows:
        summary.currencies.append(
            CurrencyTotals(
                currency=row["currency"],
                confirmed_supplier=row["confirmed_supplier"],
                confirmed_customer=row["confirmed_customer"],
                unconfirmed_supplier=row["unconfirmed_supplier"],
                unconfirmed_customer=row["unconfirmed_customer"],
            )
        )
        summary.entries += row["n"]
        summary.confirmed += row["n_confirmed"]
        summary.unconfirmed += row["n_unconfirmed"]
        summary.disputed += row["n_disputed"]
        summary.stale += row["n_stale"]
        summary.recent_supplier += row["recent_supplier"]
        summary.recent_customer += row["recent_customer"]
    summary.currencies.sort(key=lambda c: (-c.confirmed_total, c.currency))
    if not summary.empty:
        summary.warnings = _warnings(partnership, summary)
    return summary


def _warnings(partnership: Partnership, summary: ValueSummary) -> list[SideWarning]:
    warnings = []
    for side, recent in ((Side.SUPPLIER, summary.recent_supplier), (Side.CUSTOMER, summary.recent_customer)):
        org = partnership.supplier if side == Side.SUPPLIER else partnership.customer
        shares = [s for s in (c.share(side) for c in summary.currencies) if s is not None]
        if not recent:
            warnings.append(
                SideWarning(
                    side,
                    "no_recent_value",
                    _("%(org)s has no confirmed gain from this partnership in the last 12 months.")
                    % {"org": org.name},
                )
            )
        elif shares and max(shares) < LOW_SHARE_PERCENT:
            warnings.append(
                SideWarning(
                    side,
                    "low_share",
                    _("%(org)s gets only %(share)s%% of the confirmed value: the partnership is one-sided.")
                    % {"org": org.name, "share": max(shares)},
                )
            )
    return warnings
