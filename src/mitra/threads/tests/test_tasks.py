"""E-mail notifications: queued after commit, sent once, in the recipient organisation's language."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from tests import factories as f

from mitra.threads import services
from mitra.threads.models import Notification
from mitra.threads.tasks import send_notification_email

from .test_api import _comment


def test_a_mention_is_emailed_after_commit_in_the_recipients_language(
    world, risk, mailoutbox, django_capture_on_commit_callbacks
):
    world.customer.language = "en"
    world.customer.save()
    world.customer_member.organisation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _comment(world, risk, world.supplier_admin, "Tolong siapkan gudang", [world.customer_admin.pk])
    assert mailoutbox == []  # nothing before commit
    for notification in Notification.objects.all():
        send_notification_email.call(notification.pk)
    assert len(callbacks) == 2  # the mentioned admin and the owner (customer member)
    to_admin = next(m for m in mailoutbox if m.to == ["admin@ritel.test"])
    who = world.supplier_admin.user.get_full_name()
    assert to_admin.subject == f"{who} mentioned you on the risk “{risk.title}”"
    assert "Tolong siapkan gudang" in to_admin.body and "#comment-" in to_admin.body
    assert "PT Sumber Rasa Nusantara" in to_admin.body
    assert all(n.emailed_at for n in Notification.objects.all())


def test_emails_are_sent_once(world, risk, mailoutbox):
    _comment(world, risk, world.supplier_admin, "Sekali saja", [world.customer_admin.pk])
    n = Notification.objects.get(recipient=world.customer_admin)
    assert send_notification_email.call(n.pk) is True
    assert send_notification_email.call(n.pk) is False
    assert send_notification_email.call(987654) is False
    assert len([m for m in mailoutbox if m.to == ["admin@ritel.test"]]) == 1


def test_deactivated_members_and_read_notifications_get_no_email(world, risk, mailoutbox):
    _comment(world, risk, world.supplier_admin, "Halo", [world.customer_admin.pk, world.supplier_member.pk])
    world.customer_admin.is_active = False
    world.customer_admin.save()
    gone = Notification.objects.get(recipient=world.customer_admin)
    read = Notification.objects.get(recipient=world.supplier_member)
    services.notification_read(f.actor(world.supplier_member), notification_id=read.pk)
    assert send_notification_email.call(gone.pk) is False
    assert send_notification_email.call(read.pk) is False
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_queued_emails(world, risk, mailoutbox):
    _comment(world, risk, world.customer_admin, "Mohon tindak lanjut", [world.supplier_member.pk])
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    mail = next(m for m in mailoutbox if m.to == ["member@sumber.test"])
    assert "Mohon tindak lanjut" in mail.body
    assert Notification.objects.get(recipient=world.supplier_member).emailed_at is not None
