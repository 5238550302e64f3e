"""Relationship pulse pages: this quarter's round, my bridges to answer, results and their trend."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.errors import Conflict, Invalid
from mitra.core.tenancy import Actor
from mitra.partnerships.views import workspace_context
from mitra.pulse import selectors, services
from mitra.pulse.forms import PulseAnswerForm
from mitra.pulse.models import QUESTIONS, PulseRound
from mitra.transfer.listexport import export_response, requested_format
from mitra.web.http import actor_of, add_invalid, domain_errors, invalid_text

ROUNDS_SHOWN = 12


def _prefix(bridge_id: int) -> str:
    return f"bridge-{bridge_id}"


def _round_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _overview(
    actor: Actor,
    context: dict[str, Any],
    round_id: int | None,
    bound: dict[int, PulseAnswerForm] | None = None,
) -> dict[str, Any]:
    partnership = context["p"]
    rounds = list(selectors.pulse_round_list(actor, partnership.pk)[:ROUNDS_SHOWN])
    current = selectors.pulse_round_current(actor, partnership)
    # By default the latest round with results to show (a closed one), else this quarter's.
    shown: PulseRound | None = (
        next((r for r in rounds if r.pk == round_id), None)
        or next((r for r in rounds if selectors.is_published(r)), None)
        or current
    )
    if shown is None and rounds:
        shown = rounds[0]
    answering = []
    if current is not None and current.is_open and context["writable"]:
        bound = bound or {}
        answering = [
            (bridge, bound.get(bridge.pk) or PulseAnswerForm(prefix=_prefix(bridge.pk)))
            for bridge in selectors.my_pending_bridges(actor, current)
        ]
    return {
        **context,
        "rounds": rounds,
        "current": current,
        "shown": shown,
        "answering": answering,
        "questions": QUESTIONS,
        "results": selectors.pulse_results(actor, shown) if shown is not None else None,
        "trend": selectors.pulse_trend(actor, partnership),
        "can_open": actor.is_admin and context["writable"] and current is None,
    }


@login_required
@domain_errors
def pulse_overview(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="pulse")
    if fmt := requested_format(request):
        return export_response(
            actor, "pulse", selectors.pulse_trend(actor, context["p"]), fmt, partnership_id=pk
        )
    return render(
        request, "pulse/overview.html", _overview(actor, context, _round_param(request.GET.get("round")))
    )


@login_required
@domain_errors
@require_POST
def pulse_open(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    workspace_context(actor, pk, tab="pulse")  # a stranger's partnership is a 404 before anything else
    try:
        pulse_round = services.pulse_round_open(actor, partnership_id=pk)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The pulse round for %(quarter)s is open.") % {"quarter": pulse_round.quarter}
        )
    return redirect("pulse:overview", pk=pk)


@login_required
@domain_errors
@require_POST
def pulse_answer(request: HttpRequest, pk: int, round_id: int, bridge_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="pulse")
    selectors.pulse_round_get(actor, pk, round_id)  # 404 for a round of another partnership
    form = PulseAnswerForm(request.POST, prefix=_prefix(bridge_id))
    if form.is_valid():
        try:
            services.pulse_answer(
                actor, partnership_id=pk, round_id=round_id, bridge_id=bridge_id, **form.cleaned_data
            )
        except Invalid as exc:
            if "bridge_id" in exc.errors:
                messages.error(request, invalid_text(exc))
                return redirect("pulse:overview", pk=pk)
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("pulse:overview", pk=pk)
        else:
            messages.success(request, _("Thank you: your answer was saved. It is only shown in aggregate."))
            return redirect("pulse:overview", pk=pk)
    page = _overview(actor, context, None, bound={bridge_id: form})
    return render(request, "pulse/overview.html", page, status=422)
