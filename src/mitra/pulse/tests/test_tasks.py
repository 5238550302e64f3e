from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from tests import factories as f

from mitra.accounts.models import Role
from mitra.core.mail import render_message
from mitra.partnerships.models import Status
from mitra.pulse.models import PulseInvitation, PulseRound, current_quarter
from mitra.pulse.tasks import open_pulse_rounds, send_pulse_invitations
from mitra.threads.models import Event


def test_the_daily_job_opens_one_round_per_active_partnership_and_is_idempotent(
    world, django_capture_on_commit_callbacks
):
    paused = f.PartnershipFactory(status=Status.PAUSED)
    proposed = f.PartnershipFactory(status=Status.PROPOSED)
    with django_capture_on_commit_callbacks() as callbacks:
        assert open_pulse_rounds.call() == 2
    rounds = PulseRound.objects.filter(quarter=current_quarter())
    assert sorted(rounds.values_list("partnership_id", flat=True)) == sorted(
        [world.partnership.pk, world.foreign_partnership.pk]
    )
    assert not PulseRound.objects.filter(partnership__in=[paused, proposed]).exists()
    assert len(callbacks) == 2  # one invitations job per round
    assert Event.objects.filter(kind="pulse", verb="opened").count() == 2
    assert all(r.history.count() == 1 for r in rounds)
    assert all(r.closes_at > timezone.now() for r in rounds)

    with django_capture_on_commit_callbacks() as callbacks:
        assert open_pulse_rounds.call() == 0
    assert PulseRound.objects.count() == 2
    assert callbacks == []


def test_the_daily_job_skips_a_partnership_whose_admin_opened_the_round(world, pulse_round):
    assert open_pulse_rounds.call() == 1  # only the foreign partnership
    assert PulseRound.objects.filter(partnership=world.partnership).count() == 1


def test_the_daily_job_is_set_based(world, django_assert_max_num_queries):
    for _ in range(10):
        f.PartnershipFactory()
    with django_assert_max_num_queries(8):
        assert open_pulse_rounds.call() == 12


def test_invitations_go_once_to_each_respondent_in_their_language(
    world, pulse_round, mailoutbox, monkeypatch
):
    from mitra.pulse import tasks

    languages: dict[str, str] = {}

    def render(template, context, language):
        languages[context["member"].user.email] = language
        return render_message(template, context, language)

    monkeypatch.setattr(tasks, "render_message", render)
    world.supplier.language = "en"
    world.supplier.save()
    world.customer.language = "id"
    world.customer.save()
    buyer = f.member(world.customer, Role.MEMBER, "buyer@ritel.test", [world.customer_purchasing])
    f.member(world.customer, Role.VIEWER, "viewer@ritel.test", [world.customer_purchasing])
    assert send_pulse_invitations.call(pulse_round.pk) == 3
    by_recipient = {m.to[0]: m for m in mailoutbox}
    # Owners of both ends and the Purchasing member; not Finance, not viewers, not strangers.
    assert sorted(by_recipient) == sorted(
        [world.supplier_admin.user.email, world.customer_admin.user.email, buyer.user.email]
    )
    assert "Relationship pulse" in by_recipient[world.supplier_admin.user.email].subject
    assert languages == {
        world.supplier_admin.user.email: "en",
        world.customer_admin.user.email: "id",
        buyer.user.email: "id",
    }
    assert f"/partnerships/{world.partnership.pk}/pulse/" in by_recipient[buyer.user.email].body
    # Again: nobody is e-mailed twice.
    assert send_pulse_invitations.call(pulse_round.pk) == 0
    assert len(mailoutbox) == 3
    assert PulseInvitation.objects.filter(round=pulse_round, sent_at__isnull=False).count() == 3


def test_invitations_for_a_closed_or_missing_round_send_nothing(world, pulse_round, mailoutbox):
    PulseRound.objects.filter(pk=pulse_round.pk).update(
        opened_at=timezone.now() - timezone.timedelta(days=200),
        closes_at=timezone.now() - timezone.timedelta(days=1),
    )
    assert send_pulse_invitations.call(pulse_round.pk) == 0
    assert send_pulse_invitations.call(999999) == 0
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_scheduled_job_and_the_invitations(world, mailoutbox):
    from mitra.core.schedule import SCHEDULE, run_due

    ours = tuple(item for item in SCHEDULE if item.job == "mitra.pulse.tasks.open_pulse_rounds")
    assert [item.every for item in ours] == ["daily"]
    assert run_due(schedule=ours) == ["mitra.pulse.tasks.open_pulse_rounds"]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert PulseRound.objects.filter(partnership=world.partnership).count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert sorted(m.to[0] for m in mailoutbox if world.partnership.supplier.name in m.subject) == sorted(
        [world.supplier_admin.user.email, world.customer_admin.user.email]
    )
