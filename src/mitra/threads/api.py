"""The discussions API: threads of comments on workflow records, your notifications, the timeline.

Thin on purpose: reads go through ``selectors`` (scoped to the caller), writes through ``services``.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from mitra.core.api import Id, Page, actor_of, errors
from mitra.partnerships.models import Side
from mitra.threads import selectors, services
from mitra.threads.models import Comment, Notification
from mitra.threads.schemas import (
    CommentIn,
    CommentOut,
    CommentPatch,
    NotificationOut,
    NotificationsReadOut,
    ThreadKind,
    TimelineEventOut,
    TimelineKind,
)
from mitra.transfer.listexport import API_EXPORT_DOC, EXPORT_FORMAT, ExportFormat, export_response

router = Router(tags=["threads"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)
OWN = errors(401, 422)

THREAD = "/partnerships/{partnership_id}/threads/{kind}/{object_id}/comments"


# --- comments ---------------------------------------------------------------------------------------------


@router.get(THREAD, response={200: list[CommentOut], **READ}, operation_id="comment_list")
@paginate(Page)
def comment_list(request: HttpRequest, partnership_id: Id, kind: ThreadKind, object_id: Id) -> Any:
    """The discussion of one record (``kind``: commitment, case, option, value, initiative, risk…), oldest
    first. Both sides see it; a restricted record's thread is restricted alike."""
    actor = actor_of(request)
    _partnership, subject = selectors.thread_subject(actor, partnership_id, kind.value, object_id)
    return selectors.comment_list(actor, partnership_id, kind.value, subject.pk)


@router.post(THREAD, response={201: CommentOut, **WRITE}, operation_id="comment_create")
def comment_create(
    request: HttpRequest, partnership_id: Id, kind: ThreadKind, object_id: Id, payload: CommentIn
) -> Status:
    """Comment as your side (writers of either side). ``mention_ids`` names people of the partnership to
    notify; ``@Full Name`` in the text mentions them too. Owners and earlier commenters are notified."""
    actor = actor_of(request)
    comment = services.comment_create(
        actor,
        partnership_id=partnership_id,
        kind=kind.value,
        object_id=object_id,
        body=payload.body,
        mention_ids=payload.mention_ids,
    )
    return Status(201, selectors.comment_get(actor, partnership_id, comment.pk))


@router.patch(THREAD + "/{comment_id}", response={200: CommentOut, **WRITE}, operation_id="comment_update")
def comment_update(
    request: HttpRequest,
    partnership_id: Id,
    kind: ThreadKind,
    object_id: Id,
    comment_id: Id,
    payload: CommentPatch,
) -> Comment:
    """Edit your own comment (403 for anyone else's)."""
    actor = actor_of(request)
    services.comment_update(
        actor,
        partnership_id=partnership_id,
        comment_id=comment_id,
        thread=(kind.value, object_id),
        **payload.model_dump(),
    )
    return selectors.comment_get(actor, partnership_id, comment_id)


@router.delete(THREAD + "/{comment_id}", response={204: None, **WRITE}, operation_id="comment_delete")
def comment_delete(
    request: HttpRequest, partnership_id: Id, kind: ThreadKind, object_id: Id, comment_id: Id
) -> Status:
    """Delete your own comment (403 for anyone else's). It leaves the timeline too."""
    services.comment_delete(
        actor_of(request),
        partnership_id=partnership_id,
        comment_id=comment_id,
        thread=(kind.value, object_id),
    )
    return Status(204, None)


# --- notifications ----------------------------------------------------------------------------------------


@router.get("/notifications", response={200: list[NotificationOut], **OWN}, operation_id="notification_list")
@paginate(Page)
def notification_list(request: HttpRequest, unread: bool = False) -> Any:
    """Your own notifications (of the organisation you act for), newest first."""
    return selectors.notification_list(actor_of(request), unread=unread)


@router.get(
    "/notifications/export", response=OWN, operation_id="notification_export", openapi_extra=API_EXPORT_DOC
)
def notification_export(
    request: HttpRequest, unread: bool = False, fmt: ExportFormat = EXPORT_FORMAT
) -> HttpResponse:
    """Your notifications as a CSV or XLSX file, newest first."""
    actor = actor_of(request)
    return export_response(actor, "notifications", selectors.notification_list(actor, unread=unread), fmt)


@router.post(
    "/notifications/read-all",
    response={200: NotificationsReadOut, **OWN},
    operation_id="notification_read_all",
)
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    """Mark all your notifications read."""
    return {"marked_read": services.notification_read_all(actor_of(request))}


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **READ},
    operation_id="notification_read",
)
def notification_read(request: HttpRequest, notification_id: Id) -> Notification:
    """Mark one of your notifications read."""
    return services.notification_read(actor_of(request), notification_id=notification_id)


# --- timeline ---------------------------------------------------------------------------------------------


class TimelineQuery(Schema):
    kind: TimelineKind | None = None
    side: Side | None = None
    actor_id: Id | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@router.get(
    "/partnerships/{partnership_id}/timeline",
    response={200: list[TimelineEventOut], **READ},
    operation_id="timeline_list",
)
@paginate(Page)
def timeline_list(request: HttpRequest, partnership_id: Id, filters: Query[TimelineQuery]) -> Any:
    """Everything that happened in the partnership's workspace, newest first. Filter by record ``kind``,
    acting ``side``, ``actor_id`` (a membership of either side) and a date range (``since``, ``until``)."""
    return selectors.timeline(
        actor_of(request),
        partnership_id,
        selectors.TimelineFilter(
            kind=filters.kind.value if filters.kind else "",
            side=filters.side.value if filters.side else "",
            actor_id=filters.actor_id,
            since=filters.since,
            until=filters.until,
        ),
    )


@router.get(
    "/partnerships/{partnership_id}/timeline/export",
    response=READ,
    operation_id="timeline_export",
    openapi_extra=API_EXPORT_DOC,
)
def timeline_export(
    request: HttpRequest, partnership_id: Id, filters: Query[TimelineQuery], fmt: ExportFormat = EXPORT_FORMAT
) -> HttpResponse:
    """The timeline as a CSV or XLSX file, every event under the same filters as the list."""
    actor = actor_of(request)
    events = selectors.timeline(
        actor,
        partnership_id,
        selectors.TimelineFilter(
            kind=filters.kind.value if filters.kind else "",
            side=filters.side.value if filters.side else "",
            actor_id=filters.actor_id,
            since=filters.since,
            until=filters.until,
        ),
    )
    return export_response(actor, "timeline", events, fmt, partnership_id=partnership_id)
