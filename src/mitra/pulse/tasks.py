"""Jobs of the relationship pulse: open each quarter's rounds, and invite the respondents once."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mitra.core.mail import render_message
from mitra.pulse import selectors, services
from mitra.pulse.models import PulseInvitation, PulseRound


@task()
def open_pulse_rounds() -> int:
    """Daily: open the current quarter's round for every active partnership without one. Idempotent."""
    return len(services.pulse_rounds_open_due())


@task()
def send_pulse_invitations(round_id: int) -> int:
    """E-mail everyone who answers this round, each once, in their organisation's language."""
    pulse_round = (
        PulseRound.objects.select_related("partnership__supplier", "partnership__customer")
        .filter(pk=round_id)
        .first()
    )
    if pulse_round is None or not pulse_round.is_open_at(timezone.now()):
        return 0
    PulseInvitation.objects.bulk_create(
        [
            PulseInvitation(round=pulse_round, membership_id=pk)
            for pk in selectors.round_respondents(pulse_round).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    pending = (
        PulseInvitation.objects.filter(round=pulse_round, sent_at__isnull=True)
        .select_related("membership__user", "membership__organisation")
        .order_by("pk")
    )
    link = settings.BASE_URL + reverse("pulse:overview", args=[pulse_round.partnership_id])
    sent = 0
    for invitation in pending:
        # Claim the row first: a second worker running the same job sends nothing twice.
        claimed = PulseInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if not claimed:
            continue
        member = invitation.membership
        # In the recipient's language, and the closing time in their organisation's time zone.
        with timezone.override(member.organisation.time_zone):
            subject, body = render_message(
                "pulse/email/invitation",
                {
                    "round": pulse_round,
                    "partnership": pulse_round.partnership,
                    "member": member,
                    "link": link,
                },
                member.organisation.language,
            )
        send_mail(subject, body, None, [member.user.email])
        sent += 1
    return sent
