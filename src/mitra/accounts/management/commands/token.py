"""``mitra token``: personal API tokens from the command line (create, list, revoke)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mitra.accounts.models import ApiToken, User
from mitra.accounts.selectors import actor_for, actor_from_membership, api_token_list
from mitra.accounts.services import api_token_create, api_token_revoke
from mitra.core.errors import MitraError
from mitra.core.tenancy import Actor


def _actor(email: str) -> Actor:
    """The actor for a person: their first active membership (by organisation name)."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"No user with the e-mail address {email!r}.")
    if not user.is_active:
        raise CommandError(f"The user {user.email} is deactivated.")
    actor = actor_for(user)
    if actor is None:
        raise CommandError(
            f"The user {user.email} is not an active member of any organisation, so cannot have a token."
        )
    return actor


class Command(BaseCommand):
    """Create, list or revoke a person's API tokens. ``create`` prints the raw token alone on stdout."""

    help = "Personal API tokens: `token create --email E [--name N]`, `token list --email E`, `token revoke --id N`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="create a token and print it (it is shown only once)")
        create.add_argument("--email", required=True, help="the person's sign-in e-mail")
        create.add_argument("--name", default="Command line", help="what the token is for")
        listing = actions.add_parser("list", help="list a person's tokens")
        listing.add_argument("--email", required=True, help="the person's sign-in e-mail")
        revoke = actions.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument(
            "--id", type=int, required=True, dest="token_id", help="the token's id (see `token list`)"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "create":
                self.create(options["email"], options["name"])
            elif action == "list":
                self.list(options["email"])
            else:
                self.revoke(options["token_id"])
        except MitraError as exc:
            raise CommandError(exc.message) from exc

    def create(self, email: str, name: str) -> None:
        actor = _actor(email)
        _token, raw = api_token_create(actor, name=name)
        # Only the token on stdout, so that `TOKEN=$(mitra token create …)` works.
        self.stdout.write(raw)

    def list(self, email: str) -> None:
        actor = _actor(email)
        tokens = api_token_list(actor).filter(membership=actor.membership)
        if not tokens:
            self.stdout.write(f"{actor.user.email} has no API tokens.")
            return
        self.stdout.write(
            f"{'id':>6}  {'prefix':<12}  {'status':<8}  {'created':<16}  {'last used':<16}  name"
        )
        for token in tokens:
            status = "revoked" if token.revoked_at else "active"
            self.stdout.write(
                f"{token.pk:>6}  {token.prefix:<12}  {status:<8}  {_when(token.created_at):<16}  "
                f"{_when(token.last_used_at):<16}  {token.name}"
            )

    def revoke(self, token_id: int) -> None:
        token = ApiToken.objects.select_related("membership__user").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"No API token with id {token_id}.")
        # The owner revokes their own token; the service records it in the security log.
        token = api_token_revoke(actor_from_membership(token.membership), token_id=token_id)
        self.stdout.write(f"Revoked token {token.pk} ({token.prefix}…) of {token.membership.user.email}.")


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"
