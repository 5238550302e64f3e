"""Spreadsheet imports of workspace records, as django-import-export resources.

Each resource belongs to one partnership and one acting side. Rows are matched on a natural key (a
document number, an e-mail address, a title and period) within the partnership, so re-importing a file
leaves every row unchanged. Cells are read by ``mitra.transfer.widgets``; the model's own ``clean()``
checks the record (and derives on time, in full, paid on time). Errors come back per row and column.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any, ClassVar

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Model, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.widgets import Widget
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mitra.accounts.models import Department
from mitra.core.rows import RowError, RowErrors
from mitra.core.tenancy import Actor, restriction_q
from mitra.moments.models import Kind as TouchpointKind
from mitra.moments.models import Outcome, Touchpoint
from mitra.partnerships.models import Contact, Partnership, Side
from mitra.partnerships.workspace import side_of
from mitra.transfer.kinds import PREVIEW_ROWS, Column, ImportKind, KindReport, register
from mitra.transfer.widgets import Amount, Choice, Day, Moment, Text
from mitra.value.models import Category, EntryStatus, ValueEntry


class Lookup(Widget):
    """A reference, by name, to a record the partnership may use; anything else is a row error."""

    def __init__(
        self, options: dict[str, Any], message: str, *, required: bool = False, default: Any = None
    ) -> None:
        super().__init__()
        self.options = {k.strip().lower(): v for k, v in options.items()}
        self.message, self.required, self.default = message, required, default

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        text = str(value or "").strip().lower()
        if not text:
            if self.required:
                raise ValueError(_("This is required."))
            return self.default
        if text not in self.options:
            raise ValueError(self.message)
        return self.options[text]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class WorkspaceResource(resources.ModelResource):
    """A resource bound to one partnership and the acting side, reading and writing set-based.

    Existing records are found for all rows at once (``before_import``: one query per 5,000 keys, keys
    compared whatever their case), rows are written in batches of 1,000 with their history rows, and the
    model's ``clean()`` checks each row in Python. The database's own checks (foreign keys, unique and check
    constraints) are not queried row by row: the references come from scoped lookups, uniqueness from the
    key lookup and the file's duplicate check, and ``clean()`` mirrors the check constraints.
    """

    model: ClassVar[type[Model]]
    key: ClassVar[tuple[str, ...]] = ()
    key_field: ClassVar[str] = ""
    derived: ClassVar[tuple[str, ...]] = ("version", "updated_at")

    def __init__(self, *, actor: Actor, partnership: Partnership) -> None:
        self.actor = actor
        self.partnership = partnership
        self.side = side_of(actor, partnership)
        self._existing: dict[tuple[Any, ...], Any] = {}
        self._visible: set[int] = set()
        super().__init__()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = False
        skip_html_diff = True
        use_bulk = True
        batch_size = 1000

    def get_queryset(self) -> QuerySet[Any]:
        return self._meta.model.objects.filter(partnership=self.partnership)

    def row_key(self, row: dict[str, Any]) -> tuple[Any, ...]:  # pragma: no cover - abstract
        """The row's natural key, normalised like ``instance_key`` (text lower-cased); ValueError if bad."""
        raise NotImplementedError

    def instance_key(self, instance: Any) -> tuple[Any, ...]:  # pragma: no cover - abstract
        raise NotImplementedError

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        wanted: set[str] = set()
        for row in dataset.dict:
            try:
                wanted.add(self.row_key(row)[0])
            except (ValueError, ValidationError):
                continue  # the bad key cell is reported with its row
        values = sorted(wanted)
        found: dict[tuple[Any, ...], Any] = {}
        candidates = self.get_queryset().annotate(_key=Lower(self.key_field))
        for i in range(0, len(values), 5000):
            for instance in candidates.filter(_key__in=values[i : i + 5000]):
                found[self.instance_key(instance)] = instance
        self._existing = found
        ids = [i.pk for i in found.values()]
        visible: set[int] = set()
        for i in range(0, len(ids), 5000):
            visible |= set(
                self.get_queryset()
                .filter(restriction_q(self.actor), pk__in=ids[i : i + 5000])
                .values_list("pk", flat=True)
            )
        self._visible = visible

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> Any:
        try:
            key = self.row_key(row)
        except ValueError:
            return None  # the bad key cell is reported by import_instance
        found = self._existing.get(key)
        if found is not None and found.pk not in self._visible:
            raise ValidationError(
                {self.key[0]: [_("A record with this key exists that your department cannot see or change.")]}
            )
        return found

    def init_instance(self, row: Any = None) -> Any:
        return self._meta.model(partnership=self.partnership)

    def validate_instance(
        self, instance: Any, import_validation_errors: Any = None, validate_unique: bool = True
    ) -> None:
        errors = dict(import_validation_errors or {})
        trusted = {f.name for f in instance._meta.concrete_fields if f.is_relation}
        try:
            instance.full_clean(
                exclude=set(errors) | trusted, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        if instance.pk and hasattr(instance, "version"):
            instance.version += 1
            instance.updated_at = timezone.now()

    def get_bulk_update_fields(self) -> list[str]:
        names = [f.attribute for f in self.fields.values() if f.attribute and f.attribute not in self.key]
        return sorted({*names, *self.key, *(d for d in self.derived if hasattr(self._meta.model, d))})

    def bulk_create(
        self,
        using_transactions: bool,
        dry_run: bool,
        raise_errors: bool,
        batch_size: int | None = None,
        result: Any = None,
    ) -> None:
        if not self.create_instances:
            return
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL's transaction stays usable to report it
                bulk_create_with_history(
                    self.create_instances,
                    self._meta.model,
                    batch_size=batch_size,
                    default_user=self.actor.user,
                )
        except DatabaseError as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(
        self,
        using_transactions: bool,
        dry_run: bool,
        raise_errors: bool,
        batch_size: int | None = None,
        result: Any = None,
    ) -> None:
        if not self.update_instances:
            return
        try:
            with transaction.atomic():
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    default_user=self.actor.user,
                )
        except DatabaseError as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.update_instances.clear()


