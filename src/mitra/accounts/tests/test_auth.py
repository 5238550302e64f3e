from allauth.mfa.models import Authenticator
from tests import factories as f

from mitra.accounts.models import SecurityEvent


def test_required_mfa_sends_members_to_authenticator_setup(world, client):
    world.supplier.require_mfa = True
    world.supplier.save()
    client.force_login(world.supplier_member.user)
    response = client.get("/partnerships/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["code"] == "mfa_required"
    Authenticator.objects.create(
        user=world.supplier_member.user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert client.get("/partnerships/", follow=False).status_code != 302


def test_mfa_rule_applies_only_to_that_organisation(world, client):
    world.supplier.require_mfa = True
    world.supplier.save()
    client.force_login(world.customer_member.user)
    assert client.get("/partnerships/").status_code != 302


def test_failed_logins_are_rate_limited_and_logged(world, client):
    pages = [
        client.post(
            "/accounts/login/", {"login": "member@sumber.test", "password": f"wrong-{i}"}
        ).content.decode()
        for i in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # Even the right password is refused while the limit holds.
    right = client.post("/accounts/login/", {"login": "member@sumber.test", "password": f.PASSWORD})
    assert right.status_code == 200 and "_auth_user_id" not in client.session
    failed = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.LOGIN_FAILED, organisation=world.supplier
    ).count()
    assert failed >= 5
