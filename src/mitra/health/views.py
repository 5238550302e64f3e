"""Health pages: the portfolio of every partnership of my organisation, and a partnership's health page
with its dimensions, 26-week trend, drivers, alerts (acknowledge, adopt a playbook) and agreed weights.

Both sides of a partnership see the same health content; only the forms differ by who may do what.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mitra.core.errors import Conflict, Invalid
from mitra.core.tenancy import Actor
from mitra.health import charts, forms, selectors, services
from mitra.health.engine import DIMENSIONS
from mitra.health.labels import BAND_LABELS, PRIORITY_LABELS, SIDE_LABELS, dimension_label
from mitra.health.messages import TYPE_LABELS, alert_message
from mitra.health.templatetags.health_web import decimal, driver_view, score
from mitra.partnerships.selectors import people_of
from mitra.partnerships.views import workspace_context
from mitra.partnerships.workspace import shared_partnership, side_of
from mitra.transfer.listexport import page_export
from mitra.web import formatting
from mitra.web.http import actor_of, add_invalid, domain_errors, invalid_text, posted_version

TREND_WEEKS = 26
WEIGHT_ALIASES = {f"weights.{d}": d for d in DIMENSIONS}


def _week(day: Any) -> str:
    return formatting.date(day, "medium")


# --- the portfolio ----------------------------------------------------------------------------------

PORTFOLIO_PAGE_SIZE = 50


@login_required
@domain_errors
def portfolio(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    sort = request.GET.get("sort", "score")
    if sort not in forms.SORTS:
        sort = "score"
    descending = request.GET.get("dir", "asc") == "desc"
    everything = selectors.portfolio_queryset(actor, sort=sort, descending=descending)
    if exported := page_export(request, actor, "health-portfolio", everything):
        return exported
    page = Paginator(everything, PORTFOLIO_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.portfolio_rows(actor, list(page.object_list))
    labels = {
        "partner": _("Partner"),
        "score": _("Score"),
        "delta_1w": _("1 week"),
        "delta_4w": _("4 weeks"),
        "alerts": _("Open alerts"),
    }
    headers = []
    for key in forms.SORTS:
        active = key == sort
        next_dir = "asc" if active and descending else ("desc" if active else "asc")
        headers.append(
            {
                "key": key,
                "label": labels[key],
                "active": active,
                "aria_sort": ("descending" if descending else "ascending") if active else "",
                "url": f"?sort={key}&dir={next_dir}",
            }
        )
    view_rows = [
        {
            "row": row,
            "spark": charts.sparkline(row.sparkline, label=_spark_label(row)),
            "driver": driver_view(row.top_driver, row.partnership.pk),
            "side_label": SIDE_LABELS.get(row.side, row.side),
            "priority_label": PRIORITY_LABELS.get(row.top_priority or "", ""),
        }
        for row in rows
    ]
    return render(
        request,
        "health/portfolio.html",
        {
            "rows": view_rows,
            "headers": headers,
            "scored": selectors.portfolio_has_scores(actor),
            "page": page,
            "query_string": f"sort={sort}&dir={'desc' if descending else 'asc'}",
            "sort": sort,
            "descending": descending,
        },
    )


def _spark_label(row: Any) -> str:
    known = [s for _w, s in row.sparkline if s is not None]
    if not known:
        return _("%(partner)s: no health score in the last %(n)s weeks") % {
            "partner": row.partner.name,
            "n": len(row.sparkline),
        }
    return _("%(partner)s: health score over %(n)s weeks, from %(first)s to %(last)s") % {
        "partner": row.partner.name,
        "n": len(row.sparkline),
        "first": score(known[0]),
        "last": score(known[-1]),
    }


# --- a partnership's health -------------------------------------------------------------------------


def _settings_view(actor: Actor, pk: int) -> Any:
    return selectors.health_settings(actor, pk)


def _weights_initial(settings_view: Any) -> dict[str, Any]:
    # the agreed weights as percentages (they are stored as fractions; only the proportions count)
    initial: dict[str, Any] = {d: round(100 * settings_view.weights.get(d, 0.0), 2) for d in DIMENSIONS}
    initial.update(
        red_below=settings_view.red_below, green_from=settings_view.green_from, version=settings_view.version
    )
    return initial


def _weight_rows(weights: dict[str, float] | None) -> list[dict[str, Any]]:
    weights = weights or {}
    total = sum(float(weights.get(d) or 0) for d in DIMENSIONS) or 1.0
    return [
        {
            "key": d,
            "label": dimension_label(d),
            "weight": weights.get(d),
            "share": round(100 * float(weights.get(d) or 0) / total),
        }
        for d in DIMENSIONS
    ]


def _detail(
    request: HttpRequest, actor: Actor, pk: int, *, weights_form: Any = None, status: int = 200
) -> HttpResponse:
    context = workspace_context(actor, pk, tab="health")
    history = list(selectors.health_history(actor, pk, TREND_WEEKS))
    latest = history[-1] if history else None
    settings_view = _settings_view(actor, pk)
    red_below, green_from = settings_view.red_below, settings_view.green_from
    points = [(s.week, s.score) for s in history]
    band_names = (str(BAND_LABELS["red"]), str(BAND_LABELS["amber"]), str(BAND_LABELS["green"]))
    trend = charts.trend_chart(
        points,
        red_below,
        green_from,
        label=_("Health score, last %(n)s weeks") % {"n": len(points)},
        zone_labels=band_names,
        number=lambda v: decimal(round(v, 1)),
        date=_week,
    )
    dimensions = []
    if latest is not None:
        used = latest.weights or settings_view.weights
        shares = {row["key"]: row["share"] for row in _weight_rows(used)}
        for d in DIMENSIONS:
            value = latest.dimensions.get(d)
            label = dimension_label(d)
            dimensions.append(
                {
                    "key": d,
                    "label": label,
                    "value": value,
                    "share": shares[d],
                    "band": charts.band_of(value, red_below, green_from),
                    "bar": None
                    if value is None
                    else charts.dimension_bar(value, red_below, green_from, label=f"{label}: {score(value)}"),
                }
            )
    alerts = [_with_text(a) for a in selectors.alert_list(actor, pk)]
    proposal = None
    if settings_view.proposed_weights is not None:
        proposal = {
            "weights": _weight_rows(settings_view.proposed_weights),
            "red_below": settings_view.proposed_red_below,
            "green_from": settings_view.proposed_green_from,
            "side": str(
                SIDE_LABELS.get(settings_view.proposed_by_side, settings_view.proposed_by_side)
            ).lower(),
            "by": settings_view.proposed_by,
            "at": settings_view.proposed_at,
            "note": settings_view.proposal_note,
            "can_agree": settings_view.can_agree and context["writable"],
        }
    context.update(
        latest=latest,
        band_label=BAND_LABELS.get(latest.band if latest else "no_data", ""),
        trend=trend if points else None,
        dimensions=dimensions,
        drivers=[driver_view(d, pk) for d in (latest.drivers if latest else [])],
        alerts=alerts,
        priority_labels=PRIORITY_LABELS,
        settings=settings_view,
        weight_rows=_weight_rows(settings_view.weights),
        proposal=proposal,
        weights_form=weights_form or forms.WeightsForm(initial=_weights_initial(settings_view)),
    )
    return render(request, "health/detail.html", context, status=status)


@login_required
@domain_errors
def health_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, actor_of(request), pk)


def _back(pk: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("health:detail", kwargs={"pk": pk}) + anchor)


def _with_text(alert: Any) -> Any:
    """The alert with its sentence and type label in the reader's language, for the templates."""
    alert.text = alert_message(alert)
    alert.type_label = str(TYPE_LABELS.get(alert.type, alert.type))
    return alert


