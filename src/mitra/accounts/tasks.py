"""Background jobs of the accounts app. They take ids and are idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mitra.accounts.models import Invitation
from mitra.core.mail import render_message


@task()
def send_invitation_email(invitation_id: int) -> bool:
    """E-mail the link of a pending invitation once. Returns whether a message was sent."""
    from mitra.accounts.services import invitation_link_token

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.email_sent_at or invitation.accepted_at or invitation.revoked_at:
        return False
    link = settings.BASE_URL + reverse("accounts:invitation", args=[invitation_link_token(invitation)])
    subject, body = render_message(
        "accounts/email/invitation",
        {"invitation": invitation, "link": link},
        invitation.organisation.language,
    )
    send_mail(subject, body, None, [invitation.email])
    Invitation.objects.filter(pk=invitation.pk, email_sent_at__isnull=True).update(
        email_sent_at=timezone.now()
    )
    return True
