"""Shared fixtures: a small two-sided world and a foreign organisation that must never see it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from tests import factories as f

from mitra.accounts.models import Department, Membership, Organisation, Role
from mitra.partnerships.models import Bridge, Partnership


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request activates its organisation's language for the whole thread; the next test starts in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class World:
    supplier: Organisation
    customer: Organisation
    foreign: Organisation
    partnership: Partnership
    foreign_partnership: Partnership
    bridge: Bridge
    foreign_bridge: Bridge
    supplier_admin: Membership
    supplier_member: Membership
    supplier_viewer: Membership
    customer_admin: Membership
    customer_member: Membership
    foreign_admin: Membership
    supplier_sales: Department
    supplier_finance: Department
    customer_purchasing: Department
    customer_finance: Department


@pytest.fixture
def world(db) -> World:
    supplier = f.OrganisationFactory(name="PT Sumber Rasa Nusantara")
    customer = f.OrganisationFactory(name="PT Ritel Maju Bersama")
    foreign = f.OrganisationFactory(name="PT Orang Lain")
    other_customer = f.OrganisationFactory(name="CV Pelanggan Lain")
    s_sales = f.DepartmentFactory(organisation=supplier, kind=Department.Kind.SALES, name="Sales")
    s_fin = f.DepartmentFactory(organisation=supplier, kind=Department.Kind.FINANCE, name="Finance")
    c_pur = f.DepartmentFactory(organisation=customer, kind=Department.Kind.PURCHASING, name="Purchasing")
    c_fin = f.DepartmentFactory(organisation=customer, kind=Department.Kind.FINANCE, name="Finance")
    partnership = f.PartnershipFactory(supplier=supplier, customer=customer)
    foreign_partnership = f.PartnershipFactory(supplier=foreign, customer=other_customer)
    supplier_admin = f.member(supplier, Role.ADMIN, "admin@sumber.test", [s_sales])
    customer_admin = f.member(customer, Role.ADMIN, "admin@ritel.test", [c_pur])
    bridge = f.BridgeFactory(
        partnership=partnership,
        supplier_department=s_sales,
        customer_department=c_pur,
        supplier_owner=supplier_admin,
        customer_owner=customer_admin,
    )
    foreign_admin = f.member(foreign, Role.ADMIN, "admin@lain.test")
    return World(
        supplier=supplier,
        customer=customer,
        foreign=foreign,
        partnership=partnership,
        foreign_partnership=foreign_partnership,
        bridge=bridge,
        foreign_bridge=f.BridgeFactory(partnership=foreign_partnership),
        supplier_admin=supplier_admin,
        supplier_member=f.member(supplier, Role.MEMBER, "member@sumber.test", [s_fin]),
        supplier_viewer=f.member(supplier, Role.VIEWER, "viewer@sumber.test"),
        customer_admin=customer_admin,
        customer_member=f.member(customer, Role.MEMBER, "member@ritel.test", [c_fin]),
        foreign_admin=foreign_admin,
        supplier_sales=s_sales,
        supplier_finance=s_fin,
        customer_purchasing=c_pur,
        customer_finance=c_fin,
    )
