"""The columns of every list export, declared once per list.

The page and the API hand over the rows they list (already scoped to the actor and filtered); a list here
says which columns those rows become and which related records to fetch with them, so that an export of
ten thousand rows is still a handful of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from mitra.transfer.exports import Column, Kind


def attr(path: str) -> Callable[[Any], Any]:
    """A getter for ``a.b.c``; ``None`` as soon as a step is missing."""
    steps = path.split(".")

    def get(row: Any) -> Any:
        value = row
        for step in steps:
            if value is None:
                return None
            value = value.get(step) if isinstance(value, dict) else getattr(value, step, None)
        return value

    return get


def display(name: str) -> Callable[[Any], Any]:
    """A getter for a choice field's translated label (the stored value when the field has no choices)."""

    def get(row: Any) -> Any:
        if not getattr(row, name, None):
            return ""
        label = getattr(row, f"get_{name}_display", None)
        return label() if label else getattr(row, name)

    return get


def _criterion(row: Any) -> str:
    from mitra.planning.forms import CRITERIA

    return str(CRITERIA.get(row.criterion, row.criterion))


def person(path: str) -> Callable[[Any], Any]:
    """A getter for the full name of a membership (``owner``) or a user (``created_by``)."""
    get = attr(path)

    def name(row: Any) -> Any:
        value = get(row)
        if value is None:
            return ""
        user = getattr(value, "user", value)
        return getattr(user, "full_name", "") or getattr(user, "email", "")

    return name


@dataclass(frozen=True)
class ListExport:
    """A list that can be exported: its file name stem, its columns and what to fetch with its rows."""

    name: str
    columns: Callable[[], Sequence[Column]]
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    money: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _risks() -> list[Column]:
    return [
        Column(_("What could happen"), attr("title")),
        Column(_("Description"), attr("description")),
        Column(_("Likelihood"), attr("likelihood"), Kind.NUMBER),
        Column(_("Impact"), attr("impact"), Kind.NUMBER),
        Column(_("Score"), attr("risk_score"), Kind.NUMBER),
        Column(_("Status"), display("status")),
        Column(_("Raised by"), display("raised_by_side")),
        Column(_("Owner"), person("owner")),
        Column(_("Early signal"), attr("early_signal")),
        Column(_("Response"), attr("response")),
        Column(_("Cases foreseen"), attr("case_count"), Kind.NUMBER),
        Column(_("Created"), attr("created_at"), Kind.DATETIME),
    ]


def _cases() -> list[Column]:
    return [
        Column(_("Case"), attr("title")),
        Column(_("Description"), attr("description")),
        Column(_("Severity"), display("severity")),
        Column(_("Category"), display("category")),
        Column(_("Root cause"), display("root_cause")),
        Column(_("Status"), display("status")),
        Column(_("Raised by"), display("raised_by_side")),
        Column(_("Raised"), attr("created_at"), Kind.DATETIME),
        Column(_("SLA due"), attr("sla_due_at"), Kind.DATETIME),
        Column(_("SLA breached"), attr("is_breached"), Kind.BOOL),
        Column(_("Options"), attr("option_count"), Kind.NUMBER),
        Column(_("Desired outcome"), attr("desired_outcome")),
        Column(_("Resolved"), attr("resolved_at"), Kind.DATETIME),
        Column(_("Closed"), attr("closed_at"), Kind.DATETIME),
    ]


def _initiatives() -> list[Column]:
    return [
        Column(_("Initiative"), attr("title")),
        Column(_("Stage"), display("stage")),
        Column(_("Status"), display("status")),
        Column(_("Cycle"), attr("cycle"), Kind.NUMBER),
        Column(_("Supplier owner"), person("supplier_owner")),
        Column(_("Customer owner"), person("customer_owner")),
        Column(_("KPI"), attr("kpi_name")),
        Column(_("Unit"), attr("kpi_unit")),
        Column(_("Baseline"), attr("baseline"), Kind.NUMBER),
        Column(_("Target"), attr("target"), Kind.NUMBER),
        Column(_("Latest value"), attr("latest_value"), Kind.NUMBER),
        Column(_("Progress (%)"), attr("progress"), Kind.NUMBER),
        Column(_("Start date"), attr("start_date"), Kind.DATE),
        Column(_("Target date"), attr("target_date"), Kind.DATE),
    ]


