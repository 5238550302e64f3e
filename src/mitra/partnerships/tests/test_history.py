from tests import factories as f

from mitra.partnerships import history, services
from mitra.partnerships.models import Status


def test_history_shows_who_changed_what_newest_first(world):
    supplier, customer = f.actor(world.supplier_admin), f.actor(world.customer_admin)
    services.bridge_update(supplier, bridge_id=world.bridge.pk, cadence_days=14)
    services.partnership_set_status(
        customer, partnership_id=world.partnership.pk, status=Status.PAUSED, reason="Audit"
    )
    changes = history.partnership_history(supplier, world.partnership.pk)
    latest, bridge_change = changes[0], changes[1]
    assert (latest.record, latest.action, latest.who) == ("partnership", "~", str(world.customer_admin.user))
    assert bridge_change.who == str(world.supplier_admin.user)
    assert [(c.field, c.old, c.new) for c in latest.fields] == [
        ("status", "Active", "Paused"),
        ("status_reason", "—", "Audit"),
    ]
    assert (bridge_change.record, bridge_change.subject) == ("bridge", "Sales ↔ Purchasing")
    assert [(c.field, c.old, c.new) for c in bridge_change.fields] == [("cadence_days", "30", "14")]
    # Both partners see the same history.
    assert history.partnership_history(customer, world.partnership.pk) == changes


def test_history_of_a_deleted_bridge_is_kept(world):
    services.bridge_delete(f.actor(world.customer_member), bridge_id=world.bridge.pk)
    changes = history.partnership_history(f.actor(world.supplier_admin), world.partnership.pk)
    assert (changes[0].record, changes[0].action, changes[0].subject) == ("bridge", "-", "Sales ↔ Purchasing")


def test_history_hides_bridges_restricted_to_another_department(world):
    services.bridge_update(
        f.actor(world.supplier_admin),
        bridge_id=world.bridge.pk,
        restricted_department_id=world.supplier_sales.pk,
    )
    seen_by_finance = history.partnership_history(f.actor(world.supplier_member), world.partnership.pk)
    assert [c for c in seen_by_finance if c.record == "bridge"] == []


def test_history_runs_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    actor = f.actor(world.supplier_admin)
    for days in range(2, 12):
        services.bridge_update(actor, bridge_id=world.bridge.pk, cadence_days=days)
    with django_assert_num_queries(4):  # partnership, its history, bridge history, owner names
        changes = history.partnership_history(actor, world.partnership.pk)
    assert [c.action for c in changes if c.record == "bridge"] == ["~"] * 10 + ["+"]


def test_history_api_matches_for_both_sides_and_is_404_for_strangers(client, world):
    from tests.apiclient import as_

    services.bridge_update(f.actor(world.supplier_admin), bridge_id=world.bridge.pk, cadence_days=21)
    path = f"/partnerships/{world.partnership.pk}/history"
    supplier_view = as_(client, world, "admin")("GET", path)
    assert supplier_view.status_code == 200
    first = supplier_view.json()[0]
    assert (first["record"], first["action"], first["who"]) == ("bridge", "~", str(world.supplier_admin.user))
    assert first["fields"] == [{"field": "cadence_days", "label": "cadence (days)", "old": "30", "new": "21"}]
    assert as_(client, world, "foreign")("GET", path).status_code == 404
    assert as_(client, world, "anonymous")("GET", path).status_code == 401


def test_partnership_page_shows_the_activity(client, world):
    services.bridge_update(f.actor(world.customer_admin), bridge_id=world.bridge.pk, cadence_days=45)
    client.force_login(world.supplier_member.user)
    client.cookies["mitra_language"] = "en"
    html = client.get(f"/partnerships/{world.partnership.pk}/").content.decode()
    activity = html[html.index('id="activity-list"') :]
    assert str(world.customer_admin.user) in activity
    assert "changed the bridge Sales ↔ Purchasing" in activity
    assert "<del>30</del> → <ins>45</ins>" in activity
