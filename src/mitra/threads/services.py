"""Writes on discussion threads and notifications.

A comment hangs on a workflow record (``kind`` ``object_id``) and copies its restriction. Writers of either
side comment; each may edit or delete only their own comments. A comment notifies the people it mentions and
the record's owners and earlier commenters (never its author), in the app and by e-mail after commit; and it
goes on the timeline as the record's event ``commented``, so filtering the timeline by kind shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Membership
from mitra.core.errors import Invalid, NotFound, PermissionDenied
from mitra.core.history import records_actor
from mitra.core.jobs import enqueue_on_commit
from mitra.core.services import check_version, require_writer, validate_and_save
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import Partnership
from mitra.partnerships.workspace import side_of, writable_partnership
from mitra.threads.events import record_event
from mitra.threads.models import Comment, Event, Mention, Notification, NotificationVerb
from mitra.threads.selectors import notification_get, notification_list, people_who_see
from mitra.threads.subjects import Subject, subject_get

MAX_BODY = 4000
EXCERPT = 140


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise Invalid({"body": [_("Write something.")]})
    if len(body) > MAX_BODY:
        raise Invalid({"body": [_("A comment has at most %(max)s characters.") % {"max": MAX_BODY}]})
    return body


def excerpt(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


@dataclass
class _People:
    """The active people of the partnership, and which of them may see the record."""

    by_id: dict[int, Membership]

    @classmethod
    def of(cls, partnership: Partnership, subject: Subject) -> _People:
        return cls({m.pk: m for m in people_who_see(partnership, subject.restricted_department_id)})

    def sees(self, membership_id: int) -> bool:
        member = self.by_id.get(membership_id)
        return bool(member and member.sees)  # type: ignore[attr-defined]


_WORD = re.compile(r"\w")


def mentioned_in_text(body: str, candidates: Iterable[Membership]) -> set[int]:
    """The people named ``@Full Name`` in ``body`` (case-insensitive, longest names first, whole words)."""
    text = body.casefold()
    found: set[int] = set()
    named = [(m.user.full_name.strip().casefold(), m) for m in candidates if m.user.full_name.strip()]
    for name, member in sorted(named, key=lambda pair: -len(pair[0])):
        needle = "@" + name
        start = text.find(needle)
        while start != -1:
            end = start + len(needle)
            if end == len(text) or not _WORD.match(text[end]):
                found.add(member.pk)
                # Blank it out, so "@Budi" does not also match inside "@Budi Santoso".
                text = text[:start] + " " * len(needle) + text[end:]
            start = text.find(needle, start + 1)
    return found


def _mentions(people: _People, body: str, mention_ids: Iterable[int] | None) -> set[int]:
    """Who the comment mentions: picked ids (each must be an active person of the partnership who can see
    the record, else ``Invalid`` naming ``mention_ids``) and ``@Full Name``s of people who can."""
    picked = set(mention_ids or ())
    strangers = sorted(i for i in picked if i not in people.by_id)
    if strangers:
        raise Invalid({"mention_ids": [_("Mention only active people of this partnership.")]})
    blind = [people.by_id[i] for i in sorted(picked) if not people.sees(i)]
    if blind:
        raise Invalid(
            {"mention_ids": [_("%(name)s cannot see this record.") % {"name": blind[0].user.get_full_name()}]}
        )
    visible = [m for m in people.by_id.values() if people.sees(m.pk)]
    return picked | mentioned_in_text(body, visible)


def _notify(
    actor: Actor,
    partnership: Partnership,
    subject: Subject,
    comment: Comment,
    people: _People,
    *,
    mentioned: set[int],
    others: set[int],
) -> list[Notification]:
    """Tell the mentioned people (``mentioned``) and ``others`` (owners, earlier commenters) about the
    comment, never its author nor anyone who cannot see the record; then e-mail each after commit."""
    author = actor.membership.pk
    verbs: dict[int, str] = {}
    for membership_id in others:
        verbs[membership_id] = NotificationVerb.COMMENTED
    for membership_id in mentioned:
        verbs[membership_id] = NotificationVerb.MENTIONED
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=membership_id,
                partnership=partnership,
                comment=comment,
                kind=subject.kind,
                object_id=subject.pk,
                verb=verb,
                title=subject.title,
                url=f"{subject.url}#comment-{comment.pk}",
                actor=actor.user,
            )
            for membership_id, verb in sorted(verbs.items())
            if membership_id != author
            and people.sees(membership_id)
            # nor the author's own membership of the other side (one person working for both companies)
            and people.by_id[membership_id].user_id != actor.user.pk
        ]
    )
    for notification in notifications:
        enqueue_on_commit("mitra.threads.tasks.send_notification_email", notification.pk)
    return notifications


def _event_subject(subject: Subject, partnership: Partnership) -> Any:
    """What ``record_event`` needs of the record, also for records reaching the partnership through a parent."""
    return SimpleNamespace(
        pk=subject.pk,
        partnership=partnership,
        restricted_department_id=subject.restricted_department_id,
    )


def _comment_url(subject: Subject, comment: Comment) -> str:
    return f"{subject.url}#comment-{comment.pk}"


def _comment_events(partnership: Partnership, comment: Comment) -> Any:
    """The timeline event of ``comment``: matched by its anchor, so a record whose page moved still finds it."""
    return Event.objects.filter(
        partnership=partnership,
        kind=comment.kind,
        object_id=comment.object_id,
        verb="commented",
        url__endswith=f"#comment-{comment.pk}",
    )


@records_actor
@transaction.atomic
def comment_create(
    actor: Actor,
    *,
    partnership_id: int,
    kind: str,
    object_id: int,
    body: str,
    mention_ids: Iterable[int] | None = None,
) -> Comment:
    """Add a comment to the thread of ``kind`` ``object_id``, as the actor's side."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    subject = subject_get(actor, partnership.pk, kind, object_id)
    body = _clean_body(body)
    people = _People.of(partnership, subject)
    mentioned = _mentions(people, body, mention_ids)
    comment = validate_and_save(
        Comment(
            partnership=partnership,
            restricted_department_id=subject.restricted_department_id,
            kind=kind,
            object_id=subject.pk,
            body=body,
            author=actor.membership,
            author_side=side_of(actor, partnership),
        )
    )
    Mention.objects.bulk_create([Mention(comment=comment, membership_id=m) for m in sorted(mentioned)])
    earlier = set(
        Comment.objects.filter(partnership=partnership, kind=kind, object_id=subject.pk, author__isnull=False)
        .exclude(pk=comment.pk)
        .values_list("author_id", flat=True)
    )
    _notify(
        actor,
        partnership,
        subject,
        comment,
        people,
        mentioned=mentioned,
        others=set(subject.owner_ids) | earlier,
    )
    record_event(
        actor,
        _event_subject(subject, partnership),
        kind=kind,
        verb="commented",
        title=subject.title,
        detail=excerpt(body),
        url=_comment_url(subject, comment),
    )
    return comment


