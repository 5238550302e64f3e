"""The organisation API: who am I, the organisation, its departments, members, invitations and API tokens.

Thin on purpose: reads go through ``selectors``, writes through ``services``; the domain errors they raise
become HTTP in ``mitra.core.api``.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from mitra.accounts import selectors, services
from mitra.accounts.models import ApiToken, Department, Invitation, Membership, Organisation
from mitra.accounts.schemas import (
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    DirectoryEntryOut,
    InvitationIn,
    InvitationOut,
    MemberOut,
    MemberPatch,
    MeOut,
    OrganisationOut,
    OrganisationPatch,
    Search,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)
from mitra.core.api import Id, Page, actor_of, authenticated_by_token, errors
from mitra.core.errors import PermissionDenied

router = Router(tags=["organisation"])

READ = errors(401, 422)
READ_ONE = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)


@router.get("/me", response={200: MeOut, **errors(401)}, operation_id="me", summary="Who am I")
def me(request: HttpRequest) -> dict[str, Any]:
    actor = actor_of(request)
    membership = selectors.member_get(actor, actor.membership.pk)
    return {
        "user": actor.user,
        "organisation": actor.organisation,
        "role": actor.role,
        "departments": list(membership.departments.all()),
        "organisations": list(selectors.memberships_of(actor.user)),
    }


# --- organisation -----------------------------------------------------------------------------------------


@router.get("/organisation", response={200: OrganisationOut, **errors(401)}, operation_id="organisation_get")
def organisation_get(request: HttpRequest) -> Organisation:
    return selectors.organisation_get(actor_of(request))


@router.patch("/organisation", response={200: OrganisationOut, **WRITE}, operation_id="organisation_update")
def organisation_update(request: HttpRequest, payload: OrganisationPatch) -> Organisation:
    """Change the organisation's settings (admins). Fields left out or null stay as they are."""
    changes = payload.model_dump(exclude_none=True)
    version = changes.pop("version", None)
    return services.organisation_update(actor_of(request), version=version, **changes)


# --- departments ------------------------------------------------------------------------------------------


@router.get("/departments", response={200: list[DepartmentOut], **READ}, operation_id="department_list")
@paginate(Page)
def department_list(request: HttpRequest) -> Any:
    return selectors.department_list(actor_of(request))


@router.post("/departments", response={201: DepartmentOut, **WRITE}, operation_id="department_create")
def department_create(request: HttpRequest, payload: DepartmentIn) -> Status:
    department = services.department_create(actor_of(request), kind=payload.kind, name=payload.name)
    return Status(201, department)


@router.patch(
    "/departments/{department_id}", response={200: DepartmentOut, **WRITE}, operation_id="department_update"
)
def department_update(request: HttpRequest, department_id: Id, payload: DepartmentPatch) -> Department:
    return services.department_update(
        actor_of(request), department_id=department_id, kind=payload.kind, name=payload.name
    )


@router.delete(
    "/departments/{department_id}", response={204: None, **WRITE}, operation_id="department_delete"
)
def department_delete(request: HttpRequest, department_id: Id) -> Status:
    """Delete a department (admins). One that bridges still use (as an end or a restriction) cannot be deleted (409)."""
    services.department_delete(actor_of(request), department_id=department_id)
    return Status(204, None)


# --- members ----------------------------------------------------------------------------------------------


@router.get("/members", response={200: list[MemberOut], **READ}, operation_id="member_list")
@paginate(Page)
def member_list(request: HttpRequest, include_inactive: bool = False) -> Any:
    return selectors.member_list(actor_of(request), include_inactive=include_inactive)


@router.patch("/members/{member_id}", response={200: MemberOut, **WRITE}, operation_id="member_update")
def member_update(request: HttpRequest, member_id: Id, payload: MemberPatch) -> Membership:
    """Change a member's role, departments or job title (admins). The last admin cannot be demoted."""
    actor = actor_of(request)
    services.membership_update(
        actor,
        membership_id=member_id,
        role=payload.role,
        department_ids=payload.department_ids,
        job_title=payload.job_title,
        version=payload.version,
    )
    return selectors.member_get(actor, member_id)


@router.post(
    "/members/{member_id}/deactivate", response={200: MemberOut, **WRITE}, operation_id="member_deactivate"
)
def member_deactivate(request: HttpRequest, member_id: Id) -> Membership:
    """Take away a member's access (admins); their tokens are revoked, their history stays."""
    actor = actor_of(request)
    services.membership_deactivate(actor, membership_id=member_id)
    return selectors.member_get(actor, member_id)


# --- invitations ------------------------------------------------------------------------------------------


@router.get("/invitations", response={200: list[InvitationOut], **READ}, operation_id="invitation_list")
@paginate(Page)
def invitation_list(request: HttpRequest) -> Any:
    return selectors.invitation_list(actor_of(request))


@router.post("/invitations", response={201: InvitationOut, **WRITE}, operation_id="invitation_create")
def invitation_create(request: HttpRequest, payload: InvitationIn) -> Status:
    """Invite a person by e-mail (admins); the e-mail is sent by a background job."""
    invitation = services.invitation_create(
        actor_of(request), email=payload.email, role=payload.role, department_ids=payload.department_ids
    )
    return Status(201, invitation)


@router.post(
    "/invitations/{invitation_id}/revoke",
    response={200: InvitationOut, **WRITE},
    operation_id="invitation_revoke",
)
def invitation_revoke(request: HttpRequest, invitation_id: Id) -> Invitation:
    return services.invitation_revoke(actor_of(request), invitation_id=invitation_id)


# --- API tokens -------------------------------------------------------------------------------------------


@router.get("/tokens", response={200: list[TokenOut], **READ}, operation_id="token_list")
@paginate(Page)
def token_list(request: HttpRequest) -> Any:
    """Your own tokens; an admin sees every token of the organisation."""
    return selectors.api_token_list(actor_of(request))


@router.post("/tokens", response={201: TokenCreatedOut, **errors(401, 403, 422)}, operation_id="token_create")
def token_create(request: HttpRequest, payload: TokenIn) -> Status:
    """A new personal API token. The response carries the token itself, once; only its hash is kept.

    Only a signed-in session may create one (403 with a token): a leaked token cannot mint replacements that
    outlive its revocation. Scripts get theirs from the API tokens page or ``mitra token create``.
    """
    if authenticated_by_token(request):
        raise PermissionDenied(
            _(
                "An API token cannot create API tokens. Create one while signed in, or with `mitra token create`."
            )
        )
    token, raw = services.api_token_create(actor_of(request), name=payload.name)
    token.token = raw  # type: ignore[attr-defined]  # on this response only; never stored
    return Status(201, token)


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **WRITE}, operation_id="token_revoke")
def token_revoke(request: HttpRequest, token_id: Id) -> ApiToken:
    return services.api_token_revoke(actor_of(request), token_id=token_id)


# --- directory --------------------------------------------------------------------------------------------


@router.get("/directory", response={200: list[DirectoryEntryOut], **READ}, operation_id="directory_search")
def directory_search(request: HttpRequest, q: Search = "") -> Any:
    """Organisations on Mitra one may propose a partnership to (at most 20): id, name and country only."""
    return selectors.directory(actor_of(request), q)
