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


def test_a_bearer_header_does_not_bypass_required_mfa(world, client):
    from mitra.accounts import services

    world.supplier.require_mfa = True
    world.supplier.save()
    client.force_login(world.supplier_member.user)
    bogus = {"Authorization": "Bearer not-a-token"}
    page = client.get("/partnerships/", headers=bogus)
    assert page.status_code == 302 and page["Location"] == "/accounts/2fa/totp/activate/"
    api = client.get("/api/v1/partnerships", headers=bogus)
    assert api.status_code == 403 and api.json()["code"] == "mfa_required"
    # A real token of a member without MFA is refused too, and cannot mint more tokens.
    _token, raw = services.api_token_create(f.actor(world.supplier_member), name="old")
    real = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert real.status_code == 403 and real.json()["code"] == "mfa_required"


def test_required_mfa_also_guards_the_join_and_invitation_pages(world, client):
    world.supplier.require_mfa = True
    world.supplier.save()
    client.force_login(world.supplier_admin.user)
    for path in ("/join/some-token/", "/invitations/some-token/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"


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


def test_admin_sign_in_goes_through_allauth(world, client):
    response = client.post("/admin/login/", {"username": "admin@sumber.test", "password": f.PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_nobody_can_change_their_sign_in_address(world, client):
    client.force_login(world.supplier_member.user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "ceo@victim.example"})
    assert response.status_code == 404
    world.supplier_member.user.refresh_from_db()
    assert world.supplier_member.user.email == "member@sumber.test"


def test_behind_a_trusted_proxy_the_security_log_records_the_client(world, client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client.post(
        "/accounts/login/",
        {"login": "member@sumber.test", "password": "wrong"},
        headers={"X-Forwarded-For": "203.0.113.7"},
        REMOTE_ADDR="10.0.0.5",
    )
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).latest("created_at")
    assert event.ip_address == "203.0.113.7"