def _own_comment(
    actor: Actor, partnership: Partnership, comment_id: int, thread: tuple[str, int] | None
) -> tuple[Comment, Subject]:
    """The comment, locked, if the actor may see it (and it is in ``thread``, when given) and wrote it."""
    comment = (
        restrict(Comment.objects.all(), actor)
        .select_for_update(of=("self",))
        .filter(pk=comment_id, partnership=partnership)
        .first()
    )
    if comment is None or (thread is not None and thread != (comment.kind, comment.object_id)):
        raise NotFound(_("Comment not found."))
    subject = subject_get(actor, partnership.pk, comment.kind, comment.object_id)
    if comment.author_id != actor.membership.pk:
        raise PermissionDenied(_("You can only change your own comments."))
    return comment, subject


@records_actor
@transaction.atomic
def comment_update(
    actor: Actor,
    *,
    partnership_id: int,
    comment_id: int,
    body: str,
    mention_ids: Iterable[int] | None = None,
    version: int | None = None,
    thread: tuple[str, int] | None = None,
) -> Comment:
    """Edit one's own comment. People newly mentioned are told; those no longer mentioned are dropped."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    comment, subject = _own_comment(actor, partnership, comment_id, thread)
    check_version(comment, version)
    body = _clean_body(body)
    people = _People.of(partnership, subject)
    previous = set(Mention.objects.filter(comment=comment).values_list("membership_id", flat=True))
    if mention_ids is None:  # not sent: keep the picked ones that are still in the partnership
        mention_ids = [m for m in previous if people.sees(m)]
    mentioned = _mentions(people, body, mention_ids)
    comment.body = body
    comment.edited_at = timezone.now()
    comment.version += 1
    validate_and_save(comment)
    Mention.objects.filter(comment=comment).exclude(membership_id__in=mentioned).delete()
    Mention.objects.bulk_create(
        [Mention(comment=comment, membership_id=m) for m in sorted(mentioned - previous)]
    )
    _notify(actor, partnership, subject, comment, people, mentioned=mentioned - previous, others=set())
    _comment_events(partnership, comment).update(detail=excerpt(body))
    return comment


@records_actor
@transaction.atomic
def comment_delete(
    actor: Actor, *, partnership_id: int, comment_id: int, thread: tuple[str, int] | None = None
) -> None:
    """Delete one's own comment; it leaves the timeline too (its history row stays)."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    comment, _subject = _own_comment(actor, partnership, comment_id, thread)
    _comment_events(partnership, comment).delete()
    comment.delete()


# --- notifications ----------------------------------------------------------------------------------------


@transaction.atomic
def notification_read(actor: Actor, *, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (reading twice keeps the first time)."""
    notification = notification_get(actor, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_read_all(actor: Actor) -> int:
    """Mark all the actor's unread notifications read. Returns how many were unread."""
    return Notification.objects.filter(pk__in=notification_list(actor, unread=True).values("pk")).update(
        read_at=timezone.now()
    )