class TouchpointResource(WorkspaceResource):
    model = Touchpoint
    key = ("reference",)
    touchpoint_kind: ClassVar[str | None] = None

    def __init__(self, *, actor: Actor, partnership: Partnership) -> None:
        super().__init__(actor=actor, partnership=partnership)
        self.fields["reference"] = fields.Field("reference", "reference", Text(required=True, max_length=60))

    class Meta(WorkspaceResource.Meta):
        model = Touchpoint
        fields = ()
        import_id_fields = ("reference",)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        return queryset.filter(kind=self.touchpoint_kind) if self.touchpoint_kind else queryset

    key_field = "reference"
    derived = ("version", "updated_at", "on_time", "in_full", "paid_on_time")

    def row_key(self, row: dict[str, Any]) -> tuple[Any, ...]:
        # document numbers match whatever their case: "SJ-001" and "sj-001" are one delivery note
        return (Text(required=True, max_length=60).clean(row.get("reference")).lower(),)

    def instance_key(self, instance: Any) -> tuple[Any, ...]:
        return (instance.reference.lower(),)

    def init_instance(self, row: Any = None) -> Any:
        return Touchpoint(
            partnership=self.partnership,
            kind=self.touchpoint_kind or TouchpointKind.OTHER,
            recorded_by_side=self.side,
            recorded_by=self.actor.membership,
        )

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        if instance.pk and instance.recorded_by_side != self.side:
            raise ValidationError(
                {"reference": [_("The other side recorded this document; only they can change it.")]}
            )
        super().before_save_instance(instance, row, **kwargs)


def _field(column: str, widget: Widget, attribute: str | None = None) -> fields.Field:
    return fields.Field(attribute=attribute or column, column_name=column, widget=widget)


