"""E-mails about discussions. Jobs take ids and are idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from mitra.core.mail import render_message
from mitra.threads.events import KIND_LABELS
from mitra.threads.models import Notification
from mitra.threads.selectors import people_who_see


def _still_sees(notification: Notification, department_id: int) -> bool:
    person = (
        people_who_see(notification.partnership, department_id).filter(pk=notification.recipient_id).first()
    )
    return bool(person and person.sees)  # type: ignore[attr-defined]


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification to its recipient, once, in their organisation's language.

    Skipped when it was already e-mailed or read, when the recipient is no longer an active member, or when
    they can no longer see the (restricted) record.
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
    department_id = notification.comment.restricted_department_id if notification.comment else None
    if department_id is not None and not _still_sees(notification, department_id):
        return False  # left the record's department since: the e-mail would show its title
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
    # Claim it first, so a second run of the same job (a retry, a second worker) sends nothing; a failed
    # send gives the claim back for the retry.
    claim = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True)
    if not claim.update(emailed_at=timezone.now()):
        return False
    try:
        send_mail(subject, body, None, [recipient.user.email])
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return True
