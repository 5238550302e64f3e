"""Moments of truth pages: the list with OTIF and survey scores, recording and correcting a touchpoint, its
page with the surveys sent about it, and the public survey page reached by an e-mailed one-time link."""

from __future__ import annotations

import time
import zoneinfo
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mitra.accounts.security import client_ip
from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.services import require_writer
from mitra.moments import forms, selectors, services
from mitra.moments.models import DELIVERY_FIELDS, INVOICE_FIELDS, Kind, SurveyRequest, Touchpoint
from mitra.partnerships import selectors as partnership_selectors
from mitra.partnerships.views import workspace_context
from mitra.transfer.listexport import page_export
from mitra.web.http import actor_of, add_invalid, domain_errors, is_htmx

PAGE_SIZE = 50
OTIF_MONTHS = 12
# Requests to the public survey page per client address and minute; more get a 429 page.
SURVEY_RATE_LIMIT = getattr(settings, "MITRA_SURVEY_RATE_LIMIT", 20)


# --- the list -------------------------------------------------------------------------------------------


@login_required
@domain_errors
def touchpoint_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="moments")
    p = context["p"]
    filters = forms.FilterForm(request.GET)
    kind = outcome = ""
    month = None
    if filters.is_valid():
        kind, outcome, month = (filters.cleaned_data[k] for k in ("kind", "outcome", "month"))
    touchpoints = selectors.touchpoint_list(actor, p, kind=kind or None, outcome=outcome or None, month=month)
    if exported := page_export(request, actor, "moments", touchpoints, partnership_id=pk):
        return exported
    page = Paginator(touchpoints, PAGE_SIZE).get_page(request.GET.get("page"))
    otif_months = selectors.otif_by_month(actor, p, months=OTIF_MONTHS)
    context.update(
        {
            "filters": filters,
            "filtered": bool(kind or outcome or month),
            "page": page,
            "query_string": urlencode(
                {"kind": kind, "outcome": outcome, "month": month.strftime("%Y-%m") if month else ""}
            ),
            "otif_months": otif_months,
            "otif_total": selectors.otif_total(actor, p, months=OTIF_MONTHS),
            "payments": selectors.payment_total(actor, p, months=OTIF_MONTHS),
            "payment_months": selectors.payments_by_month(actor, p, months=OTIF_MONTHS),
            "scores": selectors.survey_scores(actor, p),
            "score_months": selectors.survey_scores_by_month(actor, p, months=OTIF_MONTHS),
        }
    )
    return render(request, "moments/list.html", context)


# --- recording and correcting ---------------------------------------------------------------------------


def _touchpoint_form(
    request: HttpRequest, actor: Any, context: dict[str, Any], touchpoint: Touchpoint | None
) -> HttpResponse:
    p = context["p"]
    bridges = partnership_selectors.bridge_list(actor, p.pk)
    if touchpoint is None:
        initial: dict[str, Any] = {
            "kind": request.GET.get("kind") or Kind.DELIVERY,
            "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
        }
    else:
        initial = {
            "kind": touchpoint.kind,
            "occurred_at": timezone.localtime(touchpoint.occurred_at),
            "outcome": touchpoint.outcome,
            "summary": touchpoint.summary,
            "bridge_id": touchpoint.bridge_id,
            "reference": touchpoint.reference,
            "version": touchpoint.version,
            **{name: getattr(touchpoint, name) for name in (*DELIVERY_FIELDS, *INVOICE_FIELDS)},
        }
    if is_htmx(request) and request.method == "GET" and "kind" in request.GET:
        # The kind changed: show the form again, with or without the delivery or invoice fields.
        form = forms.TouchpointForm(request.GET, bridges=bridges)
        form.errors.clear()
        return render(request, "moments/_form.html", {**context, "form": form, "touchpoint": touchpoint})
    form = forms.TouchpointForm(request.POST or None, initial=initial, bridges=bridges)
    if request.method == "POST":
        require_writer(actor)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            if data["kind"] != Kind.DELIVERY:
                # Delivery fields left in a form whose kind changed are not meant: drop them.
                data.update(dict.fromkeys(DELIVERY_FIELDS))
            if data["kind"] != Kind.INVOICE:
                data.update(dict.fromkeys(INVOICE_FIELDS))
            try:
                if touchpoint is None:
                    touchpoint = services.touchpoint_create(actor, partnership_id=p.pk, **data)
                    messages.success(request, _("The moment of truth was recorded."))
                else:
                    services.touchpoint_update(
                        actor, partnership_id=p.pk, touchpoint_id=touchpoint.pk, version=version, **data
                    )
                    messages.success(request, _("The moment of truth was saved."))
            except Invalid as exc:
                add_invalid(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                return redirect(touchpoint.get_absolute_url())
    return render(request, "moments/form.html", {**context, "form": form, "touchpoint": touchpoint})


@login_required
@domain_errors
def touchpoint_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="moments")
    require_writer(actor)
    return _touchpoint_form(request, actor, context, None)


