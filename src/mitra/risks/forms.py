"""Forms of the risk register pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.risks.models import SCALE, RiskStatus

SCALE_CHOICES = [(n, str(n)) for n in SCALE]


class RiskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *RiskStatus.choices]
    )
    min_score = forms.IntegerField(label=_("Score at least"), required=False, min_value=1, max_value=25)


class RiskForm(forms.Form):
    title = forms.CharField(label=_("What could happen"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood (1–5)"), choices=SCALE_CHOICES, coerce=int, initial=3
    )
    impact = forms.TypedChoiceField(label=_("Impact (1–5)"), choices=SCALE_CHOICES, coerce=int, initial=3)
    early_signal = forms.CharField(
        label=_("Early signal"),
        required=False,
        max_length=300,
        help_text=_("What you will see first, before it happens."),
    )
    response = forms.CharField(
        label=_("Pre-agreed response"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What both sides will do when it happens, agreed now."),
    )
    owner_id = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_id"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [
            ("", _("No owner yet")),
            *((m.pk, f"{m.user.full_name} ({m.organisation.name})") for m in people),
        ]


class RiskEditForm(RiskForm):
    status = forms.ChoiceField(label=_("Status"), choices=RiskStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
