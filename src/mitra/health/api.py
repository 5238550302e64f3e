"""The health API: /api/v1/partnerships/{partnership_id}/health… and /api/v1/portfolio.

Both sides of a partnership get the same bytes for its health, its settings and its alert lists; only an
alert's playbook suggestions depend on the reader (their own side's default owner is the reader).
"""

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import paginate
from pydantic import Field

from mitra.core.api import Id, Page, actor_of, errors
from mitra.core.tenancy import Actor
from mitra.health import selectors, services
from mitra.health.messages import alert_message
from mitra.health.models import HealthAlert
from mitra.health.schemas import (
    HealthAdoptIn,
    HealthAlertDetailOut,
    HealthAlertOut,
    HealthOut,
    HealthPointOut,
    HealthPortfolioOut,
    HealthSettingsIn,
    HealthSettingsOut,
    HealthVersionIn,
)
from mitra.health.selectors import PortfolioRow
from mitra.transfer.listexport import API_EXPORT_DOC, EXPORT_FORMAT, ExportFormat, export_response

router = Router(tags=["health"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)
Weeks = Annotated[int, Field(ge=1, le=520, description="How many weeks, the latest last")]
BASE = "/partnerships/{partnership_id}/health"
ALERTS = "/partnerships/{partnership_id}/alerts"


@router.get(BASE, response={200: HealthOut, **READ}, operation_id="health_get")
def health_get(request: HttpRequest, partnership_id: Id) -> Any:
    """The latest weekly Health Index: score, band, trend, the eight dimensions, drivers and weights."""
    return selectors.health_latest(actor_of(request), partnership_id)


@router.get(BASE + "/history", response={200: list[HealthPointOut], **READ}, operation_id="health_history")
def health_history(request: HttpRequest, partnership_id: Id, weeks: Weeks = 26) -> Any:
    """The weekly series of scores, oldest first."""
    return list(selectors.health_history(actor_of(request), partnership_id, weeks))


@router.get(BASE + "/settings", response={200: HealthSettingsOut, **READ}, operation_id="health_settings_get")
def health_settings_get(request: HttpRequest, partnership_id: Id) -> Any:
    """The weights and colour bands both sides agreed (defaults until then) and any pending proposal."""
    return selectors.health_settings(actor_of(request), partnership_id)


@router.post(
    BASE + "/settings/propose",
    response={200: HealthSettingsOut, **WRITE},
    operation_id="health_settings_propose",
)
def health_settings_propose(request: HttpRequest, partnership_id: Id, payload: HealthSettingsIn) -> Any:
    """Propose new weights and bands; they apply once the other side agrees."""
    actor = actor_of(request)
    services.health_settings_propose(actor, partnership_id=partnership_id, **payload.model_dump())
    return selectors.health_settings(actor, partnership_id)


@router.post(
    BASE + "/settings/agree", response={200: HealthSettingsOut, **WRITE}, operation_id="health_settings_agree"
)
def health_settings_agree(request: HttpRequest, partnership_id: Id, payload: HealthVersionIn) -> Any:
    """Agree to the other side's proposal; the history is then recomputed with it on the job backend."""
    actor = actor_of(request)
    services.health_settings_agree(actor, partnership_id=partnership_id, version=payload.version)
    return selectors.health_settings(actor, partnership_id)


@router.post(
    BASE + "/settings/decline",
    response={200: HealthSettingsOut, **WRITE},
    operation_id="health_settings_decline",
)
def health_settings_decline(request: HttpRequest, partnership_id: Id, payload: HealthVersionIn) -> Any:
    """Decline the other side's proposal, or withdraw your own."""
    actor = actor_of(request)
    services.health_settings_decline(actor, partnership_id=partnership_id, version=payload.version)
    return selectors.health_settings(actor, partnership_id)


def _alert_out(alert: HealthAlert, actor: Actor | None = None) -> dict[str, Any]:
    out = {
        "id": alert.pk,
        "type": alert.type,
        "reason": alert.reason,
        "message": alert_message(alert),
        "priority": alert.priority,
        "dimension": alert.dimension,
        "side": alert.side,
        "value": alert.value,
        "status": alert.status,
        "week": alert.week,
        "opened_week": alert.opened_week,
        "opened_at": alert.opened_at,
        "acknowledged_at": alert.acknowledged_at,
        "acknowledged_side": alert.acknowledged_side,
        "closed_at": alert.closed_at,
        "closed_why": alert.closed_why,
        "adopted_at": alert.adopted_at,
        "commitment_ids": sorted(c.pk for c in alert.commitments.all()),
    }
    if actor is not None:
        out["suggestions"] = [
            {
                "title": s.title,
                "owner_side": s.owner_side,
                "due_in_days": s.due_in_days,
                "due_date": s.due_date,
                "owner_id": s.owner.pk if s.owner else None,
            }
            for s in selectors.alert_suggestions(alert, actor)
        ]
    return out


class AlertPage(Page):
    """``Page`` over the alerts queryset, each alert in its API shape (with its message)."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        out = super().paginate_queryset(queryset, pagination, request, **params)
        out["items"] = [_alert_out(a) for a in out["items"]]
        return out


@router.get(ALERTS, response={200: list[HealthAlertOut], **READ}, operation_id="health_alert_list")
@paginate(AlertPage)
def health_alert_list(
    request: HttpRequest, partnership_id: Id, status: Literal["active", "closed", "all"] = "active"
) -> Any:
    """The partnership's health alerts, the most urgent first: active (open or acknowledged) by default."""
    return selectors.alert_list(actor_of(request), partnership_id, status=status).prefetch_related(
        "commitments"
    )


@router.get(
    ALERTS + "/{alert_id}", response={200: HealthAlertDetailOut, **READ}, operation_id="health_alert_get"
)
def health_alert_get(request: HttpRequest, partnership_id: Id, alert_id: Id) -> Any:
    """One alert, with the commitments its playbook suggests."""
    actor = actor_of(request)
    return _alert_out(selectors.alert_get(actor, partnership_id, alert_id), actor)


@router.post(
    ALERTS + "/{alert_id}/acknowledge",
    response={200: HealthAlertOut, **WRITE},
    operation_id="health_alert_acknowledge",
)
def health_alert_acknowledge(request: HttpRequest, partnership_id: Id, alert_id: Id) -> Any:
    """Say that someone is on it; the alert stays until its condition clears."""
    actor = actor_of(request)
    services.health_alert_acknowledge(actor, partnership_id=partnership_id, alert_id=alert_id)
    return _alert_out(selectors.alert_get(actor, partnership_id, alert_id))


@router.post(
    ALERTS + "/{alert_id}/adopt",
    response={200: HealthAlertOut, **WRITE},
    operation_id="health_alert_adopt",
)
def health_alert_adopt(request: HttpRequest, partnership_id: Id, alert_id: Id, payload: HealthAdoptIn) -> Any:
    """Adopt the alert's playbook: create its suggested commitments in one go (all or nothing)."""
    actor = actor_of(request)
    services.health_alert_adopt(
        actor, partnership_id=partnership_id, alert_id=alert_id, owners=payload.owners
    )
    return _alert_out(selectors.alert_get(actor, partnership_id, alert_id))


class PortfolioPage(Page):
    """``Page`` over the portfolio queryset; only the page's rows get their sparkline and top driver."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        out = super().paginate_queryset(queryset, pagination, request, **params)
        rows = selectors.portfolio_rows(actor_of(request), list(out["items"]))
        out["items"] = [_portfolio_out(r) for r in rows]
        return out


def _portfolio_out(row: PortfolioRow) -> dict[str, Any]:
    d = row.top_driver
    return {
        "partnership_id": row.partnership.pk,
        "partner_id": row.partner.pk,
        "partner_name": row.partner.name,
        "side": row.side,
        "status": row.partnership.status,
        "week": row.week,
        "score": row.score,
        "band": row.band,
        "delta_1w": row.delta_1w,
        "delta_4w": row.delta_4w,
        "top_driver": (
            {k: d[k] for k in ("dimension", "component", "source", "contribution")} if d else None
        ),
        "open_alerts": row.open_alerts,
        "top_priority": row.top_priority,
        "sparkline": [{"week": w, "score": s} for w, s in row.sparkline],
    }


@router.get("/portfolio", response={200: list[HealthPortfolioOut], **READ}, operation_id="health_portfolio")
@paginate(PortfolioPage)
def health_portfolio(
    request: HttpRequest,
    sort: Literal["partner", "score", "delta_1w", "delta_4w", "alerts", "band"] = "score",
    order: Literal["asc", "desc"] = "asc",
) -> Any:
    """Every partnership of your organisation with its latest health: score, band, trend, a 12-week
    sparkline, the top driver and the open alerts. Sorted in the database; partnerships without a score
    come last."""
    return selectors.portfolio_queryset(actor_of(request), sort=sort, descending=order == "desc")


@router.get(
    "/portfolio/export", response=READ, operation_id="health_portfolio_export", openapi_extra=API_EXPORT_DOC
)
def health_portfolio_export(
    request: HttpRequest,
    sort: Literal["partner", "score", "delta_1w", "delta_4w", "alerts", "band"] = "score",
    order: Literal["asc", "desc"] = "asc",
    fmt: ExportFormat = EXPORT_FORMAT,
) -> HttpResponse:
    """The portfolio as a CSV or XLSX file, every partnership in the same order as the list."""
    actor = actor_of(request)
    rows = selectors.portfolio_queryset(actor, sort=sort, descending=order == "desc")
    return export_response(actor, "health-portfolio", rows, fmt)
