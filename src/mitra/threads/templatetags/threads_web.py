"""Template tags of the discussion threads: ``{% thread_panel "<kind>" obj %}`` on a record's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership, Status
from mitra.threads import selectors
from mitra.threads.events import KIND_LABELS, VERB_LABELS
from mitra.threads.forms import CommentForm, people_choices
from mitra.threads.subjects import Subject, subject_of

register = template.Library()


def panel_context(
    actor: Actor,
    partnership: Partnership,
    subject: Subject,
    *,
    writable: bool,
    form: CommentForm | None = None,
) -> dict[str, Any]:
    """What ``threads/_panel.html`` shows: the comments (two queries) and the people to mention (one)."""
    comments = list(selectors.comment_list(actor, partnership.pk, subject.kind, subject.pk))
    people = list(selectors.people(partnership))
    if form is None:
        form = CommentForm(choices=people_choices(partnership, people))
    return {
        "p": partnership,
        "actor": actor,
        "subject": subject,
        "kind_label": KIND_LABELS.get(subject.kind, subject.kind),
        "comments": comments,
        "form": form,
        "writable": writable,
        "thread_url": subject.thread_url,
    }


@register.simple_tag(takes_context=True)
def thread_panel(context: Any, kind: str, subject: Any) -> str:
    """The discussion thread of one record (``kind`` as in ``mitra.threads.events.KIND_LABELS``), with a
    reply form for writers. At most three queries on a workspace page (which already has ``p``)."""
    actor = context.get("actor")
    if actor is None or subject is None:
        return ""
    thread = subject_of(kind, subject)
    partnership = context.get("p")
    if not isinstance(partnership, Partnership) or partnership.pk != thread.partnership_id:
        from mitra.partnerships.workspace import shared_partnership

        partnership = shared_partnership(actor, thread.partnership_id)
    writable = context.get("writable")
    if writable is None:
        writable = actor.can_write and partnership.status in (Status.ACTIVE, Status.PAUSED)
    request = context.get("request")
    html = render_to_string(
        "threads/_panel.html",
        panel_context(actor, partnership, thread, writable=bool(writable)),
        request=request,
    )
    return SafeString(html)


@register.filter
def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def verb_label(verb: str) -> str:
    return str(VERB_LABELS.get(verb, verb))
