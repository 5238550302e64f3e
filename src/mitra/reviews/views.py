"""The review page of a partnership: choose a quarter and a language, get the document as PDF or HTML.

``GET /partnerships/<pk>/review/`` shows the form and the reviews prepared for the reader's organisation
before each charter review date; with ``format`` (pdf or html) it answers the document itself.
``GET /partnerships/<pk>/review/prepared/<review_id>/`` downloads a prepared review. A stranger gets 404;
a malformed quarter is shown next to the field, with status 400.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from mitra.partnerships.views import workspace_context
from mitra.reviews import forms, selectors, services
from mitra.reviews.builder import quarter_of
from mitra.web.http import actor_of, domain_errors


@login_required
@domain_errors
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="review")
    language = (translation.get_language() or "en").split("-")[0]
    asked = "format" in request.GET
    form = forms.ReviewForm(request.GET if asked or "quarter" in request.GET else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if asked:
            document = services.review_document(
                actor,
                partnership_id=pk,
                quarter=data["quarter"],
                lang=data["lang"] or language,
                fmt=data["format"],
            )
            response = HttpResponse(document.content, content_type=document.content_type)
            disposition = "attachment" if data["format"] == "pdf" else "inline"
            response["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
            return response
    if not form.is_bound:
        form = forms.ReviewForm(
            initial={"quarter": quarter_of(timezone.localdate()).code, "lang": language, "format": "pdf"}
        )
    context.update(
        form=form, quarters=forms.recent_quarters(), prepared=list(selectors.prepared_list(actor, pk)[:50])
    )
    return render(request, "reviews/page.html", context, status=400 if form.errors else 200)


@login_required
@domain_errors
def prepared_download(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    prepared = selectors.prepared_get(actor_of(request), pk, review_id)
    response = HttpResponse(bytes(prepared.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{prepared.filename}"'
    return response