@login_required
@require_POST
@domain_errors
def alert_acknowledge(request: HttpRequest, pk: int, alert_id: int) -> HttpResponse:
    actor = actor_of(request)
    workspace_context(actor, pk, tab="health")
    try:
        services.health_alert_acknowledge(actor, partnership_id=pk, alert_id=alert_id)
    except (Conflict, Invalid) as exc:
        messages.error(request, invalid_text(exc) if isinstance(exc, Invalid) else exc.message)
    else:
        messages.success(request, _("Alert acknowledged."))
    return _back(pk, "#alerts")


@login_required
@domain_errors
def alert_adopt(request: HttpRequest, pk: int, alert_id: int) -> HttpResponse:
    """GET shows the playbook's suggested commitments; POST adopts them in one click."""
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="health")
    alert = _with_text(selectors.alert_get(actor, pk, alert_id))
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        owners = {
            side: int(request.POST[f"owner_{side}"])
            for side in ("supplier", "customer")
            if request.POST.get(f"owner_{side}", "").isdigit()
        }
        try:
            created = services.health_alert_adopt(actor, partnership_id=pk, alert_id=alert_id, owners=owners)
        except Invalid as exc:
            # owners.<side> errors go next to that side's choice, anything else on top of the form
            errors = {key.split(".", 1)[-1]: msgs for key, msgs in exc.errors.items()}
            status = 400
        except Conflict as exc:
            messages.error(request, exc.message)
            status = 409
        else:
            messages.success(
                request,
                ngettext(
                    "Playbook adopted: %(count)s commitment created.",
                    "Playbook adopted: %(count)s commitments created.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return _back(pk, "#alerts")
    suggested = selectors.alert_suggestions(alert, actor)
    chosen = {s.owner_side: s.owner.pk if s.owner else None for s in suggested}
    for side in chosen:
        if request.POST.get(f"owner_{side}", "").isdigit():
            chosen[side] = int(request.POST[f"owner_{side}"])
    context.update(
        alert=alert,
        priority_label=PRIORITY_LABELS.get(alert.priority, alert.priority),
        owner_choices=[
            {
                "side": side,
                "label": SIDE_LABELS.get(side, side),
                "chosen": chosen[side],
                "errors": errors.pop(side, []),
                "people": people_of(context["p"], side),
            }
            for side in ("supplier", "customer")
            if side in chosen
        ],
        suggestions=[{"s": s, "side_label": SIDE_LABELS.get(s.owner_side, s.owner_side)} for s in suggested],
        form_errors=[m for msgs in errors.values() for m in msgs],
    )
    return render(request, "health/adopt.html", context, status=status)


@login_required
@require_POST
@domain_errors
def weights_propose(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    workspace_context(actor, pk, tab="health")
    form = forms.WeightsForm(request.POST)
    if form.is_valid():
        try:
            services.health_settings_propose(
                actor,
                partnership_id=pk,
                weights=form.weights(),
                red_below=form.cleaned_data["red_below"],
                green_from=form.cleaned_data["green_from"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except Invalid as exc:
            add_invalid(form, exc, WEIGHT_ALIASES)
        except Conflict as exc:
            # keep what was typed, but against the current version, so a second submit can go through
            current = selectors.health_settings(actor, pk).version
            form = forms.WeightsForm({**request.POST.dict(), "version": current})
            form.is_valid()
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Weights proposed. The other side can now agree or decline."))
            return _back(pk, "#weights")
    return _detail(request, actor, pk, weights_form=form, status=400)


def _answer(request: HttpRequest, pk: int, *, agree: bool) -> HttpResponse:
    actor = actor_of(request)
    workspace_context(actor, pk, tab="health")
    version = posted_version(request)
    if version is None:
        messages.error(request, _("The page was out of date. Look again and retry."))
        return _back(pk, "#weights")
    service = services.health_settings_agree if agree else services.health_settings_decline
    own = selectors.health_settings(actor, pk).proposed_by_side == side_of(
        actor, shared_partnership(actor, pk)
    )
    try:
        service(actor, partnership_id=pk, version=version)
    except (Conflict, Invalid) as exc:
        messages.error(request, invalid_text(exc) if isinstance(exc, Invalid) else exc.message)
    else:
        if agree:
            done = _("Weights agreed. The scores are recomputed with them.")
        else:
            done = _("Proposal withdrawn.") if own else _("Proposal declined.")
        messages.success(request, done)
    return _back(pk, "#weights")


@login_required
@require_POST
@domain_errors
def weights_agree(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, agree=True)


@login_required
@require_POST
@domain_errors
def weights_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, agree=False)
