"""Forms of the partnership pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.accounts.models import Organisation
from mitra.partnerships.models import Side, Status, Tier


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=120)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )


class _TermsForm(forms.Form):
    our_side = forms.ChoiceField(label=_("We are the"), choices=Side.choices, widget=forms.RadioSelect)
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices, initial=Tier.KEY)
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    review_cadence_days = forms.IntegerField(
        label=_("Review every (days)"), initial=90, min_value=7, max_value=366
    )
    goals = forms.CharField(
        label=_("Shared goals"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    message = forms.CharField(
        label=_("Message to the partner"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProposeForm(_TermsForm):
    """Propose to an organisation that is already on Mitra, chosen from the directory."""

    # Any id is accepted here: the directory search may have found it, and the service checks it exists.
    partner_id = forms.IntegerField(
        label=_("Partner"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an organisation.")},
    )
    field_order = ("partner_id", "our_side", "tier", "start_date", "review_cadence_days", "goals", "message")

    def __init__(self, *args: Any, partners: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner_id"].widget.choices = [(o.pk, o.name) for o in partners]


class InviteForm(_TermsForm):
    """Propose by e-mail to a company that is not on Mitra yet."""

    company_name = forms.CharField(label=_("Company name"), max_length=120)
    email = forms.EmailField(label=_("Contact's e-mail address"))
    field_order = (
        "company_name",
        "email",
        "our_side",
        "tier",
        "start_date",
        "review_cadence_days",
        "goals",
        "message",
    )


class CharterForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    review_cadence_days = forms.IntegerField(label=_("Review every (days)"), min_value=7, max_value=366)
    goals = forms.CharField(
        label=_("Shared goals"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class BridgeForm(forms.Form):
    """The owners on each end of a bridge and how often they meet."""

    supplier_owner_id = forms.TypedChoiceField(
        label=_("Supplier owner"), coerce=int, required=False, empty_value=None
    )
    customer_owner_id = forms.TypedChoiceField(
        label=_("Customer owner"), coerce=int, required=False, empty_value=None
    )
    cadence_days = forms.IntegerField(label=_("Meet every (days)"), initial=30)
    restricted_department_id = forms.TypedChoiceField(
        label=_("Who at our side sees it"), coerce=int, required=False, empty_value=None
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        supplier_people: Any = (),
        customer_people: Any = (),
        own_departments: Any = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["restricted_department_id"].choices = [("", _("Everyone"))] + [  # type: ignore[attr-defined]
            (d.pk, _("Only %(department)s (and admins)") % {"department": d.name}) for d in own_departments
        ]
        nobody = [("", _("— nobody yet —"))]
        self.fields["supplier_owner_id"].choices = nobody + [(m.pk, str(m.user)) for m in supplier_people]  # type: ignore[attr-defined]
        self.fields["customer_owner_id"].choices = nobody + [(m.pk, str(m.user)) for m in customer_people]  # type: ignore[attr-defined]


class JoinForm(forms.Form):
    """Sign up, create one's organisation and accept a partnership, in one go."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    organisation_name = forms.CharField(label=_("Your organisation's name"), max_length=120)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Organisation.Language.choices)


class ContactFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=120)
    side = forms.ChoiceField(label=_("Side"), required=False, choices=[("", _("Both sides")), *Side.choices])


class ContactForm(forms.Form):
    """A person of the actor's own organisation on the partnership's contact list."""

    name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    department_id = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, departments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department_id"].choices = [("", _("— none —"))] + [  # type: ignore[attr-defined]
            (d.pk, d.name) for d in departments
        ]
