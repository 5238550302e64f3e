"""Reads for the demo: who can sign in with the demo password."""

from __future__ import annotations

from typing import TypedDict

from django.contrib.auth.hashers import check_password

from mitra.accounts.models import Membership, Role
from mitra.demo.services import DEMO_PASSWORD

ROLE_ORDER: dict[str, int] = {Role.ADMIN.value: 0, Role.MEMBER.value: 1, Role.VIEWER.value: 2}


class DemoLogin(TypedDict):
    email: str
    password: str
    organisation: str
    departments: list[str]
    role: str


def demo_logins(password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    """Every active membership whose person signs in with ``password``, by organisation, role and e-mail.

    The demo gives everybody one password hash, so it is checked once per distinct hash rather than
    once per person (each check costs a full password hash).
    """
    memberships = (
        Membership.objects.filter(is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .prefetch_related("departments")
    )
    matches: dict[str, bool] = {}
    logins: list[tuple[tuple[str, int, str], DemoLogin]] = []
    for m in memberships:
        encoded = m.user.password
        if encoded not in matches:
            matches[encoded] = check_password(password, encoded)
        if not matches[encoded]:
            continue
        login: DemoLogin = {
            "email": m.user.email,
            "password": password,
            "organisation": m.organisation.name,
            "departments": sorted(d.name for d in m.departments.all()),
            "role": m.role,
        }
        logins.append(((m.organisation.name, ROLE_ORDER.get(m.role, 9), m.user.email), login))
    return [login for _key, login in sorted(logins, key=lambda item: item[0])]
