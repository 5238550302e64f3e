"""The demo's discussions: comments from both sides on shared records, mentions, unread notifications."""

from __future__ import annotations

from django.db.models import F, Q

from mitra.demo.services import demo_seed
from mitra.threads.models import Comment, Event, Mention, Notification
from mitra.threads.subjects import subject_model


def test_the_demo_discusses_records_from_both_sides(db):
    summary = demo_seed(size="small")
    assert summary.workflows["comments"] == Comment.objects.count() > 0
    assert set(Comment.objects.values_list("author_side", flat=True)) == {"supplier", "customer"}
    # Authors act for their own side of the record's partnership.
    assert not Comment.objects.filter(
        Q(author_side="supplier") & ~Q(author__organisation_id=F("partnership__supplier_id"))
        | Q(author_side="customer") & ~Q(author__organisation_id=F("partnership__customer_id"))
    ).exists()
    # Every comment hangs on a record of its partnership, and is on the timeline.
    for kind in set(Comment.objects.values_list("kind", flat=True)):
        model = subject_model(kind)
        assert model is not None
        ids = set(Comment.objects.filter(kind=kind).values_list("object_id", flat=True))
        assert model._default_manager.filter(pk__in=ids).count() == len(ids)
    assert Event.objects.filter(verb="commented").count() == Comment.objects.count()
    # Mentions name people of the partnership, each with a notification; some are still unread.
    assert Mention.objects.exists()
    assert not Mention.objects.exclude(
        Q(membership__organisation_id=F("comment__partnership__supplier_id"))
        | Q(membership__organisation_id=F("comment__partnership__customer_id"))
    ).exists()
    assert Notification.objects.count() == Mention.objects.count()
    assert Notification.objects.filter(read_at__isnull=True, recipient__role="admin").exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