class GeneralTouchpointResource(TouchpointResource):
    def __init__(self, *, actor: Actor, partnership: Partnership) -> None:
        super().__init__(actor=actor, partnership=partnership)
        kinds = [(c, label) for c, label in TouchpointKind.choices if c not in ("delivery", "invoice")]
        self.fields.update(
            {
                "kind": _field("kind", Choice(kinds)),
                "occurred_at": _field("occurred_at", Moment(required=True)),
                "outcome": _field("outcome", Choice(Outcome.choices, default=Outcome.NEUTRAL)),
                "summary": _field("summary", Text(required=True, max_length=300)),
            }
        )

    def row_key(self, row: dict[str, Any]) -> tuple[Any, ...]:
        reference = Text(required=True, max_length=60).clean(row.get("reference")).lower()
        return (reference, Choice(TouchpointKind.choices).clean(row.get("kind")))

    def instance_key(self, instance: Any) -> tuple[Any, ...]:
        return (instance.reference.lower(), instance.kind)


class DeliveryResource(TouchpointResource):
    touchpoint_kind = TouchpointKind.DELIVERY

    def __init__(self, *, actor: Actor, partnership: Partnership) -> None:
        super().__init__(actor=actor, partnership=partnership)
        self.fields.update(
            {
                "promised_date": _field("promised_date", Day(required=True)),
                "actual_date": _field("actual_date", Day(required=True)),
                "promised_quantity": _field("promised_quantity", Amount(required=True)),
                "delivered_quantity": _field("delivered_quantity", Amount(required=True)),
                "occurred_at": _field("occurred_at", Moment(required=True)),
                "outcome": _field("outcome", Choice(Outcome.choices)),
                "summary": _field("summary", Text(required=True, max_length=300)),
            }
        )

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        """Fill what a delivery note leaves out, from the row itself (so a re-import finds it unchanged):
        when it happened (the actual date), the outcome (positive when on time and in full) and a summary."""
        reference = str(row.get("reference") or "").strip()
        if not str(row.get("occurred_at") or "").strip():
            row["occurred_at"] = str(row.get("actual_date") or "")
        if not str(row.get("summary") or "").strip():
            order = str(row.get("order") or "").strip()
            row["summary"] = (
                _("Delivery %(reference)s for order %(order)s") % {"reference": reference, "order": order}
                if order
                else _("Delivery %(reference)s") % {"reference": reference}
            )
        if not str(row.get("outcome") or "").strip():
            try:
                on_time = Day().clean(row.get("actual_date")) <= Day().clean(row.get("promised_date"))  # type: ignore[operator]
                in_full = Amount().clean(row.get("delivered_quantity")) >= Amount().clean(  # type: ignore[operator]
                    row.get("promised_quantity")
                )
            except (TypeError, ValueError):
                row["outcome"] = Outcome.NEUTRAL  # the bad cells are reported on their own columns
            else:
                row["outcome"] = Outcome.POSITIVE if on_time and in_full else Outcome.NEGATIVE


class InvoiceResource(TouchpointResource):
    touchpoint_kind = TouchpointKind.INVOICE

    def __init__(self, *, actor: Actor, partnership: Partnership) -> None:
        super().__init__(actor=actor, partnership=partnership)
        self.currency = partnership.supplier.currency
        self.fields.update(
            {
                "occurred_at": _field("issue_date", Moment(required=True), "occurred_at"),
                "due_date": _field("due_date", Day(required=True)),
                "amount": _field("amount", Amount(required=True)),
                "paid_date": _field("paid_date", Day()),
                "paid_amount": _field("paid_amount", Amount()),
                "summary": _field("summary", Text(required=True, max_length=300)),
            }
        )

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        currency = str(row.get("currency") or "").strip().upper()
        if currency and currency != self.currency:
            raise ValidationError(
                {
                    "currency": [
                        _("Invoices in this partnership are in %(currency)s.") % {"currency": self.currency}
                    ]
                }
            )
        if not str(row.get("summary") or "").strip():
            row["summary"] = _("Invoice %(reference)s") % {
                "reference": str(row.get("reference") or "").strip()
            }


