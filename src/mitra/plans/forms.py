"""Forms of the joint business plan pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class PlanCreateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [(y, str(y)) for y in years]


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)
    kpi_name = forms.CharField(
        label=_("KPI"), max_length=120, help_text=_("How you will measure it, e.g. fill rate, days of stock.")
    )
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, max_digits=18, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=18, decimal_places=2)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
