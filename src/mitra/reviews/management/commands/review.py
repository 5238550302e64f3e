"""``mitra review --partnership ID --quarter 2026Q3 --format pdf|html --lang en|id --output FILE [--as EMAIL]``:
write the quarterly partnership review to a file, as one member of the partnership sees it (``--as``;
default: the supplier's first admin). Bad input exits non-zero with a message naming what is wrong.

``mitra review --prepare-due`` runs the daily job once, inline: it prepares the reviews of every
partnership whose charter review date is within a week, and exits non-zero if one of them failed.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mitra.accounts.models import Membership, Role, User
from mitra.accounts.selectors import actor_for, actor_from_membership
from mitra.core.errors import Invalid, MitraError
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership
from mitra.reviews import services
from mitra.reviews.render import FORMATS, languages
from mitra.reviews.services import prepare_upcoming_reviews


def _actor(partnership_id: int, email: str | None) -> Actor:
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        raise CommandError(_("--partnership: no partnership has the id %(id)s.") % {"id": partnership_id})
    if email:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        for organisation_id in (partnership.supplier_id, partnership.customer_id):
            actor = actor_for(user, organisation_id) if user else None
            if actor is not None and actor.organisation_id == organisation_id:
                return actor
        raise CommandError(
            _("--as: %(email)s is not an active member of either organisation of partnership %(id)s.")
            % {"email": email, "id": partnership_id}
        )
    admin = (
        Membership.objects.filter(organisation_id=partnership.supplier_id, role=Role.ADMIN, is_active=True)
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    if admin is None:
        raise CommandError(_("The supplier has no active admin: name a person with --as."))
    return actor_from_membership(admin)


class Command(BaseCommand):
    help = "Write the quarterly partnership review (PDF or HTML, English or Bahasa Indonesia) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--prepare-due",
            action="store_true",
            help="prepare the reviews of every partnership whose review date is within a week, and stop",
        )
        parser.add_argument("--partnership", type=int, help="the partnership's id")
        parser.add_argument(
            "--quarter", default="", help="YYYYQn, e.g. 2026Q3 (default: the current quarter)"
        )
        parser.add_argument("--format", dest="fmt", default="pdf", help=f"one of {', '.join(FORMATS)}")
        parser.add_argument("--lang", default="en", help=f"one of {', '.join(languages())}")
        parser.add_argument("--output", help="the file to write")
        parser.add_argument(
            "--as", dest="email", help="the member who reads it (default: the supplier's first admin)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["prepare_due"]:
            self._prepare_due()
            return
        for name in ("partnership", "output"):
            if options[name] is None:
                raise CommandError(_("--%(name)s is required.") % {"name": name})
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(
                _("--output: the folder %(folder)s does not exist.") % {"folder": output.parent}
            )
        actor = _actor(options["partnership"], options["email"])
        started = time.monotonic()
        try:
            with translation.override(options["lang"] if options["lang"] in languages() else "en"):
                document = services.review_document(
                    actor,
                    partnership_id=options["partnership"],
                    quarter=options["quarter"],
                    lang=options["lang"],
                    fmt=options["fmt"],
                )
        except Invalid as exc:
            field, messages = next(iter(exc.errors.items()))
            raise CommandError(f"--{field}: {messages[0]}") from exc
        except MitraError as exc:
            raise CommandError(exc.message) from exc
        output.write_bytes(document.content)
        self.stdout.write(
            _("Wrote %(file)s (%(size)s bytes) in %(seconds).1f s.")
            % {"file": output, "size": len(document.content), "seconds": time.monotonic() - started}
        )

    def _prepare_due(self) -> None:
        result = prepare_upcoming_reviews()
        for prepared in result.prepared:
            self.stdout.write(
                _("Prepared the review %(quarter)s (%(lang)s) of partnership %(id)s for %(date)s.")
                % {
                    "quarter": prepared.quarter,
                    "lang": prepared.language,
                    "id": prepared.partnership_id,
                    "date": prepared.review_date.isoformat(),
                }
            )
        count = len(result.prepared)
        self.stdout.write(
            ngettext("%(count)s review prepared.", "%(count)s reviews prepared.", count) % {"count": count}
        )
        if result.failed:
            raise CommandError(
                _("Could not prepare the review of partnership(s) %(ids)s; see the log.")
                % {"ids": ", ".join(sorted({str(pid) for pid, _org in result.failed}))}
            )
