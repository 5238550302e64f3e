"""Writes on moments of truth: recording and correcting touchpoints, sending and answering surveys.

The acting side always comes from the actor's organisation. A survey goes to one person of the other
side as a one-time link; only the token's hash is stored, and the e-mail job re-derives the link from the
stored salt, so no raw token sits in the job table.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Membership
from mitra.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from mitra.core.history import acting_as, records_actor
from mitra.core.jobs import enqueue_on_commit
from mitra.core.services import (
    check_version,
    derived_secret,
    hash_secret,
    new_salt,
    require_writer,
    validate_and_save,
)
from mitra.core.tenancy import Actor, restrict
from mitra.moments.models import DELIVERY_FIELDS, INVOICE_FIELDS, Kind, SurveyRequest, Touchpoint
from mitra.partnerships.workspace import (
    bridge_of,
    locked_record,
    member_of,
    other_side,
    restriction,
    side_of,
    writable_partnership,
)
from mitra.threads.events import record_event

SURVEY_DAYS = 14
TOKEN_PURPOSE = "srv"
EDITABLE = (
    "kind",
    "bridge_id",
    "occurred_at",
    "outcome",
    "summary",
    "reference",
    *DELIVERY_FIELDS,
    *INVOICE_FIELDS,
)


def _when(occurred_at: dt.datetime | None) -> dt.datetime:
    """When a touchpoint happened: aware, and within reason (this century, at most a year ahead)."""
    if occurred_at is None:
        return timezone.now()
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    earliest = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    if not earliest <= occurred_at <= timezone.now() + dt.timedelta(days=366):
        raise Invalid({"occurred_at": [_("Give a time between the year 2000 and a year from now.")]})
    return occurred_at


def _reference(value: str | None) -> str:
    reference = (value or "").strip()
    if len(reference) > 60:
        raise Invalid({"reference": [_("Keep the document number under 60 characters.")]})
    return reference


def _check_reference(touchpoint: Touchpoint) -> None:
    """A document number is unique per partnership and kind: say so on the field, not as a conflict."""
    if not touchpoint.reference:
        return
    taken = (
        Touchpoint.objects.filter(
            partnership_id=touchpoint.partnership_id,
            kind=touchpoint.kind,
            reference__iexact=touchpoint.reference,
        )
        .exclude(pk=touchpoint.pk)
        .exists()
    )
    if taken:
        raise Invalid(
            {
                "reference": [
                    _("The document number %(reference)s is already used in this partnership (%(kind)s).")
                    % {"kind": Kind(touchpoint.kind).label, "reference": touchpoint.reference}
                ]
            }
        )


def survey_token(survey: SurveyRequest) -> str:
    """The raw token of a survey's link, re-derived from its stored salt and the site's secret key."""
    return derived_secret(TOKEN_PURPOSE, survey.salt)


# --- touchpoints ----------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def touchpoint_create(
    actor: Actor,
    *,
    partnership_id: int,
    kind: str,
    summary: str,
    occurred_at: dt.datetime | None = None,
    outcome: str = "neutral",
    bridge_id: int | None = None,
    promised_date: dt.date | None = None,
    actual_date: dt.date | None = None,
    promised_quantity: Decimal | None = None,
    delivered_quantity: Decimal | None = None,
    reference: str = "",
    amount: Decimal | None = None,
    due_date: dt.date | None = None,
    paid_date: dt.date | None = None,
    paid_amount: Decimal | None = None,
    restricted_department_id: int | None = None,
) -> Touchpoint:
    """Record a moment of truth. A delivery needs its promised and actual dates and quantities; an invoice
    may carry its amount, due date and payment (paid on time follows). ``reference`` is the document number
    (delivery note, invoice…), unique per partnership and kind."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    summary = summary.strip()
    if not summary:
        raise Invalid({"summary": [_("Say in a few words what happened.")]})
    touchpoint = Touchpoint(
        partnership=partnership,
        bridge=bridge_of(actor, partnership, bridge_id),
        kind=kind,
        occurred_at=_when(occurred_at),
        outcome=outcome,
        summary=summary,
        recorded_by_side=side_of(actor, partnership),
        recorded_by=actor.membership,
        promised_date=promised_date,
        actual_date=actual_date,
        promised_quantity=promised_quantity,
        delivered_quantity=delivered_quantity,
        reference=_reference(reference),
        amount=amount,
        due_date=due_date,
        paid_date=paid_date,
        paid_amount=paid_amount,
        restricted_department=restriction(actor, restricted_department_id),
    )
    if touchpoint.kind in Kind.values:
        _check_reference(touchpoint)
    validate_and_save(touchpoint)
    record_event(actor, touchpoint, kind="touchpoint", verb="recorded", title=touchpoint.summary)
    return touchpoint


def _locked_touchpoint(actor: Actor, partnership_id: int, touchpoint_id: int) -> Touchpoint:
    return locked_record(
        actor,
        Touchpoint,
        partnership_id=partnership_id,
        record_id=touchpoint_id,
        missing=_("Moment of truth not found."),
    )