class PaymentResource(TouchpointResource):
    """Payments against invoices already in Mitra (matched on the invoice number)."""

    touchpoint_kind = TouchpointKind.INVOICE

    def __init__(self, *, actor: Actor, partnership: Partnership) -> None:
        super().__init__(actor=actor, partnership=partnership)
        self.fields.update(
            {
                "paid_date": _field("paid_date", Day(required=True)),
                "paid_amount": _field("paid_amount", Amount(required=True)),
            }
        )

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> Any:
        found = super().get_instance(instance_loader, row)
        if found is None and str(row.get("reference") or "").strip():
            raise ValidationError(
                {"reference": [_("There is no invoice with this number in the partnership.")]}
            )
        return found

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        # Both sides record payments: the customer pays, the supplier receives.
        if instance.pk and hasattr(instance, "version"):
            instance.version += 1


class ContactResource(WorkspaceResource):
    model = Contact
    key = ("email",)

    def __init__(self, *, actor: Actor, partnership: Partnership) -> None:
        super().__init__(actor=actor, partnership=partnership)
        own = actor.organisation
        other = partnership.partner_of(own.pk)
        organisations = {own.name: own, self.side: own, other.name: other, str(Side(self.side).label): own}
        departments = {d.name: d for d in Department.objects.filter(organisation=own)}
        self.fields.update(
            {
                "organisation": _field(
                    "organisation",
                    Lookup(organisations, _("Name one of the two partners' organisations."), default=own),
                ),
                "name": _field("name", Text(required=True, max_length=120)),
                "email": _field("email", Text(required=True, max_length=254, lower=True)),
                "phone": _field("phone", Text(max_length=40)),
                "job_title": _field("job_title", Text(max_length=120)),
                "department": _field(
                    "department",
                    Lookup(departments, _("Your organisation has no department with this name.")),
                ),
                "note": _field("note", Text(max_length=300)),
            }
        )

    class Meta(WorkspaceResource.Meta):
        model = Contact
        fields = ()
        import_id_fields = ("email",)

    key_field = "email"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().filter(organisation_id=self.actor.organisation_id)

    def row_key(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return (Text(required=True, max_length=254, lower=True).clean(row.get("email")),)

    def instance_key(self, instance: Any) -> tuple[Any, ...]:
        return (instance.email.lower(),)

    def init_instance(self, row: Any = None) -> Any:
        return Contact(partnership=self.partnership, organisation=self.actor.organisation)

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        if instance.organisation_id != self.actor.organisation_id:
            raise ValidationError(
                {"organisation": [_("You can import your own organisation's contacts only.")]}
            )
        super().before_save_instance(instance, row, **kwargs)


class ValueEntryResource(WorkspaceResource):
    model = ValueEntry
    key = ("title",)

    def __init__(self, *, actor: Actor, partnership: Partnership) -> None:
        super().__init__(actor=actor, partnership=partnership)
        self.currency = actor.organisation.currency
        self.fields.update(
            {
                "title": _field("title", Text(required=True, max_length=200)),
                "beneficiary_side": _field("beneficiary_side", Choice(Side.choices)),
                "category": _field("category", Choice(Category.choices)),
                "amount": _field("amount", Amount(required=True, minimum=Decimal("0.01"))),
                "currency": _field("currency", Text(max_length=3)),
                "period_start": _field("period_start", Day(required=True)),
                "period_end": _field("period_end", Day(required=True)),
                "evidence": _field("evidence", Text(max_length=2000)),
            }
        )

    class Meta(WorkspaceResource.Meta):
        model = ValueEntry
        fields = ()
        import_id_fields = ("title",)

    key_field = "title"
    derived = ("version", "updated_at", "status", "awaiting_since")

    def row_key(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return (
            Text(required=True, max_length=200).clean(row.get("title")).lower(),
            Choice(Side.choices).clean(row.get("beneficiary_side")),
            Day(required=True).clean(row.get("period_start")),
            Day(required=True).clean(row.get("period_end")),
        )

    def instance_key(self, instance: Any) -> tuple[Any, ...]:
        return (instance.title.lower(), instance.beneficiary_side, instance.period_start, instance.period_end)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        row["currency"] = str(row.get("currency") or "").strip().upper() or self.currency

    def init_instance(self, row: Any = None) -> Any:
        return ValueEntry(
            partnership=self.partnership,
            recorded_by_side=self.side,
            recorded_by=self.actor.membership,
            status=EntryStatus.UNCONFIRMED,
            awaiting_since=timezone.now(),
        )

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        if instance.period_end < instance.period_start:
            raise ValidationError({"period_end": [_("The period cannot end before it starts.")]})
        if instance.currency and not (len(instance.currency) == 3 and instance.currency.isalpha()):
            raise ValidationError({"currency": [_("Use a three-letter ISO 4217 currency code.")]})
        if instance.pk:
            if instance.recorded_by_side != self.side:
                raise ValidationError(
                    {"title": [_("The other side recorded this entry; only they can change it.")]}
                )
            if instance.status == EntryStatus.CONFIRMED:
                raise ValidationError({"title": [_("This entry is confirmed; it can no longer change.")]})
            # A corrected entry waits for the other side's confirmation again.
            instance.status = EntryStatus.UNCONFIRMED
            instance.awaiting_since = timezone.now()
        super().before_save_instance(instance, row, **kwargs)


# ---- the import kinds ------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, Model):
        return str(value)
    return value


class ResourceKind(ImportKind):
    resource_class: type[WorkspaceResource]

    def __init__(
        self,
        name: str,
        label: Any,
        description: Any,
        resource_class: type[WorkspaceResource],
        columns: tuple[Column, ...],
        key: tuple[str, ...],
    ) -> None:
        self.name, self.label, self.description = name, label, description
        self.resource_class, self.columns, self.key = resource_class, columns, key

    def load(
        self,
        actor: Actor,
        partnership: Partnership,
        rows: list[dict[str, str]],
        lines: list[int],
        *,
        dry_run: bool,
    ) -> KindReport:
        if not rows:
            raise RowErrors([RowError(0, "file", _("There are no rows to load."))])
        self.check_columns(list(rows[0]))
        self._check_duplicates(rows, lines)
        resource = self.resource_class(actor=actor, partnership=partnership)
        headers = list(rows[0])
        dataset = tablib.Dataset(*[[r.get(h, "") for h in headers] for r in rows], headers=headers)
        result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=False)
        columns = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
        errors: list[RowError] = [RowError(0, "file", str(e.error)) for e in result.base_errors]
        for invalid in result.invalid_rows:
            for name, messages in invalid.error_dict.items():
                column = columns.get(name, name if name in headers else "row")
                if name == NON_FIELD_ERRORS:
                    column = "row"
                errors += [RowError(lines[invalid.number - 1], column, str(m)) for m in messages]
        for number, row_errors in result.row_errors():
            errors += [
                RowError(
                    lines[number - 1], "row", _("This row could not be saved: %(error)s") % {"error": e.error}
                )
                for e in row_errors
            ]
        if errors:
            raise RowErrors(_first_per_cell(errors, headers))
        counts = Counter(r.import_type for r in result.rows)
        action = {"new": "create", "update": "update", "skip": "unchanged"}
        preview = [
            {**{h: _cell(v) for h, v in row.items()}, "action": action.get(r.import_type, r.import_type)}
            for row, r in zip(rows[:PREVIEW_ROWS], result.rows[:PREVIEW_ROWS], strict=False)
        ]
        return KindReport(
            kind=self.name,
            rows=len(rows),
            created=counts["new"],
            updated=counts["update"],
            unchanged=counts["skip"],
            preview=preview,
        )

    def _check_duplicates(self, rows: list[dict[str, str]], lines: list[int]) -> None:
        first: dict[tuple[str, ...], int] = {}
        errors = []
        for row, line in zip(rows, lines, strict=True):
            key = tuple(str(row.get(k, "")).strip().lower() for k in self.key)
            if not any(key):
                continue
            if key in first:
                errors.append(
                    RowError(
                        line,
                        self.key[0],
                        _("This repeats row %(row)s of the file: one row per record.") % {"row": first[key]},
                    )
                )
            else:
                first[key] = line
        if errors:
            raise RowErrors(errors)


def _first_per_cell(errors: list[RowError], headers: list[str]) -> list[RowError]:
    """One message per row and column (a cell's own error hides the model's "needed" for it), and none for
    a column the row filled in by itself (when it happened, the outcome) when its other cells are wrong."""
    seen: set[tuple[int, str]] = set()
    kept = []
    bad_rows = {e.row for e in errors if e.column in headers or e.column == "row"}
    for e in sorted(errors, key=lambda e: e.row):
        if (e.row, e.column) in seen or (e.column not in headers and e.column != "row" and e.row in bad_rows):
            continue
        seen.add((e.row, e.column))
        kept.append(e)
    return kept


C = Column
register(
    ResourceKind(
        "contacts",
        gettext_lazy("Organisations and contacts"),
        gettext_lazy(
            "The people your organisation deals with in this partnership. Matched on the e-mail address."
        ),
        ContactResource,
        (
            C("name", gettext_lazy("Name"), True, synonyms=("nama", "full_name", "contact")),
            C("email", gettext_lazy("E-mail address"), True, synonyms=("e_mail", "email_address", "surel")),
            C(
                "organisation",
                gettext_lazy("Organisation"),
                synonyms=("company", "perusahaan", "organization"),
            ),
            C("phone", gettext_lazy("Phone"), synonyms=("telepon", "telephone", "mobile", "hp")),
            C("job_title", gettext_lazy("Job title"), synonyms=("title", "jabatan", "position")),
            C("department", gettext_lazy("Department"), synonyms=("departemen", "divisi", "bagian")),
            C("note", gettext_lazy("Note"), synonyms=("catatan", "notes")),
        ),
        ("email",),
    )
)
register(
    ResourceKind(
        "touchpoints",
        gettext_lazy("Touchpoints"),
        gettext_lazy(
            "Meetings, calls, visits, complaints and other moments of truth. Matched on the reference and kind."
        ),
        GeneralTouchpointResource,
        (
            C("reference", gettext_lazy("Reference"), True, synonyms=("ref", "number", "nomor", "id")),
            C("kind", gettext_lazy("Kind"), True, synonyms=("type", "jenis")),
            C("occurred_at", gettext_lazy("When"), True, synonyms=("date", "tanggal", "when", "waktu")),
            C("summary", gettext_lazy("Summary"), True, synonyms=("ringkasan", "subject", "description")),
            C("outcome", gettext_lazy("Outcome"), synonyms=("hasil", "result")),
        ),
        ("reference", "kind"),
    )
)
register(
    ResourceKind(
        "deliveries",
        gettext_lazy("Deliveries"),
        gettext_lazy(
            "Delivery notes with the promised and actual date and quantity; they become moments of truth and "
            "count towards OTIF. Matched on the delivery note number."
        ),
        DeliveryResource,
        (
            C(
                "reference",
                gettext_lazy("Delivery note number"),
                True,
                synonyms=("surat_jalan", "delivery_note", "despatch_number", "number"),
            ),
            C(
                "promised_date",
                gettext_lazy("Promised date"),
                True,
                synonyms=("tanggal_janji", "requested_date", "due_date"),
            ),
            C(
                "actual_date",
                gettext_lazy("Actual date"),
                True,
                synonyms=("delivery_date", "tanggal_kirim", "delivered_on"),
            ),
            C(
                "promised_quantity",
                gettext_lazy("Promised quantity"),
                True,
                synonyms=("ordered_quantity", "qty_ordered", "jumlah_pesan"),
            ),
            C(
                "delivered_quantity",
                gettext_lazy("Delivered quantity"),
                True,
                synonyms=("qty_delivered", "shipped_quantity", "jumlah_kirim"),
            ),
            C("order", gettext_lazy("Order number"), synonyms=("po", "po_number", "nomor_pesanan")),
            C("occurred_at", gettext_lazy("When"), synonyms=("waktu",)),
            C("outcome", gettext_lazy("Outcome"), synonyms=("hasil",)),
            C("summary", gettext_lazy("Summary"), synonyms=("ringkasan", "note")),
        ),
        ("reference",),
    )
)
register(
    ResourceKind(
        "invoices",
        gettext_lazy("Invoices"),
        gettext_lazy(
            "Invoices with their amount, due date and, once paid, the payment. Matched on the invoice number."
        ),
        InvoiceResource,
        (
            C(
                "reference",
                gettext_lazy("Invoice number"),
                True,
                synonyms=("invoice", "invoice_number", "nomor_faktur", "faktur"),
            ),
            C(
                "issue_date",
                gettext_lazy("Issue date"),
                True,
                synonyms=("invoice_date", "tanggal_faktur", "date"),
            ),
            C("due_date", gettext_lazy("Due date"), True, synonyms=("jatuh_tempo", "payment_due")),
            C("amount", gettext_lazy("Amount"), True, synonyms=("total", "jumlah", "nilai")),
            C("currency", gettext_lazy("Currency"), synonyms=("mata_uang",)),
            C("paid_date", gettext_lazy("Paid on"), synonyms=("payment_date", "tanggal_bayar")),
            C("paid_amount", gettext_lazy("Amount paid"), synonyms=("jumlah_bayar", "payment_amount")),
            C("summary", gettext_lazy("Summary"), synonyms=("ringkasan", "description")),
        ),
        ("reference",),
    )
)
register(
    ResourceKind(
        "payments",
        gettext_lazy("Payments"),
        gettext_lazy(
            "Payments of invoices already in Mitra: due against paid. Matched on the invoice number."
        ),
        PaymentResource,
        (
            C(
                "reference",
                gettext_lazy("Invoice number"),
                True,
                synonyms=("invoice", "invoice_number", "nomor_faktur", "faktur"),
            ),
            C("paid_date", gettext_lazy("Paid on"), True, synonyms=("payment_date", "tanggal_bayar", "date")),
            C(
                "paid_amount",
                gettext_lazy("Amount paid"),
                True,
                synonyms=("amount", "jumlah_bayar", "jumlah"),
            ),
        ),
        ("reference",),
    )
)
register(
    ResourceKind(
        "value",
        gettext_lazy("Value entries"),
        gettext_lazy(
            "Gains for either side, waiting for the other side's confirmation. Matched on the title, the side "
            "and the period."
        ),
        ValueEntryResource,
        (
            C("title", gettext_lazy("What was gained"), True, synonyms=("judul", "gain", "description")),
            C("beneficiary_side", gettext_lazy("Gain for"), True, synonyms=("side", "sisi", "beneficiary")),
            C("category", gettext_lazy("Category"), True, synonyms=("kategori",)),
            C("amount", gettext_lazy("Amount"), True, synonyms=("jumlah", "nilai", "value")),
            C("period_start", gettext_lazy("Period start"), True, synonyms=("start", "from", "mulai")),
            C("period_end", gettext_lazy("Period end"), True, synonyms=("end", "to", "sampai")),
            C("currency", gettext_lazy("Currency"), synonyms=("mata_uang",)),
            C("evidence", gettext_lazy("Evidence"), synonyms=("bukti", "source")),
        ),
        ("title", "beneficiary_side", "period_start", "period_end"),
    )
)
