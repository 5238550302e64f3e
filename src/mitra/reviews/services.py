"""Making the review document: one call for the page, the API, the command and the scheduled job.

``review_document`` only reads: the review is built from the partnership's records each time. The daily
job (``prepare_upcoming_reviews``) stores a PDF of the last complete quarter for each organisation of a
partnership whose charter review date is near (``PreparedReview``), keeping the newest few.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.utils import timezone

from mitra.accounts.models import Membership, Role
from mitra.core.history import records_actor
from mitra.core.tenancy import Actor
from mitra.reviews import selectors
from mitra.reviews.builder import Quarter, build_review, quarter_of
from mitra.reviews.models import KEEP_PER_ORGANISATION, PreparedReview
from mitra.reviews.render import check_format, check_language, filename, render_html, render_pdf

log = logging.getLogger(__name__)

CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Document:
    content: bytes
    content_type: str
    filename: str


def review_document(
    actor: Actor, *, partnership_id: int, quarter: str | None, lang: str | None, fmt: str | None
) -> Document:
    """The review of ``quarter`` ("2026Q3"; empty: the current one) as ``fmt`` (pdf or html) in ``lang``
    (en or id). ``Invalid`` names the field at fault (quarter, lang, format); ``NotFound`` for a stranger
    to the partnership."""
    review = build_review(actor, partnership_id, quarter or "")  # a stranger gets NotFound first
    fmt = check_format(fmt)
    lang = check_language(lang)
    content = render_pdf(review, lang) if fmt == "pdf" else render_html(review, lang).encode()
    return Document(content=content, content_type=CONTENT_TYPES[fmt], filename=filename(review, lang, fmt))


# --- prepared reviews --------------------------------------------------------------------------------------


def organisation_reader(actor: Actor) -> Actor:
    """The actor as a member of its organisation without a department and without admin rights: what every
    member of the organisation may see. A prepared copy is built this way so that records a department
    restricted never reach the organisation's other members."""
    membership = Membership(
        pk=actor.membership.pk,
        user=actor.user,
        organisation=actor.organisation,
        role=Role.MEMBER,
        is_active=True,
    )
    return replace(actor, membership=membership, department_ids=frozenset())


@records_actor
@transaction.atomic
def prepared_review_create(
    actor: Actor, *, partnership_id: int, quarter: Quarter | str, review_date: dt.date
) -> PreparedReview:
    """Prepare the review of ``quarter`` for the actor's organisation, in its language, for the charter
    review of ``review_date``; the existing copy if there is one. Keeps the newest
    ``KEEP_PER_ORGANISATION`` copies of the organisation in the partnership. ``NotFound`` for a stranger."""
    reader = organisation_reader(actor)
    review = build_review(reader, partnership_id, quarter)  # a stranger gets NotFound first
    lang = check_language(actor.organisation.language)
    key = {
        "partnership_id": partnership_id,
        "organisation_id": actor.organisation_id,
        "quarter": review.quarter.code,
        "language": lang,
        "review_date": review_date,
    }
    existing = PreparedReview.objects.filter(**key).first()
    if existing is not None:
        return existing
    pdf = render_pdf(review, lang)
    try:
        with transaction.atomic():
            prepared = PreparedReview.objects.create(**key, pdf=pdf, size=len(pdf))
    except IntegrityError:  # prepared meanwhile by another run
        return PreparedReview.objects.get(**key)
    mine = PreparedReview.objects.filter(partnership_id=partnership_id, organisation_id=actor.organisation_id)
    keep = list(mine.order_by("-created_at", "-id").values_list("pk", flat=True)[:KEEP_PER_ORGANISATION])
    mine.exclude(pk__in=keep).delete()
    return prepared


def _preparers(organisation_ids: set[int]) -> dict[int, Actor]:
    """Each organisation's first active admin (one query), as the actor that prepares its copies."""
    found: dict[int, Actor] = {}
    admins = (
        Membership.objects.filter(organisation_id__in=organisation_ids, role=Role.ADMIN, is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation_id", "pk")
    )
    for membership in admins:
        if membership.organisation_id not in found and membership.user.is_active:
            found[membership.organisation_id] = Actor(user=membership.user, membership=membership)
    return found


@dataclass
class PrepareResult:
    prepared: list[PreparedReview]
    failed: list[tuple[int, int]]  # (partnership id, organisation id)


def prepare_upcoming_reviews(today: dt.date | None = None) -> PrepareResult:
    """Daily: for every active partnership whose next charter review date is within
    ``selectors.DUE_WITHIN_DAYS`` days, prepare the review of the last complete quarter for each of its two
    organisations, in that organisation's language, unless it is prepared already. One partnership failing
    is logged and the others go on."""
    today = today or timezone.localdate()
    quarter = quarter_of(today).previous
    due = selectors.due_reviews(today)
    if not due:
        return PrepareResult(prepared=[], failed=[])
    done = set(
        PreparedReview.objects.filter(
            partnership_id__in=[d.partnership.pk for d in due], review_date__in={d.review_date for d in due}
        ).values_list("partnership_id", "organisation_id", "review_date")
    )
    preparers = _preparers({o for d in due for o in (d.partnership.supplier_id, d.partnership.customer_id)})
    result = PrepareResult(prepared=[], failed=[])
    for item in due:
        p = item.partnership
        for organisation_id in (p.supplier_id, p.customer_id):
            if (p.pk, organisation_id, item.review_date) in done:
                continue
            actor = preparers.get(organisation_id)
            if actor is None:
                log.warning(
                    "review of partnership %s not prepared: organisation %s has no admin",
                    p.pk,
                    organisation_id,
                )
                result.failed.append((p.pk, organisation_id))
                continue
            try:
                result.prepared.append(
                    prepared_review_create(
                        actor, partnership_id=p.pk, quarter=quarter, review_date=item.review_date
                    )
                )
            except Exception:
                log.exception("review of partnership %s for organisation %s failed", p.pk, organisation_id)
                result.failed.append((p.pk, organisation_id))
    return result
