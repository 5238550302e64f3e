"""Discussion threads through the API: who may comment, edit and delete; mentions; notifications."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests import factories as f
from tests.apiclient import Api, check
from tests.contracts import threads as contract

from mitra.accounts.models import Role
from mitra.partnerships.models import Status
from mitra.threads import services
from mitra.threads.models import Comment, Event, Mention, Notification
from mitra.threads.subjects import available_kinds, subject_model

from .conftest import thread_path


def _comment(world, risk, who, body="Mari kita bahas.", mention_ids=()):
    return services.comment_create(
        f.actor(who),
        partnership_id=world.partnership.pk,
        kind="risk",
        object_id=risk.pk,
        body=body,
        mention_ids=list(mention_ids),
    )


# --- commenting -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supplier_member", "customer_admin", "customer_member"])
def test_writers_of_either_side_comment_as_their_side(client, world, risk, who):
    membership = getattr(world, who)
    api = Api(client, membership)
    answer = check(api, "POST", thread_path(world, risk), {"body": "  Kita siapkan rencana B.  "}, 201).json()
    assert answer["body"] == "Kita siapkan rencana B."
    assert answer["author"]["id"] == membership.pk
    assert answer["author_side"] == ("supplier" if who.startswith("supplier") else "customer")
    assert answer["mine"] is True
    comment = Comment.objects.get(pk=answer["id"])
    assert comment.history.count() == 1
    assert comment.history.first().history_user == membership.user


def test_the_side_comes_from_the_organisation_not_the_body(client, world, risk):
    api = Api(client, world.customer_admin)
    answer = check(
        api, "POST", thread_path(world, risk), {"body": "Halo", "author_side": "supplier"}, 201
    ).json()
    assert answer["author_side"] == "customer"


def test_viewers_read_but_cannot_comment(client, world, risk):
    _comment(world, risk, world.supplier_admin)
    api = Api(client, world.supplier_viewer)
    assert len(check(api, "GET", thread_path(world, risk), None, 200).json()["items"]) == 1
    check(api, "POST", thread_path(world, risk), {"body": "Boleh?"}, 403)


def test_strangers_get_404_and_leave_no_trace(client, world, risk):
    api = Api(client, world.foreign_admin)
    check(api, "GET", thread_path(world, risk), None, 404)
    check(api, "POST", thread_path(world, risk), {"body": "Hai"}, 404)


def test_a_record_of_another_partnership_or_missing_or_unknown_kind_is_not_found(client, world, risk):
    api = Api(client, world.supplier_admin)
    other = f.PartnershipFactory(supplier=world.supplier)
    check(api, "POST", f"/partnerships/{other.pk}/threads/risk/{risk.pk}/comments", {"body": "x"}, 404)
    check(
        api, "POST", f"/partnerships/{world.partnership.pk}/threads/risk/999999/comments", {"body": "x"}, 404
    )
    check(api, "GET", f"/partnerships/{world.partnership.pk}/threads/banana/{risk.pk}/comments", None, 422)


@pytest.mark.parametrize("kind", available_kinds())
def test_every_registered_kind_with_a_model_resolves_a_missing_record_as_404(client, world, kind):
    api = Api(client, world.supplier_admin)
    assert subject_model(kind) is not None
    check(
        api,
        "POST",
        f"/partnerships/{world.partnership.pk}/threads/{kind}/987654/comments",
        {"body": "x"},
        404,
    )


def test_kinds_whose_model_does_not_exist_are_not_found(client, world, risk, monkeypatch):
    from mitra.threads import subjects

    monkeypatch.setitem(subjects.SUBJECTS, "plan", "plans.NoSuchModel")
    api = Api(client, world.supplier_admin)
    check(
        api,
        "POST",
        f"/partnerships/{world.partnership.pk}/threads/plan/{risk.pk}/comments",
        {"body": "x"},
        404,
    )


def test_an_ended_partnership_is_read_only(client, world, risk):
    _comment(world, risk, world.supplier_admin)
    type(world.partnership).objects.filter(pk=world.partnership.pk).update(status=Status.ENDED)
    api = Api(client, world.supplier_admin)
    assert check(api, "GET", thread_path(world, risk), None, 200).json()["count"] == 1
    check(api, "POST", thread_path(world, risk), {"body": "Masih?"}, 409)


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001])
def test_a_comment_needs_text_of_at_most_4000_characters(client, world, risk, body):
    api = Api(client, world.supplier_admin)
    errors = check(api, "POST", thread_path(world, risk), {"body": body}, 422).json()["errors"]
    assert errors[0]["field"] == "body"


def test_a_restricted_records_thread_is_restricted_alike(client, world, risk):
    risk.restricted_department = world.supplier_finance
    risk.save()
    sales = f.member(world.supplier, Role.MEMBER, "sales@sumber.test", [world.supplier_sales])
    # The finance member, the admins and the other side see the record and its thread.
    answer = check(
        Api(client, world.supplier_member), "POST", thread_path(world, risk), {"body": "Rahasia"}, 201
    )
    comment = Comment.objects.get(pk=answer.json()["id"])
    assert comment.restricted_department_id == world.supplier_finance.pk
    assert (
        check(Api(client, world.customer_member), "GET", thread_path(world, risk), None, 200).json()["count"]
        == 1
    )
    check(Api(client, sales), "GET", thread_path(world, risk), None, 404)
    check(Api(client, sales), "POST", thread_path(world, risk), {"body": "Saya?"}, 404)
    # ... and its event on the timeline is hidden from them too.
    timeline = f"/partnerships/{world.partnership.pk}/timeline"
    assert check(Api(client, sales), "GET", timeline, None, 200).json()["count"] == 0
    assert check(Api(client, world.customer_member), "GET", timeline, None, 200).json()["count"] == 1


def test_the_comment_list_runs_in_a_fixed_number_of_queries(client, world, risk):
    api = Api(client, world.supplier_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api("GET", thread_path(world, risk))
        assert response.status_code == 200
        return len(captured.captured_queries)

    for _ in range(2):
        _comment(world, risk, world.customer_admin, "Satu @x", [world.supplier_member.pk])
    queries()  # the first call of a token also records its use
    small = queries()
    for i in range(18):
        _comment(
            world,
            risk,
            world.supplier_admin if i % 2 else world.customer_member,
            "Lagi",
            [world.customer_admin.pk],
        )
    assert queries() == small
    assert api("GET", thread_path(world, risk)).json()["count"] == 20


# --- editing and deleting ---------------------------------------------------------------------------------


def test_authors_edit_their_own_comment_with_history_and_a_version(client, world, risk):
    comment = _comment(world, risk, world.customer_admin, "Versi pertama")
    api = Api(client, world.customer_admin)
    answer = check(
        api, "PATCH", thread_path(world, risk, f"/{comment.pk}"), {"body": "Versi kedua", "version": 1}, 200
    ).json()
    assert answer["body"] == "Versi kedua" and answer["version"] == 2 and answer["edited_at"]
    assert comment.history.count() == 2
    assert comment.history.first().history_user == world.customer_admin.user
    check(api, "PATCH", thread_path(world, risk, f"/{comment.pk}"), {"body": "Basi", "version": 1}, 409)
    event = Event.objects.get(verb="commented", object_id=risk.pk)
    assert event.detail == "Versi kedua"


@pytest.mark.parametrize("who", ["customer_member", "supplier_admin"])
def test_nobody_edits_or_deletes_someone_elses_comment(client, world, risk, who):
    comment = _comment(world, risk, world.customer_admin)
    api = Api(client, getattr(world, who))
    check(api, "PATCH", thread_path(world, risk, f"/{comment.pk}"), {"body": "Diubah"}, 403)
    check(api, "DELETE", thread_path(world, risk, f"/{comment.pk}"), None, 403)


def test_viewers_cannot_edit_or_delete(client, world, risk):
    comment = _comment(world, risk, world.supplier_admin)
    api = Api(client, world.supplier_viewer)
    check(api, "PATCH", thread_path(world, risk, f"/{comment.pk}"), {"body": "Diubah"}, 403)
    check(api, "DELETE", thread_path(world, risk, f"/{comment.pk}"), None, 403)


def test_a_comment_is_reached_only_through_its_own_thread(client, world, risk):
    comment = _comment(world, risk, world.supplier_admin)
    other = contract.subject(world, "Kenaikan harga gula")
    api = Api(client, world.supplier_admin)
    check(api, "PATCH", thread_path(world, other, f"/{comment.pk}"), {"body": "Pindah"}, 404)
    check(api, "DELETE", thread_path(world, other, f"/{comment.pk}"), None, 404)


def test_authors_delete_their_own_comment_and_its_event(client, world, risk):
    comment = _comment(world, risk, world.supplier_member, "Salah tulis", [world.customer_admin.pk])
    assert Event.objects.filter(verb="commented").count() == 1
    api = Api(client, world.supplier_member)
    check(api, "DELETE", thread_path(world, risk, f"/{comment.pk}"), None, 204)
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert comment.history.filter(history_type="-").exists()
    assert Event.objects.filter(verb="commented").count() == 0
    assert not Notification.objects.filter(comment_id=comment.pk).exists()


# --- mentions and notifications ---------------------------------------------------------------------------


def test_mentions_by_id_notify_people_of_either_side(client, world, risk):
    api = Api(client, world.supplier_admin)
    answer = check(
        api,
        "POST",
        thread_path(world, risk),
        {"body": "Tolong dicek", "mention_ids": [world.customer_admin.pk, world.supplier_member.pk]},
        201,
    ).json()
    assert {m["id"] for m in answer["mentions"]} == {world.customer_admin.pk, world.supplier_member.pk}
    verbs = dict(Notification.objects.values_list("recipient_id", "verb"))
    # Both mentioned; the owner (customer member) is told of a comment; the author is not told.
    assert verbs == {
        world.customer_admin.pk: "mentioned",
        world.supplier_member.pk: "mentioned",
        world.customer_member.pk: "commented",
    }
    n = Notification.objects.get(recipient=world.customer_admin)
    assert n.kind == "risk" and n.object_id == risk.pk and n.actor == world.supplier_admin.user
    assert n.title == risk.title and n.url.endswith(f"#comment-{answer['id']}")


def test_earlier_commenters_are_told_of_new_comments(world, risk):
    _comment(world, risk, world.supplier_member, "Pertama")
    _comment(world, risk, world.customer_admin, "Kedua")
    assert Notification.objects.filter(recipient=world.supplier_member, verb="commented").count() == 1
    assert not Notification.objects.filter(recipient=world.customer_admin).exists()


@pytest.mark.parametrize("outsider", ["foreign_admin", "inactive", "missing"])
def test_mentioning_someone_outside_the_partnership_is_refused(client, world, risk, outsider):
    if outsider == "inactive":
        m = f.member(world.customer, Role.MEMBER, "gone@ritel.test")
        m.is_active = False
        m.save()
        mention = m.pk
    elif outsider == "missing":
        mention = 2_000_000
    else:
        mention = world.foreign_admin.pk
    api = Api(client, world.supplier_admin)
    response = check(
        api, "POST", thread_path(world, risk), {"body": "Halo", "mention_ids": [mention]}, 422
    ).json()
    assert response["errors"][0]["field"] == "mention_ids"


def test_mentioning_someone_who_cannot_see_the_record_is_refused(client, world, risk):
    risk.restricted_department = world.supplier_finance
    risk.save()
    sales = f.member(world.supplier, Role.MEMBER, "sales@sumber.test", [world.supplier_sales])
    api = Api(client, world.customer_admin)
    response = check(
        api, "POST", thread_path(world, risk), {"body": "x", "mention_ids": [sales.pk]}, 422
    ).json()
    assert response["errors"][0]["field"] == "mention_ids"


def test_at_full_name_in_the_text_mentions_a_member(world, risk):
    budi = world.customer_member.user
    budi.full_name = "Budi Santoso"
    budi.save()
    short = f.member(world.customer, Role.MEMBER, "budi@ritel.test")
    short.user.full_name = "Budi"
    short.user.save()
    outsider = world.foreign_admin.user
    outsider.full_name = "Sari Dewi"
    outsider.save()
    comment = _comment(world, risk, world.supplier_admin, "Halo @budi santoso, dan @Sari Dewi: cek ya.")
    assert set(Mention.objects.filter(comment=comment).values_list("membership_id", flat=True)) == {
        world.customer_member.pk
    }
    assert Notification.objects.get(recipient=world.customer_member).verb == "mentioned"


def test_editing_notifies_only_the_newly_mentioned(world, risk):
    comment = _comment(world, risk, world.supplier_admin, "Awal", [world.customer_admin.pk])
    before = Notification.objects.count()
    services.comment_update(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        comment_id=comment.pk,
        body="Tambah orang",
        mention_ids=[world.customer_admin.pk, world.supplier_member.pk],
    )
    assert Notification.objects.count() == before + 1
    assert Notification.objects.filter(recipient=world.supplier_member, verb="mentioned").exists()
    services.comment_update(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        comment_id=comment.pk,
        body="Kurangi",
        mention_ids=[world.supplier_member.pk],
    )
    assert set(comment.mentions.values_list("membership_id", flat=True)) == {world.supplier_member.pk}


def test_notifications_are_own_and_can_be_marked_read(client, world, risk):
    _comment(world, risk, world.supplier_admin, "Satu", [world.customer_admin.pk])
    _comment(world, risk, world.supplier_member, "Dua", [world.customer_admin.pk])
    mine = Api(client, world.customer_admin)
    items = check(mine, "GET", "/notifications?unread=true", None, 200).json()["items"]
    assert len(items) == 2 and {i["verb"] for i in items} == {"mentioned"}
    # Someone else cannot read or mark mine.
    check(Api(client, world.customer_member), "POST", f"/notifications/{items[0]['id']}/read", None, 404)
    check(Api(client, world.foreign_admin), "POST", f"/notifications/{items[0]['id']}/read", None, 404)
    answer = check(mine, "POST", f"/notifications/{items[0]['id']}/read", None, 200).json()
    assert answer["read_at"]
    assert check(mine, "GET", "/notifications?unread=true", None, 200).json()["count"] == 1
    assert check(mine, "POST", "/notifications/read-all", None, 200).json() == {"marked_read": 1}
    assert check(mine, "GET", "/notifications?unread=true", None, 200).json()["count"] == 0
    assert check(mine, "GET", "/notifications", None, 200).json()["count"] == 2


def test_a_refused_comment_notifies_nobody(client, world, risk):
    api = Api(client, world.supplier_admin)
    check(
        api,
        "POST",
        thread_path(world, risk),
        {"body": "x", "mention_ids": [world.customer_admin.pk, 2_000_000]},
        422,
    )
    assert not Notification.objects.exists() and not Event.objects.exists()
