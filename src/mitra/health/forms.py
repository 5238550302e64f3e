"""Forms of the health pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.health.engine import DIMENSIONS
from mitra.health.labels import DIMENSION_LABELS

SORTS = ("partner", "score", "delta_1w", "delta_4w", "alerts")


def _share(label: Any) -> forms.FloatField:
    return forms.FloatField(
        label=label, min_value=0, max_value=100, widget=forms.NumberInput(attrs={"step": "any"})
    )


class WeightsForm(forms.Form):
    """A proposal of new dimension weights and colour bands (the other side must agree to it)."""

    red_below = forms.FloatField(
        label=_("Red below"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_("A score below this is red."),
    )
    green_from = forms.FloatField(
        label=_("Green from"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_("A score from this up is green; between the two it is amber."),
    )
    note = forms.CharField(
        label=_("Why"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        weights = {d: _share(DIMENSION_LABELS[d]) for d in DIMENSIONS}
        # the eight weights first, in the engine's order, then the bands, the note and the version
        self.fields = {**weights, **self.fields}

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[d] for d in DIMENSIONS]

    def band_fields(self) -> list[forms.BoundField]:
        return [self["red_below"], self["green_from"]]

    def weights(self) -> dict[str, float]:
        return {d: self.cleaned_data[d] for d in DIMENSIONS}
