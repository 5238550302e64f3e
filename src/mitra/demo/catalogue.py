"""The hand-written core of the demo world: real-sounding Indonesian companies and their partnerships.

Every size starts from this core, so the demo logins of the small world exist in the medium and large
worlds too. Names, cities and goals are fixed here; the people are drawn from Faker ``id_ID`` with the seed.
Pure data: no Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass

# Department kinds (the values of ``accounts.models.Department.Kind``), repeated here to keep this module pure.
SALES = "sales"
PURCHASING = "purchasing"
FINANCE = "finance"
LOGISTICS = "logistics"
MARKETING = "marketing"
CUSTOMER_SERVICE = "customer_service"
QUALITY = "quality"
MANAGEMENT = "management"

# Which customer department a supplier department meets: the bridges of a partnership.
COUNTERPART: dict[str, str] = {
    SALES: PURCHASING,
    LOGISTICS: LOGISTICS,
    FINANCE: FINANCE,
    QUALITY: QUALITY,
    MARKETING: MARKETING,
}

# Department names by profile: (kind, own name). The own names are what these companies really call them.
DEPARTMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "manufacturer": (
        (MANAGEMENT, "Direksi"),
        (SALES, "Sales & Key Account"),
        (LOGISTICS, "Supply Chain & Logistik"),
        (FINANCE, "Finance & Accounting"),
        (QUALITY, "Quality Assurance"),
        (MARKETING, "Trade Marketing"),
        (CUSTOMER_SERVICE, "Customer Service"),
    ),
    "retailer": (
        (MANAGEMENT, "Direksi"),
        (PURCHASING, "Merchandising & Purchasing"),
        (LOGISTICS, "DC Operations"),
        (FINANCE, "Finance (Account Payable)"),
        (QUALITY, "Quality Control"),
        (MARKETING, "Category Management"),
    ),
    "distributor": (
        (MANAGEMENT, "Direksi"),
        (PURCHASING, "Purchasing"),
        (SALES, "Sales"),
        (LOGISTICS, "Gudang & Pengiriman"),
        (FINANCE, "Finance"),
    ),
    "private_label": (
        (MANAGEMENT, "Direksi"),
        (PURCHASING, "Purchasing"),
        (SALES, "Sales Private Label"),
        (LOGISTICS, "Gudang & Pengiriman"),
        (FINANCE, "Finance"),
        (QUALITY, "Quality Assurance"),
        (MARKETING, "Brand & Private Label"),
    ),
    "hospitality": (
        (MANAGEMENT, "Direksi"),
        (PURCHASING, "Procurement"),
        (LOGISTICS, "Receiving & Store"),
        (FINANCE, "Finance"),
        (QUALITY, "Food Safety & Hygiene"),
    ),
}

# Job titles by department kind, first the senior one.
JOB_TITLES: dict[str, tuple[str, ...]] = {
    MANAGEMENT: ("Direktur Utama", "Direktur Operasional", "General Manager"),
    SALES: ("Key Account Manager", "Sales Manager", "Sales Supervisor"),
    PURCHASING: ("Purchasing Manager", "Buyer", "Senior Buyer"),
    LOGISTICS: ("Logistics Manager", "Demand Planner", "Kepala Gudang", "DC Manager"),
    FINANCE: ("Finance Manager", "AR Officer", "AP Officer"),
    QUALITY: ("QA Manager", "QC Supervisor"),
    MARKETING: ("Category Manager", "Trade Marketing Manager", "Brand Manager"),
    CUSTOMER_SERVICE: ("Customer Service Lead",),
}


@dataclass(frozen=True)
class Place:
    city: str
    province: str
    time_zone: str


@dataclass(frozen=True)
class CoreOrganisation:
    """One of the hand-written companies of the demo world."""

    key: str
    name: str
    legal_name: str
    domain: str
    place: Place
    profile: str
    description: str
    language: str = "id"
    # Kinds of the departments people work in, in hiring order: the first is the admin's.
    staff: tuple[str, ...] = ()


@dataclass(frozen=True)
class CorePartnership:
    """A hand-written partnership: who supplies whom, its state and charter, and its bridges."""

    supplier: str
    customer: str
    status: str
    tier: str
    proposed_by: str  # "supplier" or "customer"
    months_ago: int
    review_cadence_days: int
    goals: str
    # (supplier department kind, cadence in days); the customer end is its COUNTERPART.
    bridges: tuple[tuple[str, int], ...]
    reason: str = ""
    message: str = ""
    # Paused/ended ones: "soured" (months of strain before the loss) or "sudden" (lost with no warning).
    story: str = ""


SIDOARJO = Place("Sidoarjo", "Jawa Timur", "Asia/Jakarta")
BEKASI = Place("Bekasi", "Jawa Barat", "Asia/Jakarta")

CORE_ORGANISATIONS: tuple[CoreOrganisation, ...] = (
    CoreOrganisation(
        key="sumber_rasa",
        name="PT Sumber Rasa Nusantara",
        legal_name="PT Sumber Rasa Nusantara Tbk",
        domain="sumberrasa.example",
        place=SIDOARJO,
        profile="manufacturer",
        description="Food and beverage manufacturer: instant noodles, snacks and ready-to-drink tea.",
        staff=(MANAGEMENT, SALES, LOGISTICS, FINANCE, QUALITY),
    ),
    CoreOrganisation(
        key="cahaya_bersih",
        name="PT Cahaya Bersih Indonesia",
        legal_name="PT Cahaya Bersih Indonesia",
        domain="cahayabersih.example",
        place=BEKASI,
        profile="manufacturer",
        description="Personal-care maker: soap, shampoo and toothpaste, plant in Cikarang.",
        language="en",
        staff=(SALES, MARKETING, LOGISTICS, FINANCE),
    ),
    CoreOrganisation(
        key="ritel_maju",
        name="PT Ritel Maju Bersama",
        legal_name="PT Ritel Maju Bersama Tbk",
        domain="ritelmaju.example",
        place=Place("Jakarta Selatan", "DKI Jakarta", "Asia/Jakarta"),
        profile="retailer",
        description="Modern-trade chain, 420 stores; DCs in Cikarang, Surabaya, Medan and Makassar.",
        staff=(PURCHASING, MARKETING, LOGISTICS, FINANCE, QUALITY),
    ),
    CoreOrganisation(
        key="distribusi_jawa",
        name="PT Distribusi Jawa Sejahtera",
        legal_name="PT Distribusi Jawa Sejahtera",
        domain="distribusijawa.example",
        place=Place("Semarang", "Jawa Tengah", "Asia/Jakarta"),
        profile="distributor",
        description="Regional distributor for Central Java and Yogyakarta, 3,000 outlets.",
        staff=(MANAGEMENT, PURCHASING, LOGISTICS),
    ),
    CoreOrganisation(
        key="andalas",
        name="CV Andalas Niaga Distribusi",
        legal_name="CV Andalas Niaga Distribusi",
        domain="andalasniaga.example",
        place=Place("Medan", "Sumatera Utara", "Asia/Jakarta"),
        profile="distributor",
        description="Regional distributor for North Sumatra and Aceh.",
        staff=(PURCHASING, FINANCE),
    ),
    CoreOrganisation(
        key="celebes",
        name="PT Celebes Mitra Distribusi",
        legal_name="PT Celebes Mitra Distribusi",
        domain="celebesmitra.example",
        place=Place("Makassar", "Sulawesi Selatan", "Asia/Makassar"),
        profile="distributor",
        description="Regional distributor for South and Central Sulawesi.",
        staff=(MANAGEMENT, PURCHASING, FINANCE),
    ),
    CoreOrganisation(
        key="griya_hotel",
        name="PT Griya Boga Hotel & Katering",
        legal_name="PT Griya Boga Hospitality",
        domain="griyaboga.example",
        place=Place("Denpasar", "Bali", "Asia/Makassar"),
        profile="hospitality",
        description="Hotel and catering group: 12 hotels in Bali and Lombok, airline and event catering.",
        language="en",
        staff=(PURCHASING, QUALITY, LOGISTICS),
    ),
    CoreOrganisation(
        key="pangan_sentosa",
        name="PT Pangan Sentosa Abadi",
        legal_name="PT Pangan Sentosa Abadi",
        domain="pangansentosa.example",
        place=Place("Surabaya", "Jawa Timur", "Asia/Jakarta"),
        profile="private_label",
        description="East Java distributor that also packs private-label rice, sugar and cooking oil for retailers.",
        staff=(MANAGEMENT, PURCHASING, SALES, QUALITY),
    ),
)

CORE_PARTNERSHIPS: tuple[CorePartnership, ...] = (
    CorePartnership(
        supplier="sumber_rasa",
        customer="ritel_maju",
        status="active",
        tier="strategic",
        proposed_by="supplier",
        months_ago=26,
        review_cadence_days=90,
        goals=(
            "Ketersediaan di rak (OSA) ≥ 97% di semua DC, juga menjelang Ramadan dan Lebaran.\n"
            "Forecast bersama 13 minggu ke depan; pesanan dari rencana bersama, bukan push order.\n"
            "Selisih faktur dan harga < 0,5% dari nilai tagihan."
        ),
        bridges=((SALES, 14), (LOGISTICS, 7), (FINANCE, 30), (QUALITY, 30), (MARKETING, 30)),
    ),
    CorePartnership(
        supplier="sumber_rasa",
        customer="distribusi_jawa",
        status="active",
        tier="key",
        proposed_by="supplier",
        months_ago=20,
        review_cadence_days=90,
        goals=(
            "Perluas distribusi ke 1.000 warung baru di Jawa Tengah.\n"
            "Pengiriman tepat waktu dan lengkap (OTIF) ≥ 95%."
        ),
        bridges=((SALES, 14), (LOGISTICS, 7), (FINANCE, 30)),
    ),
    CorePartnership(
        supplier="sumber_rasa",
        customer="andalas",
        status="active",
        tier="developing",
        proposed_by="customer",
        months_ago=9,
        review_cadence_days=120,
        goals="Grow Sumatra volume 20% a year; agree a joint stock plan before Lebaran.",
        # On purpose: everything hangs on one sales-purchasing bridge and one person on each end.
        bridges=((SALES, 30),),
    ),
    CorePartnership(
        supplier="sumber_rasa",
        customer="griya_hotel",
        status="proposed",
        tier="key",
        proposed_by="customer",
        months_ago=0,
        review_cadence_days=90,
        goals="Food-service packs for 12 hotels with fixed prices per semester and weekly deliveries to Bali.",
        bridges=(),
        message="We would like to buy directly rather than through a wholesaler. Can we meet in Surabaya next month?",
    ),
    CorePartnership(
        supplier="sumber_rasa",
        customer="pangan_sentosa",
        status="active",
        tier="key",
        proposed_by="supplier",
        months_ago=15,
        review_cadence_days=60,
        goals="Distributor utama Jawa Timur; stok gudang maksimum 3 minggu, pembayaran 30 hari.",
        bridges=((SALES, 14), (FINANCE, 30)),
    ),
    CorePartnership(
        supplier="cahaya_bersih",
        customer="ritel_maju",
        status="active",
        tier="key",
        proposed_by="supplier",
        months_ago=24,
        review_cadence_days=90,
        goals=(
            "Promotions planned together with forecasts agreed six weeks ahead.\n"
            "Cut out-of-stocks on shampoo sachets in the Medan and Makassar DCs by half."
        ),
        bridges=((SALES, 14), (LOGISTICS, 7), (MARKETING, 21)),
    ),
    CorePartnership(
        supplier="cahaya_bersih",
        customer="celebes",
        status="paused",
        tier="developing",
        proposed_by="customer",
        months_ago=18,
        review_cadence_days=90,
        goals="Distribusi eksklusif Sulawesi Selatan dengan target 600 toko.",
        bridges=((SALES, 30), (FINANCE, 14)),
        reason="Ditunda sampai tunggakan pembayaran 90 hari diselesaikan.",
        story="soured",
    ),
    CorePartnership(
        supplier="cahaya_bersih",
        customer="pangan_sentosa",
        status="ended",
        tier="transactional",
        proposed_by="supplier",
        months_ago=23,
        review_cadence_days=180,
        goals="Trial distribution of soap in East Java.",
        bridges=((SALES, 30),),
        reason="The distributor moved to its own private-label soap.",
        story="sudden",
    ),
    CorePartnership(
        supplier="cahaya_bersih",
        customer="griya_hotel",
        status="active",
        tier="developing",
        proposed_by="customer",
        months_ago=7,
        review_cadence_days=90,
        goals="Hotel amenities (soap, shampoo) for 12 hotels with quarterly price review.",
        # On purpose: a single bridge with one person on each end.
        bridges=((SALES, 30),),
    ),
    CorePartnership(
        supplier="pangan_sentosa",
        customer="ritel_maju",
        status="active",
        tier="key",
        proposed_by="customer",
        months_ago=14,
        review_cadence_days=90,
        goals=(
            "Beras, gula dan minyak goreng merek Ritel Maju (private label) dengan standar mutu bersama.\n"
            "Audit mutu pabrik dua kali setahun; retur < 1%."
        ),
        bridges=((SALES, 14), (QUALITY, 30), (LOGISTICS, 7)),
    ),
)
