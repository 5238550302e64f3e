"""Forms of the value ledger pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.partnerships.models import Side
from mitra.value.models import Category, EntryStatus


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *EntryStatus.choices]
    )
    side = forms.ChoiceField(
        label=_("Gain for"), required=False, choices=[("", _("Both sides")), *Side.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )


class ValueEntryForm(forms.Form):
    title = forms.CharField(
        label=_("What was gained"),
        max_length=200,
        help_text=_("For example: Lower safety stock of cooking oil at the Surabaya DC"),
    )
    beneficiary_side = forms.ChoiceField(label=_("Gain for"), choices=Side.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=2, min_value=0.01)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, min_length=3, help_text=_("ISO 4217 code, e.g. IDR")
    )
    period_start = forms.DateField(label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the gain was measured, so that the other side can confirm it."),
    )
    case_id = forms.TypedChoiceField(label=_("Linked case"), required=False, coerce=int, empty_value=None)
    initiative_id = forms.TypedChoiceField(
        label=_("Linked initiative"), required=False, coerce=int, empty_value=None
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, cases: Any = (), initiatives: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["case_id"]).choices = [
            ("", _("None")),
            *((c.pk, c.title) for c in cases),
        ]
        cast(forms.ChoiceField, self.fields["initiative_id"]).choices = [
            ("", _("None")),
            *((i.pk, i.title) for i in initiatives),
        ]


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you dispute it?"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
