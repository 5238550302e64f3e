"""Test factories: real records through the real services where a rule matters."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from mitra.accounts.models import Department, Membership, Organisation, Role, User
from mitra.accounts.selectors import actor_from_membership
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Bridge, Partnership, Status

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.co.id")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"PT Contoh {n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} Tbk")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Department.Kind.SALES
    name = factory.Sequence(lambda n: f"Department {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    supplier = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(OrganisationFactory)
    proposed_by = factory.LazyAttribute(lambda o: o.supplier)
    status = Status.ACTIVE


class BridgeFactory(DjangoModelFactory):
    class Meta:
        model = Bridge

    partnership = factory.SubFactory(PartnershipFactory)
    supplier_department = factory.LazyAttribute(
        lambda o: DepartmentFactory(organisation=o.partnership.supplier, kind=Department.Kind.LOGISTICS)
    )
    customer_department = factory.LazyAttribute(
        lambda o: DepartmentFactory(organisation=o.partnership.customer, kind=Department.Kind.LOGISTICS)
    )


def member(
    organisation: Organisation, role: str = Role.MEMBER, email: str | None = None, departments=()
) -> Membership:
    membership = MembershipFactory(
        organisation=organisation, role=role, **({"user": UserFactory(email=email)} if email else {})
    )
    if departments:
        membership.departments.set(departments)
    return membership


def actor(membership: Membership) -> Actor:
    return actor_from_membership(membership)
