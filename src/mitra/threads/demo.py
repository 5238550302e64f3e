"""Discussions for the demo: comments from both sides on a share of the records the other apps wrote,
some mentioning people (with their notifications), and a few unread notifications for every admin.

Runs last, over ``ctx.shared`` (commitments, cases, value, initiatives, risks… whatever exists).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from simple_history.utils import bulk_create_with_history

from mitra.accounts.models import Membership
from mitra.demo.context import DemoContext
from mitra.partnerships.models import Partnership, Side
from mitra.threads.models import Comment, Event, Mention, Notification, NotificationVerb
from mitra.threads.services import excerpt
from mitra.threads.subjects import Subject

# ctx.shared name -> thread kind
SHARED_KINDS = {
    "commitments": "commitment",
    "cases": "case",
    "options": "option",
    "value": "value",
    "initiatives": "initiative",
    "risks": "risk",
    "touchpoints": "touchpoint",
    "plans": "plan",
}
# Share of records that get a discussion, by demo size (the large world stays quick to seed).
SHARE = {"small": 0.45, "medium": 0.3, "large": 0.05}

OPENERS = [
    "Terima kasih atas update-nya. Kami cek dengan tim gudang hari ini.",
    "Can we align on the numbers before the weekly call?",
    "Mohon dikonfirmasi tanggal pengirimannya, supaya kami bisa atur slot bongkar.",
    "Data POS minggu lalu sudah kami kirim lewat email, mohon dicek.",
    "We agree with the proposal, but need the volume split per DC.",
    "Sudah kami diskusikan dengan tim finance; prinsipnya setuju.",
    "Ada kendala di jalur Cikampek, truk tertahan sekitar 6 jam.",
    "Good progress. Let's review the KPI at the next monthly meeting.",
    "Apakah ada data pendukung untuk angka penghematannya?",
    "Tim QC kami menemukan 2 palet dengan label kedaluwarsa tidak terbaca.",
    "Noted. We will share the revised forecast by Friday.",
    "Setuju, kita jadikan agenda di rapat review bulan depan.",
    "Bisa dibantu foto bukti serah terima barangnya?",
    "Thanks — this is exactly the kind of early warning we need.",
    "Kami usulkan uji coba dulu di 5 toko sebelum diperluas.",
]
MENTION_LINES = [
    "@{name} mohon bantuannya untuk follow up ya.",
    "@{name} could you confirm this from your side?",
    "@{name} tolong dicek angkanya sebelum Jumat.",
    "@{name} FYI, perlu keputusan minggu ini.",
]


def _when(ctx: DemoContext, obj: Any, partnership: Partnership) -> dt.datetime:
    """When the record's discussion can start: its creation if older than a day, else the partnership's start."""
    created = getattr(obj, "created_at", None)
    if isinstance(created, dt.datetime) and created < ctx.now - dt.timedelta(days=1):
        return created
    start = ctx.start_of(partnership)
    return ctx.now - dt.timedelta(days=(ctx.today - start).days)


def _writers(ctx: DemoContext, organisation_id: int) -> list[Membership]:
    return [m for m in ctx.people.get(organisation_id, []) if m.role != "viewer"]


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    share = SHARE.get(ctx.size, 0.2)
    partnerships = {p.pk: p for p in ctx.partnerships}
    comments: list[Comment] = []
    # Per comment (same index): who it mentions, and what the timeline/notification need.
    mentioned: list[Membership | None] = []
    subjects: list[Subject] = []
    recent: dict[int, Subject] = {}

    for name, kind in SHARED_KINDS.items():
        for obj in ctx.shared.get(name, []):
            partnership = partnerships.get(getattr(obj, "partnership_id", None) or 0)
            if partnership is None:
                continue
            subject = Subject(kind, obj, partnership.pk, getattr(obj, "restricted_department_id", None))
            recent.setdefault(partnership.pk, subject)
            if rng.random() >= share:
                continue
            upto = ctx.until(partnership)  # a lost partnership's history stops at its loss
            start = _when(upto, obj, partnership)
            span = max(int((upto.now - start).total_seconds()), 3600)
            at = start + dt.timedelta(seconds=rng.randrange(span // 3 + 1))
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
                side = rng.choice((Side.SUPPLIER, Side.CUSTOMER))
                org = partnership.supplier_id if side == Side.SUPPLIER else partnership.customer_id
                other = partnership.customer_id if side == Side.SUPPLIER else partnership.supplier_id
                authors, others = _writers(ctx, org), ctx.people.get(other, [])
                if not authors or subject.restricted_department_id:
                    continue  # keep restricted records' threads out of the demo: their readers vary
                author = rng.choice(authors)
                target = rng.choice(others) if others and rng.random() < 0.3 else None
                body = rng.choice(OPENERS)
                if target is not None:
                    body = f"{rng.choice(MENTION_LINES).format(name=target.user.full_name)} {body}"
                at = min(at + dt.timedelta(hours=rng.randint(2, 24 * 9)), upto.now - dt.timedelta(minutes=5))
                comments.append(_comment(subject, partnership, author, side, body, at))
                mentioned.append(target)
                subjects.append(subject)

    # A few fresh mentions of every admin, so each demo login finds unread notifications.
    for partnership_id, subject in recent.items():
        if subject.restricted_department_id:
            continue
        partnership = partnerships[partnership_id]
        for side, org, other in (
            (Side.SUPPLIER, partnership.supplier_id, partnership.customer_id),
            (Side.CUSTOMER, partnership.customer_id, partnership.supplier_id),
        ):
            authors = _writers(ctx, org)
            admins = [m for m in ctx.people.get(other, []) if m.role == "admin"]
            if not authors or not admins or rng.random() < 0.4:
                continue
            target, author = admins[0], rng.choice(authors)
            body = f"{rng.choice(MENTION_LINES).format(name=target.user.full_name)} {rng.choice(OPENERS)}"
            at = ctx.end_at(partnership) - dt.timedelta(hours=rng.randint(2, 24 * 9))
            comments.append(_comment(subject, partnership, author, side, body, at))
            mentioned.append(target)
            subjects.append(subject)

    bulk_create_with_history(comments, Comment, batch_size=500)
    mentions: list[Mention] = []
    notifications: list[Notification] = []
    for comment, target, subject in zip(comments, mentioned, subjects, strict=True):
        url = f"{subject.url}#comment-{comment.pk}"
        ctx.events.append(
            Event(
                partnership_id=comment.partnership_id,
                restricted_department_id=comment.restricted_department_id,
                kind=subject.kind,
                object_id=subject.pk,
                verb="commented",
                title=subject.title,
                detail=excerpt(comment.body),
                url=url,
                actor_user=comment.author.user if comment.author else None,
                actor_side=comment.author_side,
                at=comment.created_at,
            )
        )
        if target is None:
            continue
        mentions.append(Mention(comment=comment, membership=target))
        old = comment.created_at < ctx.now - dt.timedelta(days=10)
        end = ctx.end_at(partnerships[comment.partnership_id])
        read = min(comment.created_at + dt.timedelta(hours=rng.randint(1, 72)), end) if old else None
        notifications.append(
            Notification(
                recipient=target,
                partnership_id=comment.partnership_id,
                comment=comment,
                kind=subject.kind,
                object_id=subject.pk,
                verb=NotificationVerb.MENTIONED,
                title=subject.title,
                url=url,
                actor=comment.author.user if comment.author else None,
                created_at=comment.created_at,
                read_at=read,
                # Demo mail is never sent: mark it as done so no job picks it up.
                emailed_at=comment.created_at,
            )
        )
    Mention.objects.bulk_create(mentions, batch_size=500)
    Notification.objects.bulk_create(notifications, batch_size=500)
    return {"comments": len(comments), "mentions": len(mentions), "notifications": len(notifications)}


def _comment(
    subject: Subject, partnership: Partnership, author: Membership, side: str, body: str, at: dt.datetime
) -> Comment:
    return Comment(
        partnership_id=partnership.pk,
        restricted_department_id=subject.restricted_department_id,
        kind=subject.kind,
        object_id=subject.pk,
        body=body,
        author=author,
        author_side=side,
        created_at=at,
    )
