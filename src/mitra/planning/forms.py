"""Forms of the planning pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from mitra.planning import agreements, loading
from mitra.planning.models import ExceptionStatus, PlanningAgreement, Resolution

FORECAST_KIND = "forecast"
CRITERIA: dict[str, Any] = {
    "forecast_gap": _("Forecasts differ"),
    "forecast_error": _("Forecast error"),
    "forecast_change": _("Forecast changed"),
    "low_stock": _("Low stock"),
    "overstock": _("Overstock"),
    "over_capacity": _("Above capacity"),
}


def upload_kinds() -> list[tuple[str, Any]]:
    return [*((k.name, k.label) for k in loading.KINDS.values()), (FORECAST_KIND, _("My forecast"))]


class ExceptionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ExceptionStatus.choices]
    )
    criterion = forms.ChoiceField(
        label=_("Criterion"), required=False, choices=[("", _("All criteria")), *CRITERIA.items()]
    )


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label=_("Resolution"), choices=[("", "—"), *Resolution.choices])
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=upload_kinds)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, separated by commas or semicolons, the header in the first row; at most 20 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > loading.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class CommitForm(forms.Form):
    token = forms.CharField(max_length=64)


class TermsForm(forms.Form):
    """The planning terms (``agreements.TERMS``), with the model's own fields, labels and limits."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = self.fields.pop("version")
        for name, field in fields_for_model(PlanningAgreement, fields=agreements.TERMS).items():
            self.fields[name] = field
        self.fields["version"] = version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in agreements.TERMS}
