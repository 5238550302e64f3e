"""The review page's form: which quarter, in which language, as what."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitra.core.errors import Invalid
from mitra.reviews.builder import Quarter, parse_quarter, quarter_of
from mitra.reviews.render import FORMATS

RECENT_QUARTERS = 8


def recent_quarters(today: Any = None) -> list[Quarter]:
    """The current quarter and the seven before it, newest first."""
    quarter = quarter_of(today or timezone.localdate())
    found = []
    for _i in range(RECENT_QUARTERS):
        found.append(quarter)
        quarter = quarter.previous
    return found


class ReviewForm(forms.Form):
    quarter = forms.CharField(
        label=_("Quarter"),
        max_length=20,
        required=False,
        help_text=_("As YYYYQn, for example 2026Q3."),
        widget=forms.TextInput(attrs={"list": "review-quarters", "autocomplete": "off"}),
    )
    lang = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", "PDF"), ("html", "HTML")],
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_quarter(self) -> str:
        try:
            return parse_quarter(self.cleaned_data.get("quarter")).code
        except Invalid as exc:
            raise forms.ValidationError(exc.errors["quarter"][0]) from exc

    def clean_format(self) -> str:
        value = self.cleaned_data.get("format") or "pdf"
        return value if value in FORMATS else "pdf"
