"""Discussion pages: a record's thread, editing a comment, the notifications, the partnership's timeline."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership
from mitra.partnerships.views import workspace_context
from mitra.threads import selectors, services
from mitra.threads.forms import CommentForm, TimelineFilterForm, people_choices
from mitra.threads.paging import offset_page
from mitra.threads.subjects import Subject
from mitra.threads.templatetags.threads_web import panel_context
from mitra.transfer.listexport import page_export
from mitra.web.http import actor_of, add_invalid, domain_errors, is_htmx

NOTIFICATIONS_PAGE_SIZE = 50


def _next_url(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return fallback


def _panel(
    request: HttpRequest,
    actor: Actor,
    partnership: Partnership,
    subject: Subject,
    writable: bool,
    form: CommentForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "threads/_panel.html",
        panel_context(actor, partnership, subject, writable=writable, form=form),
    )


# --- a record's thread ------------------------------------------------------------------------------------


@login_required
@domain_errors
def thread(request: HttpRequest, pk: int, kind: str, object_id: int) -> HttpResponse:
    """The discussion of one record on its own page (htmx: the panel alone); POST adds a comment."""
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="threads")
    partnership: Partnership = context["p"]
    _p, subject = selectors.thread_subject(actor, pk, kind, object_id)
    form = None
    if request.method == "POST":
        people = list(selectors.people(partnership))
        form = CommentForm(request.POST, choices=people_choices(partnership, people))
        if form.is_valid():
            try:
                comment = services.comment_create(
                    actor,
                    partnership_id=pk,
                    kind=subject.kind,
                    object_id=subject.pk,
                    body=form.cleaned_data["body"],
                    mention_ids=form.cleaned_data["mention_ids"],
                )
            except Invalid as exc:
                add_invalid(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                if is_htmx(request):
                    return _panel(request, actor, partnership, subject, context["writable"])
                messages.success(request, _("Your comment is posted."))
                return HttpResponseRedirect(_next_url(request, f"{subject.url}#comment-{comment.pk}"))
    if is_htmx(request):
        return _panel(request, actor, partnership, subject, context["writable"], form)
    return render(
        request,
        "threads/thread.html",
        {
            **context,
            "subject": subject,
            "panel": panel_context(actor, partnership, subject, writable=context["writable"], form=form),
        },
    )


def _own_comment_context(
    request: HttpRequest, pk: int, comment_id: int
) -> tuple[Actor, dict, object, Subject]:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="threads")
    comment = selectors.comment_get(actor, pk, comment_id)
    _p, subject = selectors.thread_subject(actor, pk, comment.kind, comment.object_id)
    if comment.author_id != actor.membership.pk:
        raise PermissionDenied(_("You can only change your own comments."))
    return actor, context, comment, subject


@login_required
@domain_errors
def comment_edit(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    """Edit one's own comment (htmx: inline in the thread)."""
    actor, context, comment, subject = _own_comment_context(request, pk, comment_id)
    partnership: Partnership = context["p"]
    choices = people_choices(partnership, selectors.people(partnership))
    if request.method == "POST":
        form = CommentForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                services.comment_update(
                    actor,
                    partnership_id=pk,
                    comment_id=comment_id,
                    body=form.cleaned_data["body"],
                    mention_ids=form.cleaned_data["mention_ids"],
                    version=form.cleaned_data["version"],
                )
            except Invalid as exc:
                add_invalid(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                if is_htmx(request):
                    return _panel(request, actor, partnership, subject, context["writable"])
                messages.success(request, _("Your comment is saved."))
                return HttpResponseRedirect(f"{subject.url}#comment-{comment_id}")
    else:
        form = CommentForm(
            initial={
                "body": comment.body,  # type: ignore[attr-defined]
                "mention_ids": [m.membership_id for m in comment.mentions.all()],  # type: ignore[attr-defined]
                "version": comment.version,  # type: ignore[attr-defined]
            },
            choices=choices,
        )
    template = "threads/_comment_edit.html" if is_htmx(request) else "threads/comment_edit.html"
    return render(request, template, {**context, "subject": subject, "comment": comment, "form": form})


@login_required
@domain_errors
@require_POST
def comment_delete(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="threads")
    comment = selectors.comment_get(actor, pk, comment_id)
    _p, subject = selectors.thread_subject(actor, pk, comment.kind, comment.object_id)
    try:
        services.comment_delete(actor, partnership_id=pk, comment_id=comment_id)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        if not is_htmx(request):
            messages.success(request, _("The comment is deleted."))
    if is_htmx(request):
        return _panel(request, actor, context["p"], subject, context["writable"])
    return HttpResponseRedirect(subject.url)


# --- notifications ----------------------------------------------------------------------------------------


@login_required
@domain_errors
def notifications(request: HttpRequest) -> HttpResponse:
    """Your notifications in the organisation you act for; POST marks them all read."""
    actor = actor_of(request)
    if request.method == "POST":
        count = services.notification_read_all(actor)
        messages.success(request, _("All notifications are marked read.") if count else _("Nothing unread."))
        return redirect("threads:notifications")
    unread_only = request.GET.get("unread") == "1"
    if exported := page_export(
        request, actor, "notifications", lambda: selectors.notification_list(actor, unread=unread_only)
    ):
        return exported
    page = offset_page(
        selectors.notification_list(actor, unread=unread_only).select_related(
            "partnership__supplier", "partnership__customer"
        ),
        request.GET.get("page"),
        NOTIFICATIONS_PAGE_SIZE,
    )
    return render(
        request,
        "threads/notifications.html",
        {"page": page, "unread_only": unread_only, "unread": selectors.unread_count(actor)},
    )


@login_required
@domain_errors
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The unread count for the top navigation (loaded by htmx, so pages pay nothing for it)."""
    return render(request, "threads/_badge.html", {"unread": selectors.unread_count(actor_of(request))})


@login_required
@domain_errors
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """GET opens the notification (marks it read and goes to the record); POST marks it read."""
    actor = actor_of(request)
    notification = services.notification_read(actor, notification_id=notification_id)
    if request.method == "POST":
        if is_htmx(request):
            return render(request, "threads/_notification.html", {"n": notification})
        return redirect("threads:notifications")
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)


# --- timeline ---------------------------------------------------------------------------------------------


@login_required
@domain_errors
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The partnership's timeline: everything that happened, newest first, 50 at a time, filterable."""
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="threads")
    partnership: Partnership = context["p"]
    everyone = selectors.people(partnership, active_only=False)
    filters = TimelineFilterForm(
        request.GET or None,
        people=[(m.pk, f"{m.user.get_full_name()}{'' if m.is_active else ' †'}") for m in everyone],
    )
    chosen = selectors.TimelineFilter()
    if filters.is_bound and filters.is_valid():
        data = filters.cleaned_data
        chosen = selectors.TimelineFilter(
            kind=data["kind"],
            side=data["side"],
            actor_id=data["actor"],
            since=data["since"],
            until=data["until"],
        )
    events = selectors.timeline(actor, pk, chosen)
    if exported := page_export(request, actor, "timeline", events, partnership_id=pk):
        return exported
    page = offset_page(events, request.GET.get("page"), selectors.TIMELINE_PAGE_SIZE)
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    rows = {"page": page, "query_string": query, "p": partnership}
    if is_htmx(request) and request.GET.get("page"):
        return render(request, "threads/_timeline_rows.html", rows)
    return render(
        request,
        "threads/timeline.html",
        {
            **context,
            **rows,
            "filters": filters,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
        },
    )
