"""Forms of the commitments pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.commitments.models import CommitmentStatus
from mitra.partnerships.models import Side


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CommitmentStatus.choices]
    )
    owner_side = forms.ChoiceField(
        label=_("Promised by"), required=False, choices=[("", _("Both sides")), *Side.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class CommitmentForm(forms.Form):
    title = forms.CharField(label=_("What is promised"), max_length=200)
    description = forms.CharField(
        label=_("Details"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_id = forms.TypedChoiceField(label=_("Who promises"), coerce=int)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    bridge_id = forms.TypedChoiceField(label=_("Bridge"), required=False, coerce=int, empty_value=None)
    proactive = forms.BooleanField(label=_("Proactive: offered before the other side asked"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, people: list[tuple[str, list[tuple[int, str]]]], bridges: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_id"]
        bridge = self.fields["bridge_id"]
        assert isinstance(owner, forms.ChoiceField) and isinstance(bridge, forms.ChoiceField)
        owner.choices = [("", "—"), *people]
        bridge.choices = [("", _("No bridge")), *((b.pk, str(b)) for b in bridges)]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=300)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
