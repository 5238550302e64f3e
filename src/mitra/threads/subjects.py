"""What a discussion thread can hang on: a registry of record kinds, resolved lazily.

The workflow apps are built alongside this one, so nothing here imports them: a kind names a model label,
looked up with ``django.apps.apps.get_model`` when a thread is read or written. A kind whose model does not
exist (yet) behaves like a record that does not exist: not found.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from mitra.accounts.models import Membership
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict, restriction_q

# kind (as on the timeline, see ``mitra.threads.events.KIND_LABELS``) -> model label.
SUBJECTS: dict[str, str] = {
    "commitment": "commitments.Commitment",
    "case": "cases.Case",
    "option": "cases.CaseOption",
    "value": "value.ValueEntry",
    "initiative": "improvement.Initiative",
    "risk": "risks.Risk",
    "touchpoint": "moments.Touchpoint",
    "plan": "plans.JointPlan",
}


def subject_model(kind: str) -> type[models.Model] | None:
    """The model of ``kind``, or None for an unknown kind or a model that does not exist."""
    label = SUBJECTS.get(kind)
    if label is None:
        return None
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def available_kinds() -> list[str]:
    """The registered kinds whose model exists."""
    return [kind for kind in SUBJECTS if subject_model(kind) is not None]


def _field_names(model: Any) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def parent_prefix(model: Any) -> str:
    """How to reach the partnership from ``model``: ``""`` when it has its own ``partnership`` field,
    else through the first foreign key whose model has one (``case__`` for a case's option)."""
    if "partnership" in _field_names(model):
        return ""
    for f in model._meta.get_fields():
        if f.many_to_one and f.concrete and "partnership" in _field_names(f.related_model):
            return f"{f.name}__"
    raise LookupError(f"{model._meta.label} does not belong to a partnership")


def _restricted_via(model: Any, prefix: str) -> str | None:
    """The path of the department restriction that applies to ``model``'s records, if any."""
    if "restricted_department" in _field_names(model):
        return "restricted_department"
    if prefix:
        parent = model._meta.get_field(prefix.removesuffix("__")).related_model
        if "restricted_department" in _field_names(parent):
            return f"{prefix}restricted_department"
    return None


@dataclass
class Subject:
    """A record with a thread: its kind, the record, and what the thread needs to know about it."""

    kind: str
    obj: Any
    partnership_id: int
    restricted_department_id: int | None
    owner_ids: list[int] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return int(self.obj.pk)

    @property
    def title(self) -> str:
        return str(self.obj)[:200]

    @property
    def thread_url(self) -> str:
        return reverse(
            "threads:thread", kwargs={"pk": self.partnership_id, "kind": self.kind, "object_id": self.pk}
        )

    @property
    def url(self) -> str:
        """The record's own page, else its thread's page."""
        for candidate in (self.obj, getattr(self.obj, "case", None)):
            get = getattr(candidate, "get_absolute_url", None)
            if callable(get):
                with contextlib.suppress(NoReverseMatch):  # a half-built app's page may not resolve yet
                    return str(get())
        return self.thread_url


def _attr_path(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def subject_of(kind: str, obj: Any) -> Subject:
    """Describe a record already read (and checked) by its own page, without further queries where it can."""
    model = type(obj)
    prefix = parent_prefix(model)
    partnership_id = _attr_path(obj, f"{prefix}partnership_id") if prefix else obj.partnership_id
    restricted = _restricted_via(model, prefix)
    department_id = _attr_path(obj, f"{restricted}_id") if restricted else None
    owners = [
        getattr(obj, f.attname)
        for f in model._meta.get_fields()
        if f.many_to_one and f.concrete and f.related_model is Membership and getattr(obj, f.attname)
    ]
    return Subject(kind, obj, int(partnership_id), department_id, owners)


def subject_get(actor: Actor, partnership_id: int, kind: str, object_id: int) -> Subject:
    """The record ``kind`` ``object_id`` of the partnership, if the actor may see it; else not found."""
    model = subject_model(kind)
    if model is None:
        raise NotFound(_("Record not found."))
    prefix = parent_prefix(model)
    manager: Any = model._default_manager
    queryset = restrict(manager.all(), actor, partnership_path=f"{prefix}partnership")
    restricted = _restricted_via(model, prefix)
    if restricted and restricted != "restricted_department":
        queryset = queryset.filter(restriction_q(actor, prefix=prefix))
    if prefix:
        queryset = queryset.select_related(prefix.removesuffix("__"))
    obj = queryset.filter(**{"pk": object_id, f"{prefix}partnership_id": partnership_id}).first()
    if obj is None:
        raise NotFound(_("Record not found."))
    return subject_of(kind, obj)
