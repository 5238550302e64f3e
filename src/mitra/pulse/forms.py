"""The pulse's answer form: five 1–5 questions and an optional comment, one form per bridge."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.pulse.models import QUESTION_PROMPTS, QUESTIONS

SCORES = [(n, str(n)) for n in range(1, 6)]


class PulseAnswerForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional, shown without your name)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, label in QUESTIONS:
            field = forms.TypedChoiceField(
                label=label,
                help_text=QUESTION_PROMPTS[name],
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "pulse-scale"}),
                error_messages={"required": _("Choose a score from 1 to 5.")},
            )
            self.fields[name] = field
        # The questions first, then the comment.
        self.order_fields([name for name, _label in QUESTIONS] + ["comment"])

    def scores(self) -> list[forms.BoundField]:
        return [self[name] for name, _label in QUESTIONS]
