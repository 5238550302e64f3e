"""Forms of the discussion pages: a comment with its mentions, and the timeline's filters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.accounts.models import Membership
from mitra.partnerships.models import Partnership, Side
from mitra.threads.events import KIND_LABELS


def people_choices(partnership: Partnership, people: Iterable[Membership]) -> list[Any]:
    """People grouped by side, for a ``<select>``: ``[(org name, [(id, name), …]), …]``."""
    groups: dict[int, list[tuple[int, str]]] = {partnership.supplier_id: [], partnership.customer_id: []}
    for m in people:
        groups.setdefault(m.organisation_id, []).append((m.pk, m.user.get_full_name()))
    return [
        (partnership.supplier.name, groups[partnership.supplier_id]),
        (partnership.customer.name, groups[partnership.customer_id]),
    ]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("Write a reply… Type @Full Name to mention someone.")}
        ),
    )
    mention_ids = forms.TypedMultipleChoiceField(
        label=_("Mention"),
        required=False,
        coerce=int,
        help_text=_("They are notified in Mitra and by e-mail."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["mention_ids"]).choices = choices or []


class TimelineFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    side = forms.ChoiceField(label=_("Side"), required=False, choices=[("", _("Both sides")), *Side.choices])
    actor = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, people: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("Everything")),
            *((k, v) for k, v in KIND_LABELS.items()),
        ]
        cast(forms.ChoiceField, self.fields["actor"]).choices = [("", _("Everybody")), *(people or [])]
