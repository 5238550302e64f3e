"""Departments and members as an import: a staff list becomes departments and e-mailed invitations.

Only admins may import it, and only into their own organisation. Departments named in the file that do not
exist yet are created; each person who is neither a member nor already invited gets an invitation (sent
after the import commits). Rows are matched on the e-mail address, so a second import invites nobody twice.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitra.accounts.models import Department, Invitation, Membership, Role
from mitra.accounts.services import department_create, invitation_create
from mitra.core.errors import MitraError, PermissionDenied
from mitra.core.rows import RowError, RowErrors
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership
from mitra.transfer.kinds import PREVIEW_ROWS, Column, ImportKind, KindReport, register
from mitra.transfer.widgets import Choice

SEPARATORS = (";", "|")


class MembersKind(ImportKind):
    name = "members"
    label = gettext_lazy("Departments and members")
    description = gettext_lazy(
        "Your organisation's people and their departments. Missing departments are created and each new person "
        "is invited by e-mail. Matched on the e-mail address. Admins only."
    )
    columns = (
        Column("email", gettext_lazy("E-mail address"), True, synonyms=("e_mail", "surel", "email_address")),
        Column("department", gettext_lazy("Departments"), synonyms=("departments", "departemen", "divisi")),
        Column("department_kind", gettext_lazy("Department kind"), synonyms=("jenis_departemen",)),
        Column("role", gettext_lazy("Role"), synonyms=("peran", "access")),
    )
    key = ("email",)
    admin_only = True

    def load(
        self,
        actor: Actor,
        partnership: Partnership,
        rows: list[dict[str, str]],
        lines: list[int],
        *,
        dry_run: bool,
    ) -> KindReport:
        if not actor.is_admin:
            raise PermissionDenied(_("Only your organisation's admins can import members."))
        if not rows:
            raise RowErrors([RowError(0, "file", _("There are no rows to load."))])
        self.check_columns(list(rows[0]))
        org = actor.organisation_id
        departments = {d.name.lower(): d for d in Department.objects.filter(organisation_id=org)}
        members = {
            e.lower()
            for e in Membership.objects.filter(organisation_id=org, is_active=True).values_list(
                "user__email", flat=True
            )
        }
        invited = {
            e.lower()
            for e in Invitation.objects.filter(
                organisation_id=org,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            ).values_list("email", flat=True)
        }
        roles = Choice(Role.choices, default=Role.MEMBER)
        kinds = Choice(Department.Kind.choices, default=Department.Kind.OTHER)
        errors: list[RowError] = []
        planned: list[tuple[int, str, str, list[tuple[str, str]]]] = []
        seen: dict[str, int] = {}
        for row, line in zip(rows, lines, strict=True):
            email = str(row.get("email") or "").strip().lower()
            try:
                validate_email(email)
            except ValidationError:
                errors.append(RowError(line, "email", _("Enter a valid e-mail address.")))
                continue
            if email in seen:
                errors.append(
                    RowError(
                        line,
                        "email",
                        _("This repeats row %(row)s of the file: one row per record.") % {"row": seen[email]},
                    )
                )
                continue
            seen[email] = line
            try:
                role = roles.clean(row.get("role"))
            except ValueError as exc:
                errors.append(RowError(line, "role", str(exc)))
                continue
            try:
                kind = kinds.clean(row.get("department_kind"))
            except ValueError as exc:
                errors.append(RowError(line, "department_kind", str(exc)))
                continue
            names = str(row.get("department") or "")
            for separator in SEPARATORS:
                names = names.replace(separator, ",")
            wanted = [(n.strip()[:80], kind) for n in names.split(",") if n.strip()]
            planned.append((line, email, role, wanted))
        if errors:
            raise RowErrors(errors)

        report = KindReport(kind=self.name, rows=len(rows))
        for line, email, role, wanted in planned:
            action = "unchanged" if email in members or email in invited else "create"
            if len(report.preview) < PREVIEW_ROWS:
                report.preview.append(
                    {
                        "email": email,
                        "role": role,
                        "department": ", ".join(n for n, _k in wanted),
                        "action": action,
                    }
                )
            new_departments = [(n, k) for n, k in wanted if n.lower() not in departments]
            if action == "unchanged" and not new_departments:
                report.unchanged += 1
                continue
            if dry_run:
                report.created += action == "create"
                report.updated += action == "unchanged"
                for n, k in new_departments:
                    departments[n.lower()] = Department(organisation_id=org, name=n, kind=k)
                continue
            try:
                for n, k in new_departments:
                    departments[n.lower()] = department_create(actor, kind=k, name=n)
                if action == "create":
                    invitation_create(
                        actor,
                        email=email,
                        role=role,
                        department_ids=[departments[n.lower()].pk for n, _k in wanted],
                    )
                    report.created += 1
                else:
                    report.updated += 1
            except MitraError as exc:
                errors += _row_errors(exc, line)
        if errors:
            raise RowErrors(errors)
        return report


def _row_errors(exc: MitraError, line: int) -> list[RowError]:
    found: dict[str, Any] = getattr(exc, "errors", None) or {}
    if not found:
        return [RowError(line, "row", exc.message)]
    column = {"department_ids": "department", "name": "department", "kind": "department_kind"}
    return [RowError(line, column.get(k, k), str(m)) for k, messages in found.items() for m in messages]


register(MembersKind())
