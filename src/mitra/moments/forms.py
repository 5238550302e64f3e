"""Forms of the moments-of-truth pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.moments.models import Kind, Outcome


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All outcomes")), *Outcome.choices]
    )
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class TouchpointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, initial=Outcome.NEUTRAL)
    summary = forms.CharField(label=_("What happened"), max_length=300)
    reference = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=60,
        help_text=_("The delivery note, invoice or order number, as in both partners' systems."),
    )
    bridge_id = forms.TypedChoiceField(label=_("Bridge"), required=False, coerce=int, empty_value=None)
    promised_date = forms.DateField(
        label=_("Promised date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    actual_date = forms.DateField(
        label=_("Actual date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    promised_quantity = forms.DecimalField(
        label=_("Promised quantity"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    delivered_quantity = forms.DecimalField(
        label=_("Delivered quantity"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    amount = forms.DecimalField(
        label=_("Invoice amount"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    due_date = forms.DateField(
        label=_("Payment due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    paid_date = forms.DateField(
        label=_("Paid on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    paid_amount = forms.DecimalField(
        label=_("Amount paid"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, bridges: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bridge_id"]
        field.choices = [("", _("No particular bridge")), *((b.pk, str(b)) for b in bridges)]  # type: ignore[attr-defined]

    @property
    def is_delivery(self) -> bool:
        value = self["kind"].value()
        return value == Kind.DELIVERY

    @property
    def is_invoice(self) -> bool:
        value = self["kind"].value()
        return value == Kind.INVOICE


class SurveyForm(forms.Form):
    recipient_id = forms.TypedChoiceField(label=_("Send to"), coerce=int)

    def __init__(self, *args: Any, recipients: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient_id"]
        field.choices = [  # type: ignore[attr-defined]
            (m.pk, f"{m.user.get_full_name()}{f' ({m.job_title})' if m.job_title else ''}")
            for m in recipients
        ]


class AnswerForm(forms.Form):
    csat = forms.TypedChoiceField(
        label=_("How satisfied are you with how this went?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = very dissatisfied, 5 = very satisfied"),
    )
    nps = forms.TypedChoiceField(
        label=_("How likely are you to recommend them to a colleague or another company?"),
        choices=[(n, str(n)) for n in range(0, 11)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("0 = not at all likely, 10 = extremely likely"),
    )
    comment = forms.CharField(
        label=_("Anything you would like to add?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
