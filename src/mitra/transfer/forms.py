"""Forms of the import pages: the upload (kind and file) and the column mapping of a spreadsheet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.transfer.kinds import ImportKind

EDI_CHOICE_LABEL = _("EDI message (EDIFACT or X12)")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV or XLSX sheet with the column names in its first row, or an EDIFACT or X12 interchange."
        ),
    )

    def __init__(self, *args: Any, kinds: Sequence[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Choose…")), *kinds]


class MappingForm(forms.Form):
    """For each of the kind's columns, the file's column that holds it (or none)."""

    def __init__(
        self,
        *args: Any,
        kind: ImportKind,
        headers: Sequence[str],
        mapping: dict[str, str],
        **kwargs: Any,
    ) -> None:
        kwargs["prefix"] = "map"
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —")), *((h, h) for h in headers if h.strip())]
        for column in kind.columns:
            self.fields[column.name] = forms.ChoiceField(
                label=str(column.label),
                required=column.required,
                choices=choices,
                initial=mapping.get(column.name, ""),
                help_text=str(column.help),
            )

    def mapping(self) -> dict[str, str]:
        return {name: header for name, header in self.cleaned_data.items() if header}