@login_required
@domain_errors
def touchpoint_edit(request: HttpRequest, pk: int, touchpoint_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="moments")
    touchpoint = selectors.touchpoint_get(actor, context["p"], touchpoint_id)
    require_writer(actor)
    if touchpoint.recorded_by_side != context["side"]:
        raise PermissionDenied(_("Only the side that recorded this moment of truth can change it."))
    return _touchpoint_form(request, actor, context, touchpoint)


# --- one touchpoint and its surveys ---------------------------------------------------------------------


def _detail_context(actor: Any, pk: int, touchpoint_id: int) -> dict[str, Any]:
    context = workspace_context(actor, pk, tab="moments")
    p = context["p"]
    touchpoint = selectors.touchpoint_get(actor, p, touchpoint_id)
    context.update(
        {
            "touchpoint": touchpoint,
            "surveys": list(selectors.survey_list(actor, p, touchpoint_id=touchpoint.pk)),
            "can_edit": context["writable"] and touchpoint.recorded_by_side == context["side"],
            # An invoice is in the currency of the supplier, who issues it.
            "currency": p.supplier.currency,
        }
    )
    return context


@login_required
@domain_errors
def touchpoint_detail(request: HttpRequest, pk: int, touchpoint_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = _detail_context(actor, pk, touchpoint_id)
    if context["writable"]:
        context["survey_form"] = forms.SurveyForm(recipients=selectors.survey_recipients(actor, context["p"]))
    return render(request, "moments/detail.html", context)


@login_required
@require_POST
@domain_errors
def survey_send(request: HttpRequest, pk: int, touchpoint_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = _detail_context(actor, pk, touchpoint_id)
    require_writer(actor)
    form = forms.SurveyForm(request.POST, recipients=selectors.survey_recipients(actor, context["p"]))
    if form.is_valid():
        try:
            survey = services.survey_create(
                actor,
                partnership_id=context["p"].pk,
                touchpoint_id=touchpoint_id,
                recipient_id=form.cleaned_data["recipient_id"],
            )
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("A survey link was e-mailed to %(name)s.")
                % {"name": survey.recipient.user.get_full_name() if survey.recipient else ""},
            )
            return redirect(context["touchpoint"].get_absolute_url())
    context["survey_form"] = form
    return render(request, "moments/detail.html", context, status=422)


# --- the public survey page -----------------------------------------------------------------------------


def _too_many(request: HttpRequest) -> bool:
    """Count this request against its client address for the current minute (in the shared cache)."""
    key = f"moments:survey:{client_ip(request) or 'unknown'}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > SURVEY_RATE_LIMIT


def _gone(
    request: HttpRequest, reason: str, status: int, survey: SurveyRequest | None = None
) -> HttpResponse:
    return render(request, "moments/survey_gone.html", {"reason": reason, "survey": survey}, status=status)


@never_cache  # the link is a credential: no shared cache keeps the page (or its form's CSRF token)
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """Answer a survey through its e-mailed link: no sign-in, once, before it expires."""
    if _too_many(request):
        response = _gone(request, "rate", 429)
        response["Retry-After"] = "60"
        return response
    found = services.survey_by_token(token)
    if found is None:
        return _gone(request, "invalid", 404)
    # The recipient's organisation (also when the membership was removed since): its language and zone.
    partnership = found.partnership
    organisation = partnership.supplier if found.recipient_side == "supplier" else partnership.customer
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # The recipient is not signed in: speak their organisation's language.
        translation.activate(organisation.language)
        request.LANGUAGE_CODE = organisation.language
    try:
        zone = zoneinfo.ZoneInfo(organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with timezone.override(zone):
        return _survey_page(request, token, found)


def _survey_page(request: HttpRequest, token: str, found: SurveyRequest) -> HttpResponse:
    if found.answered_at is not None:
        return _gone(request, "used", 410, found)
    if found.expires_at <= timezone.now():
        return _gone(request, "expired", 410, found)
    form = forms.AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.survey_answer(raw_token=token, **form.cleaned_data)
            except services.SurveyUsed:
                return _gone(request, "used", 410, found)
            except services.SurveyExpired:
                return _gone(request, "expired", 410, found)
            except Invalid as exc:
                add_invalid(form, exc)
            else:
                return render(request, "moments/survey_thanks.html", {"survey": found})
        status = 422
    partnership = found.partnership
    sender = partnership.supplier if found.sent_by_side == "supplier" else partnership.customer
    return render(
        request,
        "moments/survey.html",
        {"survey": found, "form": form, "sender": sender, "touchpoint": found.touchpoint},
        status=status,
    )
