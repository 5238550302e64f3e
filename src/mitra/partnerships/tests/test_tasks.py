import pytest
from django.core import mail
from django.core.management import call_command
from tests import factories as f

from mitra.partnerships import services
from mitra.partnerships.models import PartnerInvitation, Side
from mitra.partnerships.tasks import notify_proposal

# The worker commits and closes its connections like the real process does, so these tests need real
# transactions rather than the usual rollback-wrapped test.
pytestmark = pytest.mark.django_db(transaction=True)


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_proposal_notifies_the_recipients_admins_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        p = services.partnership_propose(
            f.actor(world.supplier_member), partner_id=world.foreign.pk, our_side=Side.SUPPLIER
        )
    _work()
    assert [m.to for m in mail.outbox] == [["admin@lain.test"]]
    assert f"/partnerships/{p.pk}/" in mail.outbox[0].body
    services.partnership_accept(f.actor(world.foreign_admin), partnership_id=p.pk)
    assert notify_proposal.call(p.pk) == 0  # no longer a proposal: nothing to tell


def test_partner_invitation_email_is_sent_once_in_the_proposers_language(
    world, django_capture_on_commit_callbacks
):
    world.supplier.language = "en"
    world.supplier.save()
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.partner_invitation_create(
            f.actor(world.supplier_admin),
            email="gm@hotel.test",
            company_name="PT Hotel Nusantara",
            our_side=Side.SUPPLIER,
            message="Mari bermitra.",
        )
    _work()
    _work()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "PT Sumber Rasa Nusantara" in mail.outbox[0].subject
    assert f"/join/{services.partner_invitation_token(inv)}/" in body and "Mari bermitra." in body
    assert PartnerInvitation.objects.get(pk=inv.pk).email_sent_at is not None


def test_a_company_name_with_a_line_break_still_gets_its_email(world, django_capture_on_commit_callbacks):
    world.supplier.name = "PT Sumber\nRasa"
    world.supplier.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.partner_invitation_create(
            f.actor(world.supplier_admin),
            email="gm@hotel.test",
            company_name="PT Hotel",
            our_side=Side.SUPPLIER,
        )
    _work()
    assert len(mail.outbox) == 1 and "\n" not in mail.outbox[0].subject
    assert "PT Sumber Rasa" in mail.outbox[0].subject
