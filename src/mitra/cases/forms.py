"""Forms of the cases pages. Choices that depend on data are passed in by the views (from selectors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.cases.models import CaseCategory, CaseRootCause, CaseSeverity, CaseStatus, OptionEffort

VALUE_CHOICES = [(2, "+2"), (1, "+1"), (0, "0"), (-1, "−1"), (-2, "−2")]


def _none(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_none(_("Any status")) + CaseStatus.choices
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=_none(_("Any severity")) + CaseSeverity.choices
    )
    breached = forms.ChoiceField(
        label=_("SLA"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Breached")), ("no", _("Within SLA"))],
    )


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What happened"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    desired_outcome = forms.CharField(
        label=_("Desired outcome, in the customer's words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What does the customer really want most? Write it as they said it."),
    )
    outcome_stated_by = forms.TypedChoiceField(
        label=_("Stated by (customer side)"), required=False, coerce=int, empty_value=None
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=CaseSeverity.choices, initial=CaseSeverity.MEDIUM
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=CaseCategory.choices, initial=CaseCategory.OTHER
    )
    root_cause = forms.ChoiceField(
        label=_("Root-cause category"),
        required=False,
        choices=_none(_("Not known yet")) + CaseRootCause.choices,
    )
    anticipated_by = forms.TypedChoiceField(
        label=_("Anticipated by risk"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]] | None = None,
        risks: list[tuple[int, str]] | None = None,
        creating: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["outcome_stated_by"].choices = _none(_("—")) + list(people or [])  # type: ignore[attr-defined]
        else:
            for name in ("desired_outcome", "outcome_stated_by"):
                del self.fields[name]
        self.fields["anticipated_by"].choices = _none(_("No risk")) + list(risks or [])  # type: ignore[attr-defined]


class CaseEditForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, creating=False, **kwargs)


class OptionForm(forms.Form):
    summary = forms.CharField(label=_("Option"), max_length=300)
    value_to_customer = forms.TypedChoiceField(
        label=_("Value to the customer"), choices=VALUE_CHOICES, coerce=int, initial=0
    )
    value_to_supplier = forms.TypedChoiceField(
        label=_("Value to the supplier"), choices=VALUE_CHOICES, coerce=int, initial=0
    )
    effort = forms.ChoiceField(label=_("Effort"), choices=OptionEffort.choices, initial=OptionEffort.MEDIUM)


class ChooseForm(forms.Form):
    option = forms.IntegerField(widget=forms.HiddenInput)
    justification = forms.CharField(
        label=_("Justification (needed when not win-win)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResolveForm(forms.Form):
    resolution_note = forms.CharField(
        label=_("Resolution note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the desired outcome was not met"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