def _value_entries() -> list[Column]:
    return [
        Column(_("What was gained"), attr("title")),
        Column(_("Gain for"), display("beneficiary_side")),
        Column(_("Category"), display("category")),
        Column(_("Period start"), attr("period_start"), Kind.DATE),
        Column(_("Period end"), attr("period_end"), Kind.DATE),
        Column(_("Amount"), attr("amount"), Kind.MONEY, currency=attr("currency")),
        Column(_("Currency"), attr("currency")),
        Column(_("Status"), display("status")),
        Column(_("Recorded by"), display("recorded_by_side")),
        Column(_("Evidence"), attr("evidence")),
    ]


def _commitments() -> list[Column]:
    return [
        Column(_("Commitment"), attr("title")),
        Column(_("Description"), attr("description")),
        Column(_("Promised by"), display("owner_side")),
        Column(_("Owner"), person("owner")),
        Column(_("Due"), attr("due_date"), Kind.DATE),
        Column(_("Status"), display("status")),
        Column(_("On time"), attr("on_time"), Kind.BOOL),
        Column(_("Done"), attr("done_at"), Kind.DATETIME),
        Column(_("Proactive"), attr("proactive"), Kind.BOOL),
        Column(_("Cancel reason"), attr("cancel_reason")),
    ]


def _touchpoints() -> list[Column]:
    return [
        Column(_("When"), attr("occurred_at"), Kind.DATETIME),
        Column(_("Kind"), display("kind")),
        Column(_("What happened"), attr("summary")),
        Column(_("Outcome"), display("outcome")),
        Column(_("Recorded by"), display("recorded_by_side")),
        Column(_("Reference"), attr("reference")),
        Column(_("Promised date"), attr("promised_date"), Kind.DATE),
        Column(_("Actual date"), attr("actual_date"), Kind.DATE),
        Column(_("Promised quantity"), attr("promised_quantity"), Kind.NUMBER),
        Column(_("Delivered quantity"), attr("delivered_quantity"), Kind.NUMBER),
        Column(_("On time"), attr("on_time"), Kind.BOOL),
        Column(_("In full"), attr("in_full"), Kind.BOOL),
        # An invoice is in the currency of the supplier, who issues it.
        Column(_("Amount"), attr("amount"), Kind.MONEY, currency=attr("partnership.supplier.currency")),
        Column(_("Due date"), attr("due_date"), Kind.DATE),
        Column(_("Paid date"), attr("paid_date"), Kind.DATE),
        Column(
            _("Paid amount"), attr("paid_amount"), Kind.MONEY, currency=attr("partnership.supplier.currency")
        ),
        Column(_("Currency"), attr("partnership.supplier.currency")),
        Column(_("Surveys"), attr("survey_count"), Kind.NUMBER),
        Column(_("Answers"), attr("answered_count"), Kind.NUMBER),
    ]


def _pulse_trend() -> list[Column]:
    # The trend's rows, suppressed like the page: a group below the minimum of answers has no figures at all.
    return [
        Column(_("Quarter"), attr("quarter")),
        Column(_("Supplier: overall (1–5)"), attr("supplier.overall"), Kind.NUMBER),
        Column(_("Supplier: answers"), attr("supplier.answers"), Kind.NUMBER),
        Column(_("Customer: overall (1–5)"), attr("customer.overall"), Kind.NUMBER),
        Column(_("Customer: answers"), attr("customer.answers"), Kind.NUMBER),
    ]


