"""E-mails about discussions. Jobs take ids and are idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from mitra.core.mail import render_message
from mitra.threads.events import KIND_LABELS
from mitra.threads.models import Notification


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification to its recipient, once, in their organisation's language.

    Skipped when it was already e-mailed or read, or when the recipient is no longer an active member.
    """
    notification = (
        Notification.objects.select_related(
            "recipient__user",
            "recipient__organisation",
            "partnership__supplier",
            "partnership__customer",
            "actor",
            "comment",
        )
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at or notification.read_at:
        return False
    recipient = notification.recipient
    if not recipient.is_active or not recipient.user.is_active:
        return False
    organisation = recipient.organisation
    partner = notification.partnership.partner_of(organisation.pk)
    subject, body = render_message(
        "threads/email/notification",
        {
            "notification": notification,
            "who": notification.actor.get_full_name() if notification.actor else "Mitra",
            "kind_label": KIND_LABELS.get(notification.kind, notification.kind),
            "partner": partner,
            "comment": notification.comment,
            "link": settings.BASE_URL + notification.url,
        },
        organisation.language,
    )
    send_mail(subject, body, None, [recipient.user.email])
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True
