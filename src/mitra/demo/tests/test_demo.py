"""The demo world: deterministic, two-sided, realistic, and every login signs in."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from mitra.accounts.models import Department, Membership, Organisation, Role, User
from mitra.demo import catalogue as c
from mitra.demo.generator import build_plan
from mitra.demo.services import DEMO_PASSWORD
from mitra.partnerships.models import Bridge, Partnership, Status


def demo(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def world() -> tuple[list[str], list[str]]:
    return (
        list(Organisation.objects.order_by("name").values_list("name", flat=True)),
        list(User.objects.order_by("email").values_list("email", flat=True)),
    )


# --- the plan (pure) -------------------------------------------------------------------------------------


def test_same_seed_same_plan_and_other_seed_other_people():
    assert build_plan("small", 3) == build_plan("small", 3)
    emails_3 = {p.email for p in build_plan("small", 3).people}
    emails_4 = {p.email for p in build_plan("small", 4).people}
    assert emails_3 != emails_4
    # The hand-written companies are the same in every world; the generated ones follow the seed.
    assert [o.name for o in build_plan("small", 3).organisations] == [
        o.name for o in build_plan("small", 4).organisations
    ]
    assert [o.name for o in build_plan("medium", 3).organisations] != [
        o.name for o in build_plan("medium", 4).organisations
    ]


@pytest.mark.parametrize(
    ("size", "orgs", "partnerships"), [("small", 8, 10), ("medium", 30, 60), ("large", 200, 1000)]
)
def test_plan_sizes(size, orgs, partnerships):
    plan = build_plan(size, 1)
    assert len(plan.organisations) == orgs
    assert len(plan.partnerships) == partnerships
    assert len({o.name.lower() for o in plan.organisations}) == orgs
    assert len({p.email for p in plan.people}) == len(plan.people)
    pairs = [(p.supplier, p.customer) for p in plan.partnerships]
    assert len(set(pairs)) == len(pairs)
    per_org = {o.key: 0 for o in plan.organisations}
    for person in plan.people:
        per_org[person.organisation] += 1
    assert min(per_org.values()) >= 2
    assert (
        max(per_org.values()) <= 15
    )  # up to five key people, and two colleagues in each of their departments
    core = {o.key for o in c.CORE_ORGANISATIONS}
    assert all(per_org[key] >= 6 for key in core)  # the core companies' departments are teams


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="Unknown demo size 'huge'"):
        build_plan("huge", 1)


# --- the small world in the database ------------------------------------------------------------------------


@pytest.mark.django_db
def test_small_world_is_two_sided_and_realistic():
    out, _err = demo("--size", "small", "--seed", "1")
    assert "8 organisations" in out
    assert "10 partnerships" in out
    assert DEMO_PASSWORD in out

    partnerships = list(Partnership.objects.all())
    suppliers = {p.supplier_id for p in partnerships}
    customers = {p.customer_id for p in partnerships}
    assert len(suppliers) >= 2
    assert len(customers) >= 6
    both = Organisation.objects.filter(pk__in=suppliers & customers)
    assert list(both.values_list("name", flat=True)) == ["PT Pangan Sentosa Abadi"]

    sumber = Organisation.objects.get(name="PT Sumber Rasa Nusantara")
    cahaya = Organisation.objects.get(name="PT Cahaya Bersih Indonesia")
    assert sumber.pk in suppliers
    assert cahaya.pk in suppliers
    assert sumber.time_zone == "Asia/Jakarta"
    assert Organisation.objects.get(name="PT Celebes Mitra Distribusi").time_zone == "Asia/Makassar"

    # Some pairs that could be partners are not.
    pairs = {(p.supplier_id, p.customer_id) for p in partnerships}
    open_pairs = [(s, c) for s in suppliers for c in customers if s != c and (s, c) not in pairs]
    assert len(open_pairs) >= 3

    statuses = sorted(p.status for p in partnerships)
    assert statuses.count(Status.ACTIVE) == 7
    assert statuses.count(Status.PROPOSED) == 1
    assert statuses.count(Status.PAUSED) == 1
    assert statuses.count(Status.ENDED) == 1
    proposed = Partnership.objects.get(status=Status.PROPOSED)
    assert proposed.bridges.count() == 0
    assert proposed.start_date is None
    assert Partnership.objects.get(status=Status.PAUSED).status_reason != ""

    bridge_counts = sorted(p.bridges.count() for p in partnerships if p.status == Status.ACTIVE)
    assert bridge_counts.count(1) == 2  # single-threaded on purpose
    assert bridge_counts[-1] == 5  # Sumber Rasa and the retail chain meet on every level
    assert Bridge.objects.count() == 21


@pytest.mark.django_db
def test_small_world_people_roles_and_departments():
    demo("--size", "small")
    for org in Organisation.objects.all():
        members = Membership.objects.filter(organisation=org)
        # Two to five key people, and two colleagues in each of their departments.
        assert 2 <= members.count() <= 15, org.name
        assert members.filter(role=Role.ADMIN).count() == 1, org.name
        for membership in members:
            departments = list(membership.departments.all())
            assert departments, membership
            assert {d.organisation_id for d in departments} == {org.pk}
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {Role.ADMIN, Role.MEMBER, Role.VIEWER}
    kinds = set(
        Department.objects.filter(organisation__name="PT Ritel Maju Bersama").values_list("kind", flat=True)
    )
    assert {"purchasing", "logistics", "finance", "quality", "marketing"} <= kinds


@pytest.mark.django_db
def test_bridges_respect_the_rules_the_services_enforce():
    demo("--size", "medium", "--seed", "5")
    assert Organisation.objects.count() == 30
    assert Partnership.objects.count() == 60
    for bridge in Bridge.objects.select_related(
        "partnership", "supplier_department", "customer_department", "supplier_owner", "customer_owner"
    ):
        p = bridge.partnership
        assert p.status != Status.PROPOSED
        assert bridge.supplier_department.organisation_id == p.supplier_id
        assert bridge.customer_department.organisation_id == p.customer_id
        assert bridge.supplier_owner is not None and bridge.supplier_owner.organisation_id == p.supplier_id
        assert bridge.customer_owner is not None and bridge.customer_owner.organisation_id == p.customer_id
        assert 1 <= bridge.cadence_days <= 366
    assert not Partnership.objects.filter(supplier_id=F("customer_id")).exists()
    # History rows are written as the services would leave them: proposed, then accepted, then lost.
    rows = {"proposed": 1, "active": 2, "paused": 3, "ended": 3}
    assert Partnership.history.count() == sum(rows[p.status] for p in Partnership.objects.all())
    assert Bridge.history.count() == Bridge.objects.count()


@pytest.mark.django_db
def test_large_world_is_written_in_bulk():
    out, _ = demo("--size", "large")
    assert "200 organisations" in out
    assert Organisation.objects.count() == 200
    assert Partnership.objects.count() == 1000
    assert Partnership.objects.filter(status=Status.ACTIVE).count() > 600
    assert Bridge.objects.count() > 2000


@pytest.mark.django_db
def test_same_seed_writes_the_same_world_and_another_seed_another():
    demo("--size", "small", "--seed", "11")
    first = world()
    demo("--reset", "--size", "small", "--seed", "11")
    assert world() == first
    demo("--reset", "--size", "small", "--seed", "12")
    names, emails = world()
    assert names == first[0]  # the same companies
    assert emails != first[1]  # other people


@pytest.mark.django_db
def test_refuses_a_database_with_organisations_unless_reset():
    demo()
    with pytest.raises(CommandError, match=r"already has 8 organisation\(s\)\. Use --reset"):
        demo("--size", "small")
    assert Organisation.objects.count() == 8
    out, _ = demo("--reset", "--size", "medium")
    assert "30 organisations" in out
    assert Organisation.objects.count() == 30


@pytest.mark.django_db
def test_logins_are_json_only_and_every_login_signs_in():
    out, err = demo("--size", "small", "--logins")
    assert "8 organisations" in err  # the summary goes to stderr, stdout is JSON only
    logins = json.loads(out)
    assert (
        len(logins) == User.objects.count() == 87
    )  # 29 key people and two colleagues in each of their departments
    assert set(logins[0]) == {"email", "password", "organisation", "departments", "role"}
    orgs = {login["organisation"] for login in logins}
    assert len(orgs) == 8
    for login in logins:
        assert login["password"] == DEMO_PASSWORD
        assert login["role"] in {"admin", "member", "viewer"}
        assert login["departments"]
        user = authenticate(None, username=login["email"], password=login["password"])
        assert user is not None, login["email"]
        assert user.memberships.get().organisation.name == login["organisation"]
    # Alone, --logins reads the database and writes nothing.
    again, _ = demo("--logins")
    assert json.loads(again) == logins
    assert Organisation.objects.count() == 8


@pytest.mark.django_db
def test_logins_leave_out_people_with_another_password():
    demo()
    User.objects.create_user("someone@else.example", "another-password-123")
    emails = {login["email"] for login in json.loads(demo("--logins")[0])}
    assert "someone@else.example" not in emails
    assert len(emails) == 87