def _plans() -> list[Column]:
    return [
        Column(_("Year"), attr("year"), Kind.NUMBER),
        Column(_("Status"), display("status")),
        Column(_("Version"), attr("agreed_version"), Kind.NUMBER),
        Column(_("Supplier goals"), attr("supplier_goals"), Kind.NUMBER),
        Column(_("Customer goals"), attr("customer_goals"), Kind.NUMBER),
        Column(_("Last review"), attr("last_review"), Kind.DATE),
        Column(_("Next review"), attr("next_review_date"), Kind.DATE),
    ]


def _timeline() -> list[Column]:
    return [
        Column(_("When"), attr("at"), Kind.DATETIME),
        Column(_("Kind"), display("kind")),
        Column(_("What happened"), attr("title")),
        Column(_("Detail"), attr("detail")),
        Column(_("Who"), person("actor_user")),
        Column(_("Side"), display("actor_side")),
    ]


def _partnership_names(row: Any) -> str:
    partnership = getattr(row, "partnership", None)
    return f"{partnership.supplier.name} · {partnership.customer.name}" if partnership else ""


def _notifications() -> list[Column]:
    return [
        Column(_("When"), attr("created_at"), Kind.DATETIME),
        Column(_("Partnership"), _partnership_names),
        Column(_("What happened"), attr("title")),
        Column(_("Who"), person("actor")),
        Column(_("Read"), attr("read_at"), Kind.DATETIME),
    ]


def _band(row: Any) -> str:
    from mitra.health.labels import BAND_LABELS

    band = getattr(row, "latest_band", None)
    return str(BAND_LABELS.get(band, band)) if band else ""


def _portfolio() -> list[Column]:
    return [
        Column(_("Partner"), attr("partner_name")),
        Column(_("Supplier"), attr("supplier.name")),
        Column(_("Customer"), attr("customer.name")),
        Column(_("Week"), attr("latest_week"), Kind.DATE),
        Column(_("Score"), attr("latest_score"), Kind.NUMBER),
        Column(_("Band"), _band),
        Column(_("1 week"), attr("latest_d1"), Kind.NUMBER),
        Column(_("4 weeks"), attr("latest_d4"), Kind.NUMBER),
        Column(_("Open alerts"), attr("open_alerts"), Kind.NUMBER),
    ]


def _partnerships() -> list[Column]:
    return [
        Column(_("Supplier"), attr("supplier.name")),
        Column(_("Customer"), attr("customer.name")),
        Column(_("Status"), display("status")),
        Column(_("Tier"), display("tier")),
        Column(_("Since"), attr("start_date"), Kind.DATE),
        Column(_("Bridges"), attr("bridge_count"), Kind.NUMBER),
        Column(_("Review every (days)"), attr("review_cadence_days"), Kind.NUMBER),
    ]


def _departments() -> list[Column]:
    return [
        Column(_("Department"), attr("name")),
        Column(_("Kind"), display("kind")),
        Column(_("Created"), attr("created_at"), Kind.DATETIME),
    ]


def _members() -> list[Column]:
    return [
        Column(_("Name"), attr("user.full_name")),
        Column(_("E-mail address"), attr("user.email")),
        Column(_("Role"), display("role")),
        Column(_("Job title"), attr("job_title")),
        Column(_("Departments"), lambda m: ", ".join(d.name for d in m.departments.all())),
        Column(_("Active"), attr("is_active"), Kind.BOOL),
        Column(_("Joined"), attr("created_at"), Kind.DATETIME),
    ]


def _invitations() -> list[Column]:
    return [
        Column(_("E-mail address"), attr("email")),
        Column(_("Role"), display("role")),
        Column(_("Invited by"), person("invited_by")),
        Column(_("Sent"), attr("created_at"), Kind.DATETIME),
        Column(_("Expires"), attr("expires_at"), Kind.DATETIME),
        Column(_("Accepted"), attr("accepted_at"), Kind.DATETIME),
        Column(_("Revoked"), attr("revoked_at"), Kind.DATETIME),
    ]


