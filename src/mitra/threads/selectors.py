"""Reads of threads, notifications and the timeline, scoped through ``mitra.core.tenancy``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils.translation import gettext as _

from mitra.accounts.models import Department, Membership, Role
from mitra.core.errors import Invalid, NotFound
from mitra.core.tenancy import Actor, restrict, restriction_q
from mitra.partnerships.models import Partnership
from mitra.partnerships.workspace import shared_partnership
from mitra.threads.models import Comment, Event, Mention, Notification
from mitra.threads.subjects import Subject, subject_get

TIMELINE_PAGE_SIZE = 50


# --- threads ----------------------------------------------------------------------------------------------


def thread_subject(
    actor: Actor, partnership_id: int, kind: str, object_id: int
) -> tuple[Partnership, Subject]:
    """The partnership (with a workspace) and the record whose thread is asked for; else not found."""
    partnership = shared_partnership(actor, partnership_id)
    return partnership, subject_get(actor, partnership.pk, kind, object_id)


def comment_list(actor: Actor, partnership_id: int, kind: str, object_id: int) -> QuerySet[Comment]:
    """The comments of one thread, oldest first, with authors and mentions: two queries, however many."""
    mentions = Mention.objects.select_related("membership__user").order_by("pk")
    return (
        restrict(Comment.objects.all(), actor)
        .filter(partnership_id=partnership_id, kind=kind, object_id=object_id)
        .select_related("author__user", "partnership")
        .prefetch_related(Prefetch("mentions", queryset=mentions))
        .order_by("created_at", "id")
    )


def comment_get(actor: Actor, partnership_id: int, comment_id: int) -> Comment:
    comment = (
        restrict(Comment.objects.all(), actor)
        .select_related("author__user", "partnership")
        .prefetch_related(Prefetch("mentions", queryset=Mention.objects.select_related("membership__user")))
        .filter(pk=comment_id, partnership_id=partnership_id)
        .first()
    )
    if comment is None:
        raise NotFound(_("Comment not found."))
    return comment


def people(partnership: Partnership, *, active_only: bool = True) -> QuerySet[Membership]:
    """The people of both sides of the partnership, for the mention picker and the timeline's filter."""
    queryset = Membership.objects.filter(
        organisation_id__in=(partnership.supplier_id, partnership.customer_id)
    ).select_related("user")
    if active_only:
        queryset = queryset.filter(is_active=True, user__is_active=True)
    return queryset.order_by("organisation_id", "user__full_name", "user__email")


def people_who_see(partnership: Partnership, department_id: int | None) -> QuerySet[Membership]:
    """Active people of both sides, each annotated ``sees``: whether they may see a record restricted to
    ``department_id`` (everyone when it is None), in one query."""
    queryset = people(partnership)
    if department_id is None:
        return queryset.annotate(sees=Value(True, output_field=BooleanField()))
    through = Membership.departments.through
    in_department = Exists(through.objects.filter(membership_id=OuterRef("pk"), department_id=department_id))
    restricted_org = Subquery(Department.objects.filter(pk=department_id).values("organisation_id")[:1])
    sees = ~Q(organisation_id=restricted_org) | Q(role=Role.ADMIN) | Q(in_department)
    return queryset.annotate(sees=ExpressionWrapper(sees, output_field=BooleanField()))


# --- notifications ----------------------------------------------------------------------------------------


def _own_notifications(actor: Actor) -> QuerySet[Notification]:
    """The actor's own notifications (of this membership) about what they may still see: a comment on a
    restricted record carries its restriction, so leaving the department hides its notices too."""
    return Notification.objects.filter(recipient_id=actor.membership.pk).filter(
        restriction_q(actor, prefix="comment__")
    )


def notification_list(actor: Actor, *, unread: bool = False) -> QuerySet[Notification]:
    """The actor's own notifications (of this membership), newest first."""
    queryset = _own_notifications(actor).select_related("actor")
    if unread:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def notification_get(actor: Actor, notification_id: int) -> Notification:
    notification = notification_list(actor).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound(_("Notification not found."))
    return notification


def unread_count(actor: Actor) -> int:
    """How many of the actor's notifications are unread: one query."""
    return _own_notifications(actor).filter(read_at__isnull=True).count()


# --- timeline ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineFilter:
    kind: str = ""
    side: str = ""
    actor_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def timeline(actor: Actor, partnership_id: int, filters: TimelineFilter | None = None) -> QuerySet[Event]:
    """The partnership's events the actor may see, newest first, filtered; one query per page."""
    filters = filters or TimelineFilter()
    partnership = shared_partnership(actor, partnership_id)
    queryset = (
        restrict(Event.objects.filter(partnership_id=partnership.pk), actor)
        .select_related("actor_user")
        .order_by("-at", "-id")
    )
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.side:
        queryset = queryset.filter(actor_side=filters.side)
    if filters.actor_id is not None:
        person = (
            people(partnership, active_only=False)
            .filter(pk=filters.actor_id)
            .values_list("user_id", "organisation_id")
            .first()
        )
        if person is None:
            raise Invalid({"actor_id": [_("Choose a person of this partnership.")]})
        queryset = queryset.filter(actor_user_id=person[0], actor_side=partnership.side_of(person[1]))
    if filters.since:
        queryset = queryset.filter(at__date__gte=filters.since)
    if filters.until:
        queryset = queryset.filter(at__date__lte=filters.until)
    return queryset
