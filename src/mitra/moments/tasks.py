"""E-mails about moments of truth. Jobs take ids and are idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_tasks import task

from mitra.core.mail import render_message
from mitra.moments.models import SurveyRequest


@task()
def send_survey_email(survey_id: int) -> bool:
    """E-mail a survey link to its recipient, once, in the recipient organisation's language."""
    from mitra.moments.services import survey_token

    survey = (
        SurveyRequest.objects.select_related(
            "touchpoint",
            "partnership__supplier",
            "partnership__customer",
            "recipient__user",
            "recipient__organisation",
        )
        .filter(pk=survey_id)
        .first()
    )
    if (
        survey is None
        or survey.recipient is None
        or survey.email_sent_at
        or survey.answered_at
        or survey.expires_at <= timezone.now()
    ):
        return False
    recipient = survey.recipient
    organisation = recipient.organisation
    partnership = survey.partnership
    sender_org = partnership.supplier if survey.sent_by_side == "supplier" else partnership.customer
    link = settings.BASE_URL + reverse("moments:survey", args=[survey_token(survey)])
    language = organisation.language
    with translation.override(language), timezone.override(organisation.time_zone):
        context = {
            "recipient_name": recipient.user.get_full_name(),
            "sender_org": sender_org.name,
            "kind": survey.touchpoint.get_kind_display(),
            "when": formats.date_format(timezone.localtime(survey.touchpoint.occurred_at), "DATE_FORMAT"),
            "summary": survey.touchpoint.summary,
            "expires": formats.date_format(timezone.localtime(survey.expires_at), "DATE_FORMAT"),
            "link": link,
        }
    subject, body = render_message("moments/email/survey", context, language)
    # Claim the sending first (conditional UPDATE): two runs of this job at once send one e-mail, not two.
    claimed = SurveyRequest.objects.filter(pk=survey.pk, email_sent_at__isnull=True).update(
        email_sent_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        send_mail(subject, body, None, [recipient.user.email])
    except Exception:
        # Not sent after all: release the claim so that a retry sends it.
        SurveyRequest.objects.filter(pk=survey.pk).update(email_sent_at=None)
        raise
    return True
