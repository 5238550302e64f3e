"""Input that PostgreSQL cannot store answers 400 naming the field, on every page, never a 500."""

from __future__ import annotations

from tests.dbstate import db_state


def test_nul_in_a_query_parameter_is_a_400_naming_it(client, world):
    client.force_login(world.supplier_admin.user)
    response = client.get("/partnerships/propose/?q=%00")
    assert response.status_code == 400
    assert response.content.decode() == "The field q contains a NUL character, which is not allowed."


def test_nul_in_a_form_field_is_a_400_and_writes_nothing(client, world):
    client.force_login(world.supplier_admin.user)
    before = db_state()
    response = client.post(
        f"/partnerships/{world.partnership.pk}/status/",
        {"status": "paused", "reason": "a\x00b", "version": "1"},
    )
    assert response.status_code == 400 and "reason" in response.content.decode()
    assert db_state() == before