def _tokens() -> list[Column]:
    # The prefix identifies a token; the secret itself is never stored and never exported.
    return [
        Column(_("Name"), attr("name")),
        Column(_("Prefix"), attr("prefix")),
        Column(_("Created"), attr("created_at"), Kind.DATETIME),
        Column(_("Last used"), attr("last_used_at"), Kind.DATETIME),
        Column(_("Revoked"), attr("revoked_at"), Kind.DATETIME),
    ]


def _security_events() -> list[Column]:
    return [
        Column(_("When"), attr("created_at"), Kind.DATETIME),
        Column(_("Event"), display("kind")),
        Column(_("E-mail address"), attr("email")),
        Column(_("IP address"), attr("ip_address")),
        Column(_("Detail"), attr("detail")),
    ]


def _planning_exceptions() -> list[Column]:
    return [
        Column(_("Week"), attr("period"), Kind.DATE),
        Column(_("Item"), attr("item.name")),
        Column(_("Supplier SKU"), attr("item.supplier_sku")),
        Column(_("Customer SKU"), attr("item.customer_sku")),
        Column(_("Location"), attr("location.code")),
        Column(_("Criterion"), _criterion),
        Column(_("Value"), attr("value"), Kind.NUMBER),
        Column(_("Threshold"), attr("threshold"), Kind.NUMBER),
        Column(_("Priority"), attr("priority"), Kind.NUMBER),
        Column(_("Owner"), display("owner_side")),
        Column(_("Status"), display("status")),
        Column(_("Resolution"), display("resolution")),
        Column(_("Note"), attr("note")),
    ]


def _planning_items() -> list[Column]:
    return [
        Column(_("Supplier SKU"), attr("supplier_sku")),
        Column(_("Customer SKU"), attr("customer_sku")),
        Column(_("Item"), attr("name")),
        Column(_("Unit"), attr("unit")),
        Column(_("Case pack"), attr("case_pack"), Kind.NUMBER),
        Column(_("Lead time (days)"), attr("lead_time_days"), Kind.NUMBER),
        Column(_("Minimum order"), attr("min_order"), Kind.NUMBER),
        Column(_("Weekly capacity"), attr("weekly_capacity"), Kind.NUMBER),
        Column(_("Lifecycle"), display("lifecycle")),
    ]


def _planning_locations() -> list[Column]:
    return [
        Column(_("Code"), attr("code")),
        Column(_("Location"), attr("name")),
        Column(_("Kind"), display("kind")),
        Column(_("City"), attr("city")),
    ]


def _contacts() -> list[Column]:
    return [
        Column(_("Organisation"), attr("organisation.name")),
        Column(_("Name"), attr("name")),
        Column(_("E-mail address"), attr("email")),
        Column(_("Phone"), attr("phone")),
        Column(_("Job title"), attr("job_title")),
        Column(_("Department"), attr("department.name")),
        Column(_("Note"), attr("note")),
    ]


LISTS: dict[str, ListExport] = {
    spec.name: spec
    for spec in (
        ListExport("risks", _risks),
        ListExport("cases", _cases),
        ListExport("initiatives", _initiatives),
        ListExport("value", _value_entries, money=True),
        ListExport("commitments", _commitments),
        ListExport("moments", _touchpoints, select_related=("partnership__supplier",)),
        ListExport("pulse", _pulse_trend),
        ListExport("plans", _plans),
        ListExport("timeline", _timeline, select_related=("actor_user",)),
        ListExport(
            "notifications",
            _notifications,
            select_related=("actor", "partnership__supplier", "partnership__customer"),
        ),
        ListExport("health-portfolio", _portfolio),
        ListExport("partnerships", _partnerships),
        ListExport("departments", _departments),
        ListExport("members", _members, select_related=("user",), prefetch_related=("departments",)),
        ListExport("invitations", _invitations, select_related=("invited_by",)),
        ListExport("tokens", _tokens),
        ListExport("security-events", _security_events),
        ListExport("planning-exceptions", _planning_exceptions, select_related=("item", "location")),
        ListExport("planning-items", _planning_items),
        ListExport("planning-locations", _planning_locations),
        ListExport("contacts", _contacts, select_related=("organisation", "department")),
    )
}
