"""The demo world as a plan: plain data drawn deterministically from a seed, before anything is written.

``build_plan(size, seed)`` returns the same plan for the same size and seed (``random.Random(seed)`` and a
seeded ``Faker("id_ID")``), and a different one for another seed. Dates are kept as offsets from the day
the plan is written, so the world always looks current. Pure Python: no Django imports.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field, replace

from faker import Faker

from mitra.demo import catalogue as c

SIZES: dict[str, tuple[int, int]] = {
    # size: (organisations, partnerships), the hand-written core included
    "small": (len(c.CORE_ORGANISATIONS), len(c.CORE_PARTNERSHIPS)),
    "medium": (30, 60),
    "large": (200, 1000),
}

SUPPLIER_PROFILES = ("manufacturer", "private_label")
CUSTOMER_PROFILES = ("retailer", "distributor", "hospitality", "private_label")

# Weights of the generated companies' profiles: mostly customers, a quarter makers, some on both sides.
PROFILE_WEIGHTS: dict[str, int] = {
    "manufacturer": 25,
    "distributor": 35,
    "retailer": 15,
    "hospitality": 12,
    "private_label": 13,
}
STATUS_WEIGHTS: dict[str, int] = {"active": 75, "proposed": 8, "paused": 10, "ended": 7}
TIER_WEIGHTS: dict[str, int] = {"strategic": 10, "key": 35, "developing": 40, "transactional": 15}

PLACES: tuple[c.Place, ...] = (
    c.Place("Jakarta Utara", "DKI Jakarta", "Asia/Jakarta"),
    c.Place("Tangerang", "Banten", "Asia/Jakarta"),
    c.Place("Bandung", "Jawa Barat", "Asia/Jakarta"),
    c.Place("Bogor", "Jawa Barat", "Asia/Jakarta"),
    c.Place("Cirebon", "Jawa Barat", "Asia/Jakarta"),
    c.Place("Semarang", "Jawa Tengah", "Asia/Jakarta"),
    c.Place("Solo", "Jawa Tengah", "Asia/Jakarta"),
    c.Place("Yogyakarta", "DI Yogyakarta", "Asia/Jakarta"),
    c.Place("Surabaya", "Jawa Timur", "Asia/Jakarta"),
    c.Place("Malang", "Jawa Timur", "Asia/Jakarta"),
    c.Place("Pasuruan", "Jawa Timur", "Asia/Jakarta"),
    c.Place("Medan", "Sumatera Utara", "Asia/Jakarta"),
    c.Place("Palembang", "Sumatera Selatan", "Asia/Jakarta"),
    c.Place("Pekanbaru", "Riau", "Asia/Jakarta"),
    c.Place("Padang", "Sumatera Barat", "Asia/Jakarta"),
    c.Place("Bandar Lampung", "Lampung", "Asia/Jakarta"),
    c.Place("Pontianak", "Kalimantan Barat", "Asia/Jakarta"),
    c.Place("Balikpapan", "Kalimantan Timur", "Asia/Makassar"),
    c.Place("Banjarmasin", "Kalimantan Selatan", "Asia/Makassar"),
    c.Place("Makassar", "Sulawesi Selatan", "Asia/Makassar"),
    c.Place("Manado", "Sulawesi Utara", "Asia/Makassar"),
    c.Place("Denpasar", "Bali", "Asia/Makassar"),
    c.Place("Mataram", "Nusa Tenggara Barat", "Asia/Makassar"),
    c.Place("Kupang", "Nusa Tenggara Timur", "Asia/Makassar"),
    c.Place("Ambon", "Maluku", "Asia/Jayapura"),
    c.Place("Jayapura", "Papua", "Asia/Jayapura"),
)

# fmt: off
NAME_WORDS = (
    "Sinar", "Mega", "Abadi", "Jaya", "Makmur", "Sentosa", "Sejahtera", "Mandiri", "Berkah", "Harapan",
    "Karya", "Cipta", "Bintang", "Surya", "Mulia", "Prima", "Lestari", "Agung", "Citra", "Mitra",
    "Anugerah", "Gemilang", "Utama", "Perkasa", "Kencana", "Samudra", "Bumi", "Tirta", "Dharma", "Wijaya",
)
# fmt: on
PROFILE_WORDS: dict[str, tuple[str, ...]] = {
    "manufacturer": (
        "Food Industri",
        "Pangan Lestari",
        "Kosmetika",
        "Minuman Segar",
        "Snack Indonesia",
        "Home Care",
    ),
    "distributor": ("Distribusi", "Niaga", "Logistik Niaga", "Perdagangan", "Distrindo"),
    "retailer": ("Swalayan", "Retailindo", "Mart", "Hypermarket"),
    "hospitality": ("Hotel & Resort", "Katering", "Hospitality"),
    "private_label": ("Pangan Distribusi", "Agro Niaga", "Packindo"),
}
LEGAL_FORMS = ("PT", "PT", "PT", "CV")

GOALS = (
    "Ketersediaan di rak ≥ 95% dan forecast bersama 13 minggu.",
    "Pengiriman tepat waktu dan lengkap (OTIF) ≥ 95% menjelang Lebaran.",
    "Selisih faktur dan harga di bawah 0,5%; pembayaran tepat 30 hari.",
    "Grow joint sales 15% a year with promotions planned together.",
    "Cut write-offs of short-dated stock by half through shared stock plans.",
    "Quarterly business review with both boards; one improvement initiative per quarter.",
    "Stok gudang distributor maksimum tiga minggu; order dari rencana bersama, bukan push order.",
)
# Why a partnership was lost, by how it was lost: soured (a few months of strain first) or sudden (no warning).
REASONS: dict[str, dict[str, tuple[str, ...]]] = {
    "paused": {
        "soured": (
            "Menunggu penyelesaian tunggakan pembayaran.",
            "Paused after three quarters of late and short deliveries.",
        ),
        "sudden": (
            "Paused while the new DC in Surabaya opens.",
            "Ditunda: pelanggan sedang diakuisisi grup ritel lain.",
        ),
    },
    "ended": {
        "soured": (
            "Kontrak tidak diperpanjang setelah keluhan mutu berulang.",
            "Ended after repeated disputes over invoices and credit notes.",
        ),
        "sudden": (
            "The customer moved the category to another supplier.",
            "Perusahaan diakuisisi; kategori dipindahkan ke pemasok grup.",
        ),
    },
}
# The loss of a paused or ended partnership: between 3 and 12 months ago, at least ~6 months after its start.
LOSS_DAYS_AGO = (90, 365)
MIN_LIFE_DAYS = 180
SOURED_SHARE = 2 / 3  # the others are lost suddenly, green until the end
SOURING_DAYS = (120, 180)  # how long a souring partnership strains before it is lost


@dataclass(frozen=True)
class OrganisationPlan:
    key: str
    name: str
    legal_name: str
    domain: str
    city: str
    province: str
    time_zone: str
    language: str
    profile: str
    departments: tuple[tuple[str, str], ...]  # (kind, name)

    @property
    def is_supplier_capable(self) -> bool:
        return self.profile in SUPPLIER_PROFILES

    @property
    def is_customer_capable(self) -> bool:
        return self.profile in CUSTOMER_PROFILES

    def department_name(self, kind: str) -> str | None:
        return next((name for k, name in self.departments if k == kind), None)


@dataclass(frozen=True)
class PersonPlan:
    organisation: str  # OrganisationPlan.key
    email: str
    full_name: str
    role: str
    job_title: str
    departments: tuple[str, ...]  # department names


@dataclass(frozen=True)
class BridgePlan:
    supplier_department: str
    customer_department: str
    supplier_owner: str | None  # e-mail
    customer_owner: str | None
    cadence_days: int


@dataclass(frozen=True)
class PartnershipPlan:
    supplier: str
    customer: str
    status: str
    tier: str
    proposed_by: str  # organisation key
    start_days_ago: int
    review_cadence_days: int
    goals: str
    message: str
    reason: str
    bridges: tuple[BridgePlan, ...]
    # Paused/ended ones: when that happened (days before the plan is written) and how long the partnership
    # strained first (0: lost suddenly, with no warning). None/0 for the others.
    lost_days_ago: int | None = None
    souring_days: int = 0
    # How long before its start the partnership was proposed.
    proposed_days_before: int = 0


@dataclass
class DemoPlan:
    """Everything the demo world is made of, ready to be written."""

    size: str
    seed: int
    organisations: list[OrganisationPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    partnerships: list[PartnershipPlan] = field(default_factory=list)

    def organisation(self, key: str) -> OrganisationPlan:
        return next(o for o in self.organisations if o.key == key)


class _Builder:
    """Draws the plan. All randomness comes from ``rng`` and ``fake``, both seeded, in a fixed order."""

    def __init__(self, size: str, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.plan = DemoPlan(size=size, seed=seed)
        self.emails: set[str] = set()
        self.names: set[str] = set()
        self.domains: set[str] = set()
        self.staff_of: dict[str, list[PersonPlan]] = {}

    # --- people -----------------------------------------------------------------------------------

    def person_name(self) -> tuple[str, str]:
        if self.rng.random() < 0.5:
            return self.fake.first_name_female(), self.fake.last_name_female()
        return self.fake.first_name_male(), self.fake.last_name_male()

    def email_for(self, first: str, last: str, domain: str) -> str:
        local = f"{_ascii_slug(first, '')}.{_ascii_slug(last, '')}".strip(".") or "staf"
        email, n = f"{local}@{domain}", 2
        while email in self.emails:
            email, n = f"{local}{n}@{domain}", n + 1
        self.emails.add(email)
        return email

    def staff(self, org: OrganisationPlan, kinds: tuple[str, ...]) -> None:
        """People of one organisation: the first is its admin, the last of three or more a viewer."""
        people = []
        for i, kind in enumerate(kinds):
            if i == 0:
                role = "admin"
            elif i == len(kinds) - 1 and len(kinds) >= 3:
                role = "viewer"
            else:
                role = "member"
            first, last = self.person_name()
            department = org.department_name(kind) or org.departments[0][1]
            departments = [department]
            # Admins of small companies usually also sit in management.
            management = org.department_name(c.MANAGEMENT)
            if role == "admin" and management and management != department and self.rng.random() < 0.5:
                departments.append(management)
            titles = c.JOB_TITLES.get(kind, ("Staf",))
            people.append(
                PersonPlan(
                    organisation=org.key,
                    email=self.email_for(first, last, org.domain),
                    full_name=f"{first} {last}",
                    role=role,
                    job_title=titles[0] if i == 0 else self.rng.choice(titles),
                    departments=tuple(departments),
                )
            )
        self.staff_of[org.key] = people
        self.plan.people.extend(people)

    def colleagues(self, org: OrganisationPlan, kinds: tuple[str, ...], per_department: int = 2) -> None:
        """More members in each staffed department, so that a department is a team, not one person (a
        relationship pulse shows a bridge's results only from three answers on)."""
        for kind in dict.fromkeys(kinds):
            department = org.department_name(kind) or org.departments[0][1]
            titles = c.JOB_TITLES.get(kind, ("Staf",))
            for _ in range(per_department):
                first, last = self.person_name()
                self.plan.people.append(
                    PersonPlan(
                        organisation=org.key,
                        email=self.email_for(first, last, org.domain),
                        full_name=f"{first} {last}",
                        role="member",
                        job_title=self.rng.choice(titles),
                        departments=(department,),
                    )
                )

    # --- organisations ----------------------------------------------------------------------------

    def core(self) -> None:
        for core in c.CORE_ORGANISATIONS:
            org = OrganisationPlan(
                key=core.key,
                name=core.name,
                legal_name=core.legal_name,
                domain=core.domain,
                city=core.place.city,
                province=core.place.province,
                time_zone=core.place.time_zone,
                language=core.language,
                profile=core.profile,
                departments=c.DEPARTMENTS[core.profile],
            )
            self.names.add(org.name.lower())
            self.domains.add(org.domain)
            self.plan.organisations.append(org)
            self.staff(org, core.staff)

    def generated(self, count: int) -> None:
        profiles, weights = list(PROFILE_WEIGHTS), list(PROFILE_WEIGHTS.values())
        for i in range(count):
            profile = self.rng.choices(profiles, weights)[0]
            place = self.rng.choice(PLACES)
            name = self.company_name(profile)
            domain = self.domain_for(name)
            org = OrganisationPlan(
                key=f"org{i:04d}",
                name=name,
                legal_name=f"{name} Tbk" if name.startswith("PT ") and self.rng.random() < 0.1 else name,
                domain=domain,
                city=place.city,
                province=place.province,
                time_zone=place.time_zone,
                language="en" if self.rng.random() < 0.2 else "id",
                profile=profile,
                departments=c.DEPARTMENTS[profile],
            )
            self.plan.organisations.append(org)
            people = self.rng.randint(2, 5)
            kinds = [kind for kind, _name in org.departments if kind != c.MANAGEMENT]
            self.staff(org, (c.MANAGEMENT, *(self.rng.choice(kinds) for _ in range(people - 1))))

    def company_name(self, profile: str) -> str:
        while True:
            words = self.rng.sample(NAME_WORDS, 2)
            name = f"{self.rng.choice(LEGAL_FORMS)} {words[0]} {words[1]} {self.rng.choice(PROFILE_WORDS[profile])}"
            if name.lower() not in self.names:
                self.names.add(name.lower())
                return name

    def domain_for(self, name: str) -> str:
        stem = _ascii_slug(re.sub(r"^(PT|CV) ", "", name), "")[:24]
        domain, n = f"{stem}.example", 2
        while domain in self.domains:
            domain, n = f"{stem}{n}.example", n + 1
        self.domains.add(domain)
        return domain

    # --- partnerships -----------------------------------------------------------------------------

    def owner(self, org_key: str, department: str) -> str | None:
        """Who owns a bridge end: a member of that department, else the organisation's admin."""
        people = self.staff_of[org_key]
        in_department = [p for p in people if department in p.departments and p.role != "viewer"]
        if in_department:
            return in_department[0].email
        admins = [p for p in people if p.role == "admin"]
        return admins[0].email if admins else None

    def bridges(
        self, supplier: OrganisationPlan, customer: OrganisationPlan, wanted: tuple[tuple[str, int], ...]
    ) -> tuple[BridgePlan, ...]:
        result = []
        for kind, cadence in wanted:
            s_name = supplier.department_name(kind)
            c_name = customer.department_name(c.COUNTERPART[kind])
            if s_name is None or c_name is None:
                continue
            result.append(
                BridgePlan(
                    supplier_department=s_name,
                    customer_department=c_name,
                    supplier_owner=self.owner(supplier.key, s_name),
                    customer_owner=self.owner(customer.key, c_name),
                    cadence_days=cadence,
                )
            )
        return tuple(result)

    def core_partnerships(self) -> None:
        for core in c.CORE_PARTNERSHIPS:
            supplier, customer = self.plan.organisation(core.supplier), self.plan.organisation(core.customer)
            self.plan.partnerships.append(
                PartnershipPlan(
                    supplier=supplier.key,
                    customer=customer.key,
                    status=core.status,
                    tier=core.tier,
                    proposed_by=supplier.key if core.proposed_by == "supplier" else customer.key,
                    start_days_ago=core.months_ago * 30 + self.rng.randint(0, 20),
                    review_cadence_days=core.review_cadence_days,
                    goals=core.goals,
                    message=core.message,
                    reason=core.reason,
                    bridges=self.bridges(supplier, customer, core.bridges),
                )
            )

    def generated_partnerships(self, target: int) -> None:
        suppliers = [o for o in self.plan.organisations if o.is_supplier_capable]
        customers = [o for o in self.plan.organisations if o.is_customer_capable]
        pairs = {(p.supplier, p.customer) for p in self.plan.partnerships}
        statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        tiers, tier_weights = list(TIER_WEIGHTS), list(TIER_WEIGHTS.values())
        attempts = 0
        while len(self.plan.partnerships) < target and attempts < target * 20:
            attempts += 1
            supplier, customer = self.rng.choice(suppliers), self.rng.choice(customers)
            if supplier.key == customer.key or (supplier.key, customer.key) in pairs:
                continue
            pairs.add((supplier.key, customer.key))
            status = self.rng.choices(statuses, status_weights)[0]
            kinds = [
                k
                for k in c.COUNTERPART
                if supplier.department_name(k) and customer.department_name(c.COUNTERPART[k])
            ]
            # About one in six is single-threaded on purpose: one bridge, one person on each end.
            count = (
                1 if self.rng.random() < 0.17 else self.rng.randint(2, len(kinds)) if len(kinds) > 1 else 1
            )
            wanted = tuple(
                (k, self.rng.choice((7, 14, 30, 30, 60)))
                for k in self.rng.sample(kinds, min(count, len(kinds)))
            )
            self.plan.partnerships.append(
                PartnershipPlan(
                    supplier=supplier.key,
                    customer=customer.key,
                    status=status,
                    tier=self.rng.choices(tiers, tier_weights)[0],
                    proposed_by=self.rng.choice((supplier.key, customer.key)),
                    start_days_ago=0 if status == "proposed" else self.rng.randint(30, 730),
                    review_cadence_days=self.rng.choice((30, 60, 90, 90, 180)),
                    goals="\n".join(self.rng.sample(GOALS, self.rng.randint(1, 3))),
                    message="",
                    reason=self.rng.choice(REASONS[status]["sudden"]) if status in REASONS else "",
                    bridges=() if status == "proposed" else self.bridges(supplier, customer, wanted),
                )
            )

    def losses(self) -> None:
        """Give every paused or ended partnership its story: when it was lost, whether it soured first or
        went suddenly, and a reason to match; and every partnership the day it was proposed. Drawn from a
        second generator seeded from the plan's seed, so that the rest of a seed's world stays as it was."""
        rng = random.Random(self.plan.seed * 104_729 + 31)
        core_story = {(core.supplier, core.customer): core.story for core in c.CORE_PARTNERSHIPS}
        for i, p in enumerate(self.plan.partnerships):
            lead = rng.randint(5, 30)
            if p.status not in REASONS:
                self.plan.partnerships[i] = replace(p, proposed_days_before=lead)
                continue
            lost = rng.randint(*LOSS_DAYS_AGO)
            start = p.start_days_ago
            if start < lost + MIN_LIFE_DAYS:
                start = lost + MIN_LIFE_DAYS + rng.randint(0, 60)
            story = core_story.get((p.supplier, p.customer)) or (
                "soured" if rng.random() < SOURED_SHARE else "sudden"
            )
            souring = rng.randint(*SOURING_DAYS) if story == "soured" else 0
            reason = p.reason if (p.supplier, p.customer) in core_story else ""
            self.plan.partnerships[i] = replace(
                p,
                start_days_ago=start,
                lost_days_ago=lost,
                souring_days=min(souring, start - lost),
                reason=reason or rng.choice(REASONS[p.status][story]),
                proposed_days_before=lead,
            )


def build_plan(size: str = "small", seed: int = 1) -> DemoPlan:
    """The demo world of a size, drawn from a seed."""
    if size not in SIZES:
        raise ValueError(f"Unknown demo size {size!r}; choose one of {', '.join(SIZES)}.")
    organisations, partnerships = SIZES[size]
    builder = _Builder(size, seed)
    builder.core()
    builder.generated(organisations - len(c.CORE_ORGANISATIONS))
    builder.core_partnerships()
    builder.generated_partnerships(partnerships)
    builder.losses()
    # Last, so that drawing them leaves every other person and partnership of a seed as it was.
    for core in c.CORE_ORGANISATIONS:
        builder.colleagues(builder.plan.organisation(core.key), core.staff)
    return builder.plan


def _ascii_slug(text: str, sep: str = "-") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, ascii_text.lower()).strip(sep)


def build_bench_plan(partnerships: int, seed: int = 1, per_organisation: int = 5) -> DemoPlan:
    """A plan sized for benchmarks: ``partnerships`` partnerships (the hand-written core included) among
    about ``partnerships / per_organisation`` organisations, drawn like the named sizes (same profiles,
    statuses, tiers, bridges and people). The named sizes in ``SIZES`` are not affected."""
    if partnerships < len(c.CORE_PARTNERSHIPS):
        raise ValueError(f"A bench plan needs at least {len(c.CORE_PARTNERSHIPS)} partnerships.")
    organisations = max(len(c.CORE_ORGANISATIONS) + 10, partnerships // per_organisation)
    builder = _Builder(f"bench{partnerships}", seed)
    builder.core()
    builder.generated(organisations - len(c.CORE_ORGANISATIONS))
    builder.core_partnerships()
    builder.generated_partnerships(partnerships)
    builder.losses()
    for core in c.CORE_ORGANISATIONS:
        builder.colleagues(builder.plan.organisation(core.key), core.staff)
    return builder.plan
