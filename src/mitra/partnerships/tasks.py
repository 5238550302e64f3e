"""E-mails about partnerships. Jobs take ids and are idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mitra.accounts.models import Membership, Role
from mitra.core.mail import render_message
from mitra.partnerships.models import PartnerInvitation, Partnership, Status


@task()
def send_partner_invitation_email(invitation_id: int) -> bool:
    """E-mail a partnership proposal to a person at a company not on Mitra yet, once."""
    from mitra.partnerships.services import partner_invitation_token

    invitation = (
        PartnerInvitation.objects.select_related("proposer", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.email_sent_at or invitation.accepted_at or invitation.revoked_at:
        return False
    link = settings.BASE_URL + reverse("partnerships:join", args=[partner_invitation_token(invitation)])
    subject, body = render_message(
        "partnerships/email/partner_invitation",
        {"invitation": invitation, "link": link},
        invitation.proposer.language,
    )
    send_mail(subject, body, None, [invitation.email])
    PartnerInvitation.objects.filter(pk=invitation.pk, email_sent_at__isnull=True).update(
        email_sent_at=timezone.now()
    )
    return True


@task()
def notify_proposal(partnership_id: int) -> int:
    """Tell the receiving organisation's admins about a proposal. Returns how many were told."""
    partnership = (
        Partnership.objects.select_related("supplier", "customer", "proposed_by")
        .filter(pk=partnership_id)
        .first()
    )
    if partnership is None or partnership.status != Status.PROPOSED:
        return 0
    recipient = (
        partnership.customer
        if partnership.proposed_by_id == partnership.supplier_id
        else partnership.supplier
    )
    emails = list(
        Membership.objects.filter(organisation=recipient, role=Role.ADMIN, is_active=True).values_list(
            "user__email", flat=True
        )
    )
    if not emails:
        return 0
    link = settings.BASE_URL + reverse("partnerships:detail", args=[partnership.pk])
    subject, body = render_message(
        "partnerships/email/proposal",
        {"partnership": partnership, "link": link, "recipient": recipient},
        recipient.language,
    )
    send_mail(subject, body, None, emails)
    return len(emails)
