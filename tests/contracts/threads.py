"""The discussions' part of the isolation and API-fuzz tests: threads on a risk, notifications, timeline.

The thread operations take a string path parameter, ``kind``: it is mapped like the ids, to the ``ids``
entry ``thread_kind`` (the string ``"risk"``), which ``str()`` leaves as it is.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

from mitra.threads import services
from mitra.threads.models import Notification
from tests import factories as f

KIND = "risk"

TENANT_PAGES = {
    "threads:timeline": lambda i: {"pk": i["partnership"]},
    "threads:thread": lambda i: {"pk": i["partnership"], "kind": KIND, "object_id": i["thread_object"]},
    "threads:comment_edit": lambda i: {"pk": i["partnership"], "comment_id": i["thread_comment"]},
    "threads:comment_delete": lambda i: {"pk": i["partnership"], "comment_id": i["thread_comment"]},
    "threads:notification_read": lambda i: {"notification_id": i["thread_notification"]},
}
OWN_PAGES = {"threads:notifications", "threads:notification_badge"}
OWN_API_OPERATIONS = {"notification_list", "notification_read_all", "notification_export"}
API_PATH_IDS = {
    "kind": "thread_kind",
    "object_id": "thread_object",
    "comment_id": "thread_comment",
    "notification_id": "thread_notification",
}


def subject(world: Any, title: str = "Banjir di gudang Cikarang") -> Any:
    """A risk in the world's partnership to hang threads on (the model as the risks app has it today)."""
    risk_model = apps.get_model("risks", "Risk")
    return risk_model.objects.create(partnership=world.partnership, title=title, raised_by_side="supplier")


def seed(world: Any) -> dict[str, Any]:
    risk = subject(world)
    comment = services.comment_create(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        kind=KIND,
        object_id=risk.pk,
        body="Stok penyangga perlu dinaikkan sebelum musim hujan.",
        mention_ids=[world.customer_admin.pk],
    )
    notification = Notification.objects.get(comment=comment, recipient=world.customer_admin)
    return {
        "thread_kind": KIND,
        "thread_object": risk.pk,
        "thread_comment": comment.pk,
        "thread_notification": notification.pk,
    }


def api_bodies(ids: dict[str, Any]) -> dict[str, Any]:
    return {
        "comment_create": {"body": "Kami setuju."},
        "comment_update": {"body": "Diubah."},
    }


def fuzz_valid(world: Any, ids: dict[str, Any]) -> dict[str, Any]:
    p = world.partnership.pk
    thread = {"partnership_id": p, "kind": KIND, "object_id": ids["thread_object"]}
    spare = services.comment_create(
        f.actor(world.supplier_admin),
        partnership_id=p,
        kind=KIND,
        object_id=ids["thread_object"],
        body="Komentar cadangan untuk dihapus.",
    )
    reply = services.comment_create(
        f.actor(world.customer_admin),
        partnership_id=p,
        kind=KIND,
        object_id=ids["thread_object"],
        body="Setuju, kami siapkan gudang transit.",
        mention_ids=[world.supplier_admin.pk],
    )
    mine = Notification.objects.get(comment=reply, recipient=world.supplier_admin)
    return {
        "comment_list": {"path": thread},
        "comment_create": {
            "path": thread,
            "body": {"body": "Baik, kita pantau.", "mention_ids": [world.customer_admin.pk]},
        },
        "comment_update": {
            "path": {**thread, "comment_id": ids["thread_comment"]},
            "body": {"body": "Diperbarui."},
        },
        "comment_delete": {"path": {**thread, "comment_id": spare.pk}},
        "notification_list": {"query": {"unread": True}},
        "notification_export": {"query": {"format": "xlsx"}},
        "notification_read": {"path": {"notification_id": mine.pk}},
        "notification_read_all": {},
        "timeline_list": {"path": {"partnership_id": p}, "query": {"kind": KIND}},
        "timeline_export": {"path": {"partnership_id": p}, "query": {"kind": KIND, "format": "csv"}},
    }