@records_actor
@transaction.atomic
def touchpoint_update(
    actor: Actor, *, partnership_id: int, touchpoint_id: int, version: int | None = None, **changes: Any
) -> Touchpoint:
    """Correct a touchpoint (the side that recorded it only). Pass ``version`` to refuse a stale edit."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    touchpoint = _locked_touchpoint(actor, partnership.pk, touchpoint_id)
    if touchpoint.recorded_by_side != side_of(actor, partnership):
        raise PermissionDenied(_("Only the side that recorded this moment of truth can change it."))
    check_version(touchpoint, version)
    unknown = set(changes) - set(EDITABLE)
    if unknown:  # pragma: no cover - the API and the form only pass editable fields
        raise Invalid({name: [_("This cannot be changed.")] for name in sorted(unknown)})
    if "bridge_id" in changes:
        touchpoint.bridge = bridge_of(actor, partnership, changes.pop("bridge_id"))
    if "summary" in changes:
        changes["summary"] = (changes["summary"] or "").strip()
        if not changes["summary"]:
            raise Invalid({"summary": [_("Say in a few words what happened.")]})
    for name, value in changes.items():
        if name == "occurred_at":
            value = _when(value)
        elif name == "reference":
            value = _reference(value)
        setattr(touchpoint, name, value)
    if touchpoint.kind in Kind.values:
        _check_reference(touchpoint)
    touchpoint.version += 1
    validate_and_save(touchpoint)
    record_event(actor, touchpoint, kind="touchpoint", verb="updated", title=touchpoint.summary)
    return touchpoint


# --- surveys --------------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def survey_create(
    actor: Actor, *, partnership_id: int, touchpoint_id: int, recipient_id: int
) -> SurveyRequest:
    """Send a one-time survey about a touchpoint to a person of the other side, by e-mail after commit."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    # Locked, so that two simultaneous sends to the same person cannot both pass the check below.
    touchpoint = (
        restrict(Touchpoint.objects.all(), actor)
        .select_for_update(of=("self",))
        .filter(pk=touchpoint_id, partnership=partnership)
        .first()
    )
    if touchpoint is None:
        raise Invalid({"touchpoint_id": [_("Choose a moment of truth of this partnership.")]})
    my_side = side_of(actor, partnership)
    their_side = other_side(my_side)
    recipient = member_of(partnership, recipient_id, "recipient_id", side=their_side)
    already = SurveyRequest.objects.filter(
        touchpoint=touchpoint, recipient=recipient, expires_at__gt=timezone.now()
    ).exists()
    if already:
        raise Conflict(_("This person already has a survey about this moment of truth."))
    salt = new_salt()
    survey = SurveyRequest(
        partnership=partnership,
        touchpoint=touchpoint,
        restricted_department_id=touchpoint.restricted_department_id,
        recipient=recipient,
        recipient_side=their_side,
        sent_by=actor.membership,
        sent_by_side=my_side,
        salt=salt,
        token_hash=hash_secret(derived_secret(TOKEN_PURPOSE, salt)),
        expires_at=timezone.now() + dt.timedelta(days=SURVEY_DAYS),
    )
    validate_and_save(survey)
    record_event(
        actor,
        survey,
        kind="survey",
        verb="sent",
        title=touchpoint.summary,
        detail=recipient.user.get_full_name(),
    )
    enqueue_on_commit("mitra.moments.tasks.send_survey_email", survey.pk)
    return survey


def survey_by_token(raw_token: str) -> SurveyRequest | None:
    """The survey behind a link, whatever its state (the page explains a used or expired one); None if none."""
    return (
        SurveyRequest.objects.select_related(
            "touchpoint",
            "partnership__supplier",
            "partnership__customer",
            "recipient__organisation",
            "recipient__user",
        )
        .filter(token_hash=hash_secret(raw_token or ""))
        .first()
    )


class SurveyUsed(Conflict):
    """The survey link was used already."""


class SurveyExpired(Conflict):
    """The survey link expired."""


@transaction.atomic
def survey_answer(*, raw_token: str, csat: int, nps: int, comment: str = "") -> SurveyRequest:
    """Answer a survey through its link, once, before it expires. No sign-in: the link is the credential."""
    survey = (
        SurveyRequest.objects.select_for_update(of=("self",))
        .select_related("partnership", "touchpoint", "recipient__user", "recipient__organisation")
        .filter(token_hash=hash_secret(raw_token or ""))
        .first()
    )
    if survey is None:
        raise NotFound(_("This survey link is not valid."))
    if survey.answered_at is not None:
        raise SurveyUsed(_("This survey was answered already. Each link can be used once."))
    if survey.expires_at <= timezone.now():
        raise SurveyExpired(_("This survey link has expired."))
    errors: dict[str, list[str]] = {}
    if not isinstance(csat, int) or not 1 <= csat <= 5:
        errors["csat"] = [_("Choose a score from 1 to 5.")]
    if not isinstance(nps, int) or not 0 <= nps <= 10:
        errors["nps"] = [_("Choose a score from 0 to 10.")]
    if len(comment) > 2000:
        errors["comment"] = [_("Keep the comment under 2,000 characters.")]
    if errors:
        raise Invalid(errors)
    now = timezone.now()
    # Claim the link with a conditional UPDATE: of two simultaneous answers only one changes the row, even
    # where the row lock above is not honoured (SQLite) or the row was read before the other committed.
    claimed = SurveyRequest.objects.filter(pk=survey.pk, answered_at__isnull=True, expires_at__gt=now).update(
        answered_at=now, csat=csat, nps=nps
    )
    if not claimed:
        raise SurveyUsed(_("This survey was answered already. Each link can be used once."))
    recipient: Membership | None = survey.recipient
    responder = Actor(user=recipient.user, membership=recipient) if recipient is not None else None
    with acting_as(responder.user if responder else None):
        survey.csat, survey.nps, survey.comment = csat, nps, comment.strip()
        survey.answered_at = now
        survey.version += 1
        validate_and_save(survey)
        record_event(
            responder,
            survey,
            kind="survey",
            verb="answered",
            title=survey.touchpoint.summary,
            detail=_("Satisfaction %(csat)s/5, recommend %(nps)s/10") % {"csat": csat, "nps": nps},
        )
    return survey
