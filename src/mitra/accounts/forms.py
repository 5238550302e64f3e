"""Forms of the organisation settings pages and the invitation sign-up. They only parse input; the
services decide what is allowed."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.accounts.models import Department, Organisation, Role


@lru_cache(maxsize=1)
def _time_zones() -> list[tuple[str, str]]:
    # Indonesia's three zones first: most organisations on Mitra are there.
    local = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
    rest = sorted(
        z for z in zoneinfo.available_timezones() if z not in local and "/" in z and not z.startswith("Etc/")
    )
    return [(z, z) for z in local + rest]


class OrganisationForm(forms.Form):
    """The organisation's details and policies (admins only)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, required=False)
    country = forms.CharField(
        label=_("Country"), max_length=2, min_length=2, help_text=_("ISO 3166 code, e.g. ID")
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, min_length=3, help_text=_("ISO 4217 code, e.g. IDR")
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zones)
    language = forms.ChoiceField(label=_("Default language"), choices=Organisation.Language.choices)
    require_mfa = forms.BooleanField(
        label=_("Require two-factor authentication for every member"),
        required=False,
        help_text=_("Members must set up an authenticator app before they can use Mitra."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DepartmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Department.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=80)


class DepartmentRenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)


class _DepartmentsMixin(forms.Form):
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, departments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = [(d.pk, d.name) for d in departments]  # type: ignore[attr-defined]


class MemberForm(_DepartmentsMixin):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ("role", "job_title", "departments")


class InvitationForm(_DepartmentsMixin):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    field_order = ("email", "role", "departments")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        required=False,
        help_text=_("What the token is for, e.g. ERP import."),
    )


class InvitationSignUpForm(forms.Form):
    """Join an organisation as a new person: the e-mail address is the invited one."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
