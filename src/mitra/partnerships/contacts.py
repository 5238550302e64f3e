"""The partnership's stakeholder map: the people at either organisation whom the partnership deals with.

Both sides see every contact of the partnership (within their own department restrictions). Each side
keeps its own organisation's contacts: it adds them, and only it changes or removes them; the other side's
are read-only to it. A contact is matched on its e-mail address within its organisation (an import finds it
again by that), and may name a department of its own organisation.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from mitra.accounts.models import Department
from mitra.core.errors import Invalid, NotFound, PermissionDenied
from mitra.core.history import records_actor
from mitra.core.services import check_version, require_writer, validate_and_save
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import Contact, Partnership, Side
from mitra.partnerships.workspace import (
    locked_record,
    organisation_id_of,
    restriction,
    shared_partnership,
    writable_partnership,
)

TEXTS = ("name", "email", "phone", "job_title", "note")
EDITABLE = (*TEXTS, "department_id")
UNSET: Any = object()


# --- selectors --------------------------------------------------------------------------------------------


def contact_list(
    actor: Actor, partnership_id: int | Partnership, *, side: str | None = None, query: str = ""
) -> QuerySet[Contact]:
    """The partnership's contacts on both sides (or on ``side`` only), by organisation then name; ``query``
    searches name, e-mail, job title and department."""
    partnership = (
        partnership_id
        if isinstance(partnership_id, Partnership)
        else shared_partnership(actor, partnership_id)
    )
    contacts = (
        restrict(Contact.objects.all(), actor)
        .filter(partnership=partnership)
        .select_related("partnership", "organisation", "department")
        .order_by("organisation__name", "name", "pk")
    )
    if side in (Side.SUPPLIER, Side.CUSTOMER):
        contacts = contacts.filter(organisation_id=organisation_id_of(partnership, side))
    query = (query or "").strip()
    if query:
        contacts = contacts.filter(
            Q(name__icontains=query)
            | Q(email__icontains=query)
            | Q(job_title__icontains=query)
            | Q(department__name__icontains=query)
        )
    return contacts


def contact_get(actor: Actor, partnership_id: int | Partnership, contact_id: int) -> Contact:
    contact = contact_list(actor, partnership_id).filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(_("Contact not found."))
    return contact


def side_of_contact(contact: Contact) -> str:
    return Side.SUPPLIER if contact.organisation_id == contact.partnership.supplier_id else Side.CUSTOMER


def can_edit(actor: Actor, contact: Contact) -> bool:
    """Whether the actor's side keeps this contact (its own organisation's), and may write."""
    return actor.can_write and contact.organisation_id == actor.organisation_id


# --- services ---------------------------------------------------------------------------------------------


def _text(name: str, value: str | None) -> str:
    value = (value or "").strip()
    if name == "name" and not value:
        raise Invalid({"name": [_("Give the contact's name.")]})
    if name == "email" and not value:
        raise Invalid({"email": [_("Give the contact's e-mail address.")]})
    return value.lower() if name == "email" else value


def _department(actor: Actor, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    department = Department.objects.filter(pk=department_id, organisation_id=actor.organisation_id).first()
    if department is None:
        raise Invalid({"department_id": [_("Choose a department of your own organisation.")]})
    return department


def _check_email(contact: Contact) -> None:
    """One contact per e-mail address and organisation in a partnership: say so on the field."""
    taken = (
        Contact.objects.filter(
            partnership_id=contact.partnership_id,
            organisation_id=contact.organisation_id,
            email=contact.email,
        )
        .exclude(pk=contact.pk)
        .exists()
    )
    if taken:
        raise Invalid(
            {"email": [_("Your organisation already has a contact with this e-mail address here.")]}
        )


def _own_contact(actor: Actor, partnership: Partnership, contact_id: int) -> Contact:
    contact = locked_record(
        actor, Contact, partnership_id=partnership.pk, record_id=contact_id, missing=_("Contact not found.")
    )
    if contact.organisation_id != actor.organisation_id:
        raise PermissionDenied(
            _("Each side keeps its own contacts: only %(organisation)s can change this one.")
            % {"organisation": contact.organisation.name}
        )
    return contact


@records_actor
@transaction.atomic
def contact_create(
    actor: Actor,
    *,
    partnership_id: int,
    name: str,
    email: str,
    phone: str = "",
    job_title: str = "",
    department_id: int | None = None,
    note: str = "",
    restricted_department_id: int | None = None,
) -> Contact:
    """Add a person of the actor's own organisation to the partnership's contacts."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    contact = Contact(
        partnership=partnership,
        organisation_id=actor.organisation_id,
        name=_text("name", name),
        email=_text("email", email),
        phone=_text("phone", phone),
        job_title=_text("job_title", job_title),
        note=_text("note", note),
        department=_department(actor, department_id),
        restricted_department=restriction(actor, restricted_department_id),
    )
    _check_email(contact)
    validate_and_save(contact)
    return contact


@records_actor
@transaction.atomic
def contact_update(
    actor: Actor,
    *,
    partnership_id: int,
    contact_id: int,
    version: int | None = None,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    job_title: str | None = None,
    note: str | None = None,
    department_id: int | None = UNSET,
) -> Contact:
    """Change one of the actor's own organisation's contacts. Fields left as None stay as they are;
    ``department_id=None`` clears the department. Pass ``version`` to refuse a stale edit."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    contact = _own_contact(actor, partnership, contact_id)
    check_version(contact, version)
    fields: list[str] = []
    for field, value in (
        ("name", name),
        ("email", email),
        ("phone", phone),
        ("job_title", job_title),
        ("note", note),
    ):
        if value is not None:
            setattr(contact, field, _text(field, value))
            fields.append(field)
    if department_id is not UNSET:
        contact.department = _department(actor, department_id)
        fields.append("department")
    _check_email(contact)
    contact.version += 1  # the row is locked, so this is race-free
    validate_and_save(contact, update_fields=[*fields, "version", "updated_at"])
    return contact


@records_actor
@transaction.atomic
def contact_delete(actor: Actor, *, partnership_id: int, contact_id: int) -> None:
    """Remove one of the actor's own organisation's contacts (its history is kept)."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    _own_contact(actor, partnership, contact_id).delete()
