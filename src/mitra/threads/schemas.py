"""Input and output shapes of the discussions API: comments, notifications and the timeline."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from mitra.core.api import Id, Storable, actor_of
from mitra.partnerships.models import Side
from mitra.threads.events import KIND_LABELS, VERB_LABELS
from mitra.threads.models import Comment, Event, Notification
from mitra.threads.subjects import SUBJECTS

# Length is checked by the service (1–4000 characters after trimming), so the error names the field ``body``
# (the API's error shape drops the word "body" from pydantic's locations).
Body = Annotated[str, Field(description="1–4000 characters"), Storable]

ThreadKind = enum.StrEnum("ThreadKind", {kind.upper(): kind for kind in SUBJECTS})  # type: ignore[misc]
TimelineKind = enum.StrEnum("TimelineKind", {kind.upper(): kind for kind in KIND_LABELS})  # type: ignore[misc]


class ThreadPersonOut(Schema):
    """A person of the partnership (a membership of one side)."""

    id: int
    name: str
    side: Side | None


def _person(membership: Any, partnership: Any) -> dict[str, Any] | None:
    if membership is None:
        return None
    return {
        "id": membership.pk,
        "name": membership.user.get_full_name(),
        "side": partnership.side_of(membership.organisation_id),
    }


class CommentOut(Schema):
    id: int
    kind: str
    object_id: int
    body: str
    author: ThreadPersonOut | None
    author_side: Side
    mine: bool = Field(description="Written by you: you may edit or delete it")
    mentions: list[ThreadPersonOut]
    created_at: dt.datetime
    edited_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_author(obj: Comment) -> Any:
        return _person(obj.author, obj.partnership)

    @staticmethod
    def resolve_mine(obj: Comment, context: Any) -> bool:
        return obj.author_id == actor_of(context["request"]).membership.pk

    @staticmethod
    def resolve_mentions(obj: Comment) -> list[Any]:
        return [_person(m.membership, obj.partnership) for m in obj.mentions.all()]


class CommentIn(Schema):
    body: Body
    mention_ids: list[Id] = Field(
        default=[], max_length=50, description="Memberships of either side to mention"
    )


class CommentPatch(Schema):
    body: Body
    mention_ids: list[Id] | None = Field(
        default=None, max_length=50, description="Replaces the people picked; leave out to keep them"
    )
    version: Id | None = Field(default=None, description="The version you edited: 409 if it changed since")


class NotificationOut(Schema):
    id: int
    partnership_id: int
    kind: str
    object_id: int
    comment_id: int | None
    verb: str
    title: str
    url: str
    actor_name: str | None
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_actor_name(obj: Notification) -> str | None:
        return obj.actor.get_full_name() if obj.actor else None


class NotificationsReadOut(Schema):
    marked_read: int


class TimelineEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    object_id: int
    verb: str
    verb_label: str
    title: str
    detail: str
    url: str
    actor_name: str | None
    actor_side: str
    at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj: Event) -> str:
        return str(KIND_LABELS.get(obj.kind, obj.kind))

    @staticmethod
    def resolve_verb_label(obj: Event) -> str:
        return str(VERB_LABELS.get(obj.verb, obj.verb))

    @staticmethod
    def resolve_actor_name(obj: Event) -> str | None:
        return obj.actor_user.get_full_name() if obj.actor_user else None
