"""Races between two people using one link at once. Real transactions and threads, on both databases."""

import threading

import pytest
from django.db import OperationalError, connection
from tests import factories as f

from mitra.core.errors import NotFound
from mitra.partnerships import services
from mitra.partnerships.models import PartnerInvitation, Partnership, Side

pytestmark = pytest.mark.django_db(transaction=True)


def _together(*calls):
    """Run the calls at the same moment in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # the outcome under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_one_partner_invitation_makes_one_partnership_however_many_accept_at_once(world):
    invitation = services.partner_invitation_create(
        f.actor(world.supplier_admin), email="gm@hotel.test", company_name="PT Hotel", our_side=Side.SUPPLIER
    )
    token = services.partner_invitation_token(invitation)
    before = Partnership.objects.count()
    results = _together(
        lambda: services.partner_invitation_accept_new(
            raw_token=token,
            full_name="A",
            password="a-long-enough-passphrase",
            organisation_name="PT Hotel A",
        ),
        lambda: services.partner_invitation_decline(raw_token=token, reason="No"),
    )
    # Exactly one of the two goes through. The other finds the link used (PostgreSQL waits for the row lock,
    # then re-checks it) or, on SQLite, whose in-memory test database locks whole tables, is refused the lock.
    winners = [r for r in results if isinstance(r, (Partnership, PartnerInvitation))]
    losers = [r for r in results if isinstance(r, (NotFound, OperationalError))]
    assert (len(winners), len(losers)) == (1, 1), results
    invitation = PartnerInvitation.objects.get(pk=invitation.pk)
    accepted = isinstance(winners[0], Partnership)
    assert (invitation.accepted_at is not None, invitation.declined_at is not None) == (
        accepted,
        not accepted,
    )
    assert Partnership.objects.count() == before + (1 if accepted else 0)
    if connection.vendor == "postgresql":
        assert isinstance(losers[0], NotFound)
