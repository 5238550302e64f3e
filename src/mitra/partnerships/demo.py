"""The demo's contact lists: a few people of each organisation per partnership (the stakeholder map).

Every organisation gets a small pool of people (Indonesian names from Faker ``id_ID``, seeded from the demo's
random source), each with a department of that organisation and a job title that fits it; a partnership lists
a few of each side's pool, preferring the departments its bridges connect. They need not use Mitra: an
e-mail address at the organisation's domain, a phone number and a job title are what the partner knows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from faker import Faker
from simple_history.utils import bulk_create_with_history

from mitra.accounts.models import Department
from mitra.demo.context import DemoContext
from mitra.partnerships.models import Contact, Partnership

# Contacts per side of a partnership, by demo size.
PER_SIDE = {"small": 3, "medium": 2, "large": 1}
POOL = 6
TITLES = {
    "sales": ("Key Account Manager", "Sales Supervisor", "Area Sales Manager"),
    "purchasing": ("Buyer", "Category Manager", "Purchasing Staff"),
    "finance": ("Staf Keuangan", "Finance Supervisor", "AR/AP Officer"),
    "logistics": ("Kepala Gudang", "Logistics Coordinator", "Admin Pengiriman"),
    "marketing": ("Brand Manager", "Trade Marketing Executive"),
    "customer_service": ("Customer Service Officer",),
    "quality": ("QA Supervisor", "Quality Control Staff"),
    "management": ("General Manager", "Direktur Operasional"),
    "it": ("IT Support", "EDI Administrator"),
    "other": ("Staf Administrasi",),
}
NOTES = ("", "", "", "Prefers WhatsApp", "Biasanya di gudang pagi hari", "Approves invoices above Rp50 juta")


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str
    job_title: str
    department: Department | None
    note: str


@contextmanager
def _keeping_dates() -> Iterator[None]:
    """Let the bulk insert keep the given ``created_at``/``updated_at`` instead of stamping now."""
    created, updated = Contact._meta.get_field("created_at"), Contact._meta.get_field("updated_at")
    saved = (created.auto_now_add, updated.auto_now)
    created.auto_now_add = updated.auto_now = False
    try:
        yield
    finally:
        created.auto_now_add, updated.auto_now = saved


def _domain(name: str) -> str:
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w and w not in ("pt", "cv", "tbk", "ud")]
    return "".join(words[:2]) + ".co.id" if words else "mitra.test"


def _pool(
    ctx: DemoContext, fake: Faker, organisation_id: int, name: str, departments: list[Department]
) -> list[Person]:
    domain = _domain(name)
    people: list[Person] = []
    used: set[str] = set()
    for _ in range(POOL):
        first, last = fake.first_name(), fake.last_name()
        local = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower()) or "kontak"
        email = f"{local}@{domain}"
        n = 2
        while email in used:
            email, n = f"{local}{n}@{domain}", n + 1
        used.add(email)
        department = ctx.rng.choice(departments) if departments else None
        titles = TITLES.get(department.kind if department else "other", TITLES["other"])
        people.append(
            Person(
                name=f"{first} {last}"[:120],
                email=email,
                phone=f"+62 8{ctx.rng.randint(11, 59)} {ctx.rng.randint(1000, 9999)} {ctx.rng.randint(1000, 9999)}",
                job_title=ctx.rng.choice(titles),
                department=department,
                note=ctx.rng.choice(NOTES),
            )
        )
    return people


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    fake = Faker("id_ID")
    fake.seed_instance(ctx.rng.randrange(2**31))
    per_side = PER_SIDE.get(ctx.size, 1)
    organisations = {}
    for p in ctx.partnerships:
        organisations[p.supplier_id] = p.supplier.name
        organisations[p.customer_id] = p.customer.name
    departments: dict[int, list[Department]] = {}
    for d in Department.objects.filter(organisation_id__in=organisations).order_by("pk"):
        departments.setdefault(d.organisation_id, []).append(d)
    pools = {
        org_id: _pool(ctx, fake, org_id, name, departments.get(org_id, []))
        for org_id, name in sorted(organisations.items())
    }
    contacts: list[Contact] = []
    for p in ctx.partnerships:
        bridged = {
            d.pk for b in ctx.bridges.get(p.pk, []) for d in (b.supplier_department, b.customer_department)
        }
        when = _created(ctx, p)
        for org_id in (p.supplier_id, p.customer_id):
            pool = pools[org_id]
            # The people of the bridged departments first, then the others.
            ranked = sorted(
                pool, key=lambda person: person.department is None or person.department.pk not in bridged
            )
            for person in ranked[:per_side]:
                c = Contact(
                    partnership=p,
                    organisation_id=org_id,
                    name=person.name,
                    email=person.email,
                    phone=person.phone,
                    job_title=person.job_title,
                    department=person.department,
                    note=person.note,
                    created_at=when,
                    updated_at=when,
                )
                c._history_date = when  # type: ignore[attr-defined]
                contacts.append(c)
    with _keeping_dates():
        bulk_create_with_history(contacts, Contact, batch_size=1000)
    return {"contacts": len(contacts)}


def _created(ctx: DemoContext, p: Partnership) -> dt.datetime:
    """Listed when the partnership was accepted (or when its history starts)."""
    if p.responded_at is not None:
        return min(p.responded_at, ctx.now)
    return dt.datetime.combine(ctx.start_of(p), dt.time(9), tzinfo=ctx.now.tzinfo)
