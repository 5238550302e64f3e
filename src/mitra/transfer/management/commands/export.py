"""``mitra export partnership ID [--output FILE] [--as EMAIL | --side supplier|customer]``: the complete JSON
export of one partnership's shared records, as one partner sees them (``mitra.transfer.portability``).

``--as`` names the member whose view is exported (a member of either side). Without it, the export is made as
the longest-standing active admin of ``--side`` (the supplier unless told), who sees all of that side's records.
A stranger to the partnership, or an unknown id, fails with a message and a non-zero exit, and writes no file.
"""

from __future__ import annotations

import os
import tempfile
from argparse import ArgumentTypeError
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitra.accounts.models import Membership, Role, User
from mitra.accounts.selectors import actor_from_membership
from mitra.core.errors import MitraError
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership, Side
from mitra.transfer.portability import export_partnership


def _id(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 2**31:
        raise ArgumentTypeError(_("expected a partnership id (a whole number)"))
    return int(text)


def _lazy(text: Any) -> str:
    return cast(str, text)


def _partnership(partnership_id: int) -> Partnership:
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        raise CommandError(_("No partnership with the id %(id)s.") % {"id": partnership_id})
    return partnership


def _actor(partnership: Partnership, email: str | None, side: str) -> Actor:
    parties = (partnership.supplier_id, partnership.customer_id)
    if email:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        membership = (
            Membership.objects.filter(user=user, organisation_id__in=parties, is_active=True)
            .select_related("user", "organisation")
            .order_by("pk")
            .first()
            if user
            else None
        )
        if membership is None:
            raise CommandError(
                _("%(email)s is not an active member of either side of partnership %(id)s.")
                % {"email": email, "id": partnership.pk}
            )
        return actor_from_membership(membership)
    org_id = partnership.supplier_id if side == Side.SUPPLIER else partnership.customer_id
    admin = (
        Membership.objects.filter(
            organisation_id=org_id, role=Role.ADMIN, is_active=True, user__is_active=True
        )
        .select_related("user", "organisation")
        .order_by("created_at", "pk")
        .first()
    )
    if admin is None:
        raise CommandError(
            _("The %(side)s side has no active admin: name a member with --as.") % {"side": Side(side).label}
        )
    return actor_from_membership(admin)


class Command(BaseCommand):
    help = "Export one partnership's shared records as JSON, as one of its partners sees them."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _("Export one partnership's shared records as JSON, as one of its partners sees them.")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        one = sub.add_parser(
            "partnership", help=_lazy(gettext_lazy("the complete JSON export of one partnership"))
        )
        one.add_argument("partnership_id", type=_id, metavar="ID")
        one.add_argument(
            "--output", "-o", help=_lazy(gettext_lazy("the file to write (default: standard output)"))
        )
        one.add_argument(
            "--as",
            dest="as_email",
            metavar="EMAIL",
            help=_lazy(gettext_lazy("export what this member (of either side) sees")),
        )
        one.add_argument(
            "--side",
            choices=[Side.SUPPLIER.value, Side.CUSTOMER.value],
            default=Side.SUPPLIER.value,
            help=_lazy(gettext_lazy("without --as: export as this side's admin (default: supplier)")),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = _partnership(options["partnership_id"])
        actor = _actor(partnership, options.get("as_email"), options["side"])
        output = options.get("output")
        try:
            if output:
                counts = self._to_file(actor, partnership.pk, Path(output))
            else:
                # The raw stream: the wrapper would add a line ending to every piece written.
                counts = export_partnership(actor, partnership.pk, cast(IO[str], self.stdout._out))
        except MitraError as exc:
            raise CommandError(exc.message) from exc
        total = sum(counts.values())
        self.stderr.write(
            _("Exported %(rows)s records of partnership %(id)s as %(email)s (%(org)s).")
            % {"rows": total, "id": partnership.pk, "email": actor.user.email, "org": actor.organisation.name}
        )

    def _to_file(self, actor: Actor, partnership_id: int, path: Path) -> dict[str, int]:
        # Written beside the target and moved into place: a failed export never leaves half a file.
        fd, temp = tempfile.mkstemp(prefix=".mitra-export-", suffix=".json", dir=path.parent or Path.cwd())
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                counts = export_partnership(actor, partnership_id, out)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return counts
