"""Input and output shapes of the organisation API: the acting user, the organisation and its people."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field

from mitra.accounts.models import ApiToken, Department, Membership, Organisation, Role, User
from mitra.core.api import Id, Storable

DepartmentKind = Department.Kind
Language = Organisation.Language

ShortName = Annotated[str, Field(min_length=1, max_length=80), Storable]
OrgName = Annotated[str, Field(min_length=1, max_length=120), Storable]
LegalName = Annotated[str, Field(max_length=200), Storable]
JobTitle = Annotated[str, Field(max_length=120), Storable]
Email = Annotated[str, Field(min_length=3, max_length=254, json_schema_extra={"format": "email"}), Storable]
CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")]
TimeZone = Annotated[str, Field(min_length=1, max_length=64), Storable]
Search = Annotated[str, Field(max_length=120), Storable]
DepartmentIds = Annotated[list[Id], Field(max_length=50)]


class In(Schema):
    """Base of every request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# --- outputs ------------------------------------------------------------------------------------------------


class UserOut(Schema):
    id: int
    email: str
    full_name: str


class DepartmentOut(Schema):
    id: int
    kind: DepartmentKind
    name: str


class OrganisationBrief(Schema):
    id: int
    name: str
    currency: str
    time_zone: str
    language: Language


class OrganisationLink(Schema):
    """One organisation the user belongs to, and their role there."""

    id: int
    name: str
    role: Role

    @staticmethod
    def resolve_id(obj: Membership) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.organisation.name


class MeOut(Schema):
    """Who is calling: the user, the organisation acted for, the role and departments there."""

    user: UserOut
    organisation: OrganisationBrief
    role: Role
    departments: list[DepartmentOut]
    organisations: list[OrganisationLink]


class OrganisationOut(Schema):
    id: int
    name: str
    legal_name: str
    country: str
    currency: str
    time_zone: str
    language: Language
    require_mfa: bool
    version: int
    created_at: dt.datetime


class MemberOut(Schema):
    """A membership: the person, their role and departments in this organisation."""

    id: int
    user: UserOut
    role: Role
    job_title: str
    departments: list[DepartmentOut]
    is_active: bool
    version: int
    created_at: dt.datetime


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    departments: list[DepartmentOut]
    status: str = Field(description="pending, accepted, revoked or expired")
    invited_by: UserOut | None
    created_at: dt.datetime
    expires_at: dt.datetime


class TokenOut(Schema):
    """A personal API token, without its secret."""

    id: int
    name: str
    prefix: str
    owner: UserOut
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_owner(obj: ApiToken) -> User:
        return obj.membership.user


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself. It is shown this once and never again.")


class DirectoryEntryOut(Schema):
    """An organisation one may propose a partnership to: its name and country, nothing else."""

    id: int
    name: str
    country: str


# --- inputs -------------------------------------------------------------------------------------------------


class OrganisationPatch(In):
    """Only the fields sent are changed; ``version`` (optional) guards against overwriting a newer edit."""

    name: OrgName | None = None
    legal_name: LegalName | None = None
    country: CountryCode | None = None
    currency: CurrencyCode | None = None
    time_zone: TimeZone | None = None
    language: Language | None = None
    require_mfa: bool | None = None
    version: Id | None = None


class DepartmentIn(In):
    kind: DepartmentKind
    name: ShortName


class DepartmentPatch(In):
    kind: DepartmentKind | None = None
    name: ShortName | None = None


class MemberPatch(In):
    role: Role | None = None
    department_ids: DepartmentIds | None = None
    job_title: JobTitle | None = None
    version: Id | None = None


class InvitationIn(In):
    email: Email
    role: Role = Role.MEMBER
    department_ids: DepartmentIds = []


class TokenIn(In):
    name: ShortName
