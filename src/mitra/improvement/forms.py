"""Forms of the improvement pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.improvement.models import KPI_DIGITS, KPI_PLACES, Direction, InitiativeStatus, Stage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=KPI_DIGITS,
        decimal_places=KPI_PLACES,
        max_value=99_999_999_999_999,
        min_value=-99_999_999_999_999,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class FilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *InitiativeStatus.choices]
    )


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("The problem and the idea"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    supplier_owner = forms.TypedChoiceField(label=_("Supplier owner"), coerce=int)
    customer_owner = forms.TypedChoiceField(label=_("Customer owner"), coerce=int)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    target_date = forms.DateField(label=_("Target date"), widget=DATE)
    kpi_name = forms.CharField(
        label=_("KPI"), max_length=120, help_text=_("For example: OTIF, lead time, stock-out rate.")
    )
    kpi_unit = forms.CharField(
        label=_("Unit"), max_length=30, required=False, help_text=_("For example: %, days.")
    )
    direction = forms.ChoiceField(label=_("Better is"), choices=Direction.choices)
    baseline = _number(_("Baseline"))
    target = _number(_("Target"))
    source_cases = forms.TypedMultipleChoiceField(
        label=_("Started from cases"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        supplier_people: Any = (),
        customer_people: Any = (),
        cases: Any = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier_owner"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (m.pk, m.user.full_name) for m in supplier_people
        ]
        self.fields["customer_owner"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (m.pk, m.user.full_name) for m in customer_people
        ]
        self.fields["source_cases"].choices = [(c.pk, c.title) for c in cases]  # type: ignore[attr-defined]


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices)
    version = forms.IntegerField(min_value=1, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(InitiativeStatus.COMPLETED, _("Completed")), (InitiativeStatus.ABANDONED, _("Abandoned"))]
    )
    version = forms.IntegerField(min_value=1, required=False)


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(label=_("Date"), widget=DATE)
    value = _number(_("Value"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
