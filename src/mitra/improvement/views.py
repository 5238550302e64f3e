"""Improvement pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mitra.partnerships.views import workspace_context
from mitra.web.http import actor_of, domain_errors


@login_required
@domain_errors
def initiative_list(request: HttpRequest, pk: int) -> HttpResponse:
    # SCAFFOLD: replaced by the improvement work.
    context = workspace_context(actor_of(request), pk, tab="improvement")
    return render(request, "partnerships/workspace_scaffold.html", context)
