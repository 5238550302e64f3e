"""The layout, the organisation and language switches, error pages, and money and dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from tests import factories as f

from mitra.accounts.models import Role
from mitra.core.middleware import ORGANISATION_SESSION_KEY
from mitra.web import formatting


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        (1234567, "IDR", "id", "Rp1.234.567"),
        (Decimal("1234567.6"), "IDR", "en", "Rp1.234.568"),
        (1500.5, "USD", "id", "US$1.500,50"),
        (None, "IDR", "id", ""),
    ],
)
def test_money(amount, currency, language, expected):
    assert formatting.money(amount, currency, language).replace("\xa0", " ") == expected


def test_money_filter_uses_the_active_language():
    template = Template("{% load mitra_web %}{{ amount|money:'IDR' }}|{{ day|ldate }}")
    with translation.override("id"):
        rendered = template.render(Context({"amount": 2500000, "day": dt.date(2025, 3, 31)}))
    assert rendered == "Rp2.500.000|31 Mar 2025"
    with translation.override("en"):
        assert Template("{% load mitra_web %}{{ day|ldate:'long' }}").render(
            Context({"day": dt.date(2025, 3, 31)})
        ) == ("31 March 2025")
    with translation.override("id"):
        assert Template("{% load mitra_web %}{{ day|ldate:'long' }}").render(
            Context({"day": dt.date(2025, 3, 31)})
        ) == ("31 Maret 2025")


def test_home_redirects_to_my_partnerships(world, client):
    client.force_login(world.supplier_admin.user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"] == reverse("partnerships:list")


def test_layout_has_navigation_language_switch_and_logout_by_post(world, client):
    client.force_login(world.supplier_admin.user)
    content = client.get(reverse("partnerships:list")).content.decode()
    assert 'action="/i18n/setlang/"' in content and 'name="language" value="id"' in content
    assert 'action="/accounts/logout/"' in content
    assert "PT Sumber Rasa Nusantara" in content
    assert 'id="orgswitch"' not in content  # one membership: no switcher


def test_switch_organisation_for_a_person_in_two(world, client):
    f.MembershipFactory(user=world.supplier_admin.user, organisation=world.customer, role=Role.VIEWER)
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    assert 'id="orgswitch"' in client.get(reverse("partnerships:list")).content.decode()
    response = client.post(
        reverse("web:switch_organisation"), {"organisation": world.customer.pk, "next": "/settings/"}
    )
    assert response.status_code == 302 and response["Location"] == "/settings/"
    assert client.session[ORGANISATION_SESSION_KEY] == world.customer.pk
    rows = client.get(reverse("partnerships:list")).context["rows"]
    assert [(r.partner.name, r.side) for r in rows] == [("PT Sumber Rasa Nusantara", "customer")]


def test_switch_to_an_organisation_one_is_not_in_is_refused(world, client):
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    response = client.post(
        reverse("web:switch_organisation"), {"organisation": world.foreign.pk}, follow=True
    )
    assert "You are not a member of that organisation." in response.content.decode()
    assert ORGANISATION_SESSION_KEY not in client.session


def test_switch_never_redirects_off_site(world, client):
    client.force_login(world.supplier_admin.user)
    response = client.post(
        reverse("web:switch_organisation"),
        {"organisation": world.supplier.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("partnerships:list")


def test_language_switch_sets_the_cookie(world, client):
    client.force_login(world.supplier_admin.user)
    response = client.post("/i18n/setlang/", {"language": "id", "next": "/partnerships/"})
    assert response.status_code == 302 and client.cookies["mitra_language"].value == "id"
    assert '<html lang="id">' in client.get("/partnerships/").content.decode()


def test_unknown_page_is_our_404(db, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Not found" in content and "web/mitra.css" in content


def test_sign_in_and_mfa_pages_use_our_layout(world, client):
    content = client.get(reverse("account_login")).content.decode()
    assert "Sign in to Mitra" in content and "web/mitra.css" in content
    assert "sign up" not in content.lower()
    client.force_login(world.supplier_admin.user)
    content = client.get(reverse("mfa_index")).content.decode()
    assert "web/mitra.css" in content and 'class="topbar"' in content


def test_not_found_shows_a_reason_only_when_a_view_gave_one(db, client):
    assert "Resolver404" not in client.get("/no-such-page/").content.decode()
    content = client.get(reverse("accounts:invitation", args=["inv_bad"])).content.decode()
    assert "This invitation link is not valid. It may have expired or been used already." in content


def test_server_error_page_is_self_contained(rf):
    from mitra.web.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
