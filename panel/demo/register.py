"""A realistic, fictional industry for the demo: Parties in every category, Groups, N data, users.

Idempotent: every row is looked up by a natural key before it is created.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import (
    Affiliation,
    Category,
    CorporateGroup,
    CvaSite,
    IdnoOtso,
    MeteringSnapshot,
    Party,
    PartyCategoryMembership,
    PartyRepresentative,
    Role,
    Suspension,
    User,
)
from .notice_bodies import seed_notice_bodies

DEMO_PASSWORD = "dcusa-demo-2026!"
# Fixed TOTP keys so the demo can show how to sign in with a second factor.
DEMO_TOTP_KEYS = {
    "secretariat": "3132333435363738393031323334353637383930",
    "voter": "4142434445464748494a4b4c4d4e4f5051525354",
}
ORIGIN = dt.date(2006, 10, 5)  # the agreement's date

DNO_GROUPS = [
    ("Albion Power Networks", ["East Midlands", "West Midlands", "South Wales", "South West"]),
    ("Northern Grid Holdings", ["North East", "Yorkshire"]),
    ("Thames Distribution Group", ["London", "South Eastern", "Eastern"]),
    ("Caledonian & Southern Networks", ["North of Scotland", "Southern"]),
    ("Pennine Electricity", ["North West"]),
    ("Mersey & Dee Power", ["Merseyside and North Wales"]),
    ("Clyde Valley Distribution", ["South of Scotland"]),
]

SUPPLIER_GROUPS = [
    (
        "Brightwater Energy Group",
        ["Brightwater Energy", "Brightwater Business", "Brightwater Home"],
    ),
    ("Octant Holdings", ["Octant Energy", "Octant Business Energy", "Octant Export"]),
    ("Kestrel Utilities", ["Kestrel Power", "Kestrel Retail", "Kestrel Gas & Power"]),
    ("Saltire Energy Group", ["Saltire Energy", "Saltire Business", "Saltire Prepay"]),
    ("Meridian Power Holdings", ["Meridian Power", "Meridian Commercial", "Meridian Green"]),
    ("Harbour Energy Retail", ["Harbour Energy", "Harbour Business", "Harbour Flex"]),
    ("Northstar Energy", ["Northstar Supply", "Northstar Business", "Northstar Community"]),
    ("Lumen Group", ["Lumen Energy", "Lumen Business", "Lumen Smart"]),
    ("Cobalt Energy Group", ["Cobalt Energy", "Cobalt Industrial", "Cobalt Retail"]),
    ("Fenland Power Group", ["Fenland Power", "Fenland Business", "Fenland Renewables Supply"]),
]
SOLO_SUPPLIERS = [
    "Ember Energy",
    "Tidewater Supply",
    "Greenmoor Energy",
    "Pylon Power",
    "Riverside Electric",
    "Orchard Energy",
    "Beacon Supply",
    "Copperleaf Energy",
    "Heathland Power",
    "Quayside Energy",
    "Summit Electricity",
    "Foxglove Energy",
    "Granite Power",
    "Wrenfield Energy",
    "Solent Supply",
    "Bramble Energy",
    "Crag Energy",
    "Dunmore Power",
    "Elmstead Electric",
    "Fairway Energy",
    "Glenrock Supply",
    "Hollin Power",
    "Ironbridge Energy",
    "Juniper Supply",
    "Kingfisher Power",
    "Larkspur Energy",
    "Marsh Lane Power",
    "Nettlebed Energy",
    "Oakhurst Supply",
    "Penrose Power",
]
# Millions of metering points for the largest Groups, thousands for most.
SUPPLIER_SIZES = [
    4_900_000,
    3_800_000,
    2_900_000,
    2_100_000,
    1_400_000,
    900_000,
    520_000,
    310_000,
    150_000,
    95_000,
]

IDNOS = [
    ("Independent Networks Co", "Greenfield Networks Group"),
    ("Greenfield Utilities Networks", "Greenfield Networks Group"),
    ("Last Mile Electricity", None),
    ("Envoy Distribution", None),
    ("Fulcrum Power Networks", None),
    ("Harlaxton Networks", None),
    ("Utility Assets Distribution", None),
    ("Vattenfall-style Networks", None),
    ("Energy Assets Networks", None),
    ("Leep Networks", None),
    ("Murphy Power Distribution", None),
    ("Eclipse Power Networks", None),
    ("Brookfield Utilities Distribution", None),
    ("Forbury Networks", None),
]
CVA_NAMES = [
    "Dogger Wind Farm",
    "Hornsea Array Generation",
    "Trent Valley Power Station",
    "Severn Storage",
    "Moray Offshore Wind",
    "Humber Gateway Generation",
    "Walney Generation",
    "Rampion Generation",
    "Burbo Bank Generation",
    "Kilbraur Energy",
    "Whitelee Generation",
    "Pembroke Generation",
    "Grain Power",
    "Saltend Cogeneration",
    "Drax Valley Biomass",
    "Dinorwig Pumped Storage",
]
GAS_SUPPLIERS = [
    "Flowline Gas",
    "Northern Gas Retail",
    "Calor-style Gas Supply",
    "Corgi Gas Supply",
    "Utilita-style Gas",
    "Hearth Gas",
    "Blue Flame Supply",
]
SIPS = [
    "SafeIsolate Services",
    "Meter Safety Partners",
    "Isolation Works Ltd",
    "Smart Install Co",
    "Secure Isolation Group",
]


@dataclass
class DemoLogin:
    role: str
    username: str
    password: str
    note: str = ""


class _Builder:
    def __init__(self) -> None:
        self.rng = random.Random(20261123)  # noqa: S311 - demo data, not security
        self.counter = 0

    def company_number(self) -> str:
        self.counter += 1
        return f"{9_000_000 + self.counter * 7919 % 999_983:08d}"

    def party(self, name: str, code: str, accession: dt.date = ORIGIN, **extra: object) -> Party:
        existing = Party.objects.filter(short_code=code).first()
        if existing:
            return existing
        town = self.rng.choice(["London", "Leeds", "Glasgow", "Cardiff", "Bristol", "Reading"])
        return Party.objects.create(
            name=name,
            short_code=code,
            company_number=self.company_number(),
            registered_address=f"{self.rng.randint(1, 200)} High Street, {town}",
            notice_address=f"Company Secretary, {name}, {town}",
            notice_email=f"dcusa@{code.lower()}.example",
            contract_manager=self.rng.choice(["A. Patel", "J. Evans", "M. Campbell", "S. Okafor"]),
            market_participant_id=code[:4].upper(),
            accession_date=accession,
            **extra,
        )

    def category(
        self, party: Party, category: str, since: dt.date = ORIGIN, kind: str = ""
    ) -> None:
        PartyCategoryMembership.objects.get_or_create(
            party=party, category=category, valid_from=since, defaults={"idno_otso": kind}
        )

    def affiliate(self, party: Party, group_name: str, since: dt.date = ORIGIN) -> None:
        group, _ = CorporateGroup.objects.get_or_create(name=group_name)
        Affiliation.objects.get_or_create(
            party=party, valid_from=since, defaults={"corporate_group": group}
        )

    def snapshots(self, party: Party, category: str, points: int) -> None:
        if MeteringSnapshot.objects.filter(party=party, category=category).exists():
            return
        today = timezone.localdate()
        previous = int(points * self.rng.uniform(0.96, 1.02))
        for months_ago, value in ((4, previous), (1, points)):
            received = today - dt.timedelta(days=30 * months_ago)
            MeteringSnapshot.objects.create(
                party=party,
                category=category,
                metering_points=value,
                as_of=received - dt.timedelta(days=14),
                received_on=received,
                source=f"Metering registration extract {received:%B %Y}",
            )


def demo_user(username: str, role: str, first: str, last: str, **extra: object) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, first_name=first, last_name=last, **extra)
        user.email = f"{username}@dcusa-demo.example"
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _totp(user: User, key: str) -> str:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Demo authenticator", defaults={"key": key, "confirmed": True}
    )
    return base64.b32encode(bytes.fromhex(device.key)).decode()


@transaction.atomic
def seed_register() -> list[DemoLogin]:
    b = _Builder()
    n = 0
    for group_name, areas in DNO_GROUPS:
        for area in areas:
            n += 1
            party = b.party(f"{group_name.split(' ')[0]} {area} Distribution plc", f"DNO{n:02d}")
            b.category(party, Category.DNO)
            if len(areas) > 1:
                b.affiliate(party, group_name)
            b.snapshots(party, Category.DNO, b.rng.randint(1_400_000, 3_600_000))

    for i, (name, idno_group) in enumerate(IDNOS, start=1):
        party = b.party(name, f"IDN{i:02d}", accession=dt.date(2010, 4, 1))
        b.category(party, Category.IDNO_OTSO, kind=IdnoOtso.IDNO)
        if idno_group:
            b.affiliate(party, idno_group)
    otso = b.party("Offshore Transmission Operator plc", "OTSO", accession=dt.date(2015, 6, 1))
    b.category(otso, Category.IDNO_OTSO, since=dt.date(2015, 6, 1), kind=IdnoOtso.OTSO)

    sizes = iter(SUPPLIER_SIZES)
    suppliers: list[Party] = []
    for gi, (group_name, members) in enumerate(SUPPLIER_GROUPS, start=1):
        group_total = next(sizes, b.rng.randint(20_000, 90_000))
        shares = [0.7, 0.2, 0.1]
        for mi, member in enumerate(members):
            party = b.party(f"{member} Ltd", f"SUP{gi:02d}{chr(65 + mi)}")
            b.category(party, Category.SUPPLIER)
            b.affiliate(party, group_name)
            b.snapshots(party, Category.SUPPLIER, max(1, int(group_total * shares[mi])))
            suppliers.append(party)
    for si, name in enumerate(SOLO_SUPPLIERS, start=1):
        party = b.party(f"{name} Ltd", f"SUP{40 + si:02d}", accession=dt.date(2012 + si % 12, 1, 1))
        b.category(party, Category.SUPPLIER, since=party.accession_date)
        b.snapshots(party, Category.SUPPLIER, b.rng.randint(1_200, 60_000))
        suppliers.append(party)

    cva_parties: list[Party] = []
    for ci, name in enumerate(CVA_NAMES, start=1):
        party = b.party(f"{name} Ltd", f"CVA{ci:02d}", accession=dt.date(2011, 1, 1))
        cva_parties.append(party)
    # Four Suppliers are also CVA Registrants: Parties in two categories.
    cva_parties += suppliers[0:1] + suppliers[3:4] + suppliers[12:13] + suppliers[40:41]
    for party in cva_parties:
        since = max(party.accession_date, dt.date(2011, 1, 1))
        b.category(party, Category.CVA, since=since)
        if not CvaSite.objects.filter(party=party).exists():
            for s in range(b.rng.randint(1, 4)):
                export = b.rng.randint(20_000, 1_200_000)
                CvaSite.objects.create(
                    party=party,
                    site_name=f"{party.name.split(' ')[0]} site {s + 1}",
                    maximum_export_capacity_kw=export,
                    maximum_import_capacity_kw=b.rng.randint(1_000, export // 2),
                    valid_from=since,
                )

    for gi, name in enumerate(GAS_SUPPLIERS, start=1):
        party = b.party(f"{name} Ltd", f"GAS{gi:02d}", accession=dt.date(2019, 3, 1))
        b.category(party, Category.GAS_SUPPLIER, since=party.accession_date)
    # Three electricity Suppliers are also Gas Supplier Parties.
    for party in (suppliers[1], suppliers[4], suppliers[35]):
        b.category(party, Category.GAS_SUPPLIER, since=dt.date(2019, 3, 1))

    for pi, name in enumerate(SIPS, start=1):
        party = b.party(f"{name} Ltd", f"SIP{pi:02d}", accession=dt.date(2021, 7, 1))
        b.category(party, Category.SIP, since=party.accession_date)

    b.party(
        "Crowded Meter Room Coordinator Ltd",
        "CMRC",
        accession=dt.date(2020, 1, 1),
        is_crowded_meter_room_coordinator=True,
    )

    suspended = Party.objects.get(short_code="SUP70")
    Suspension.objects.get_or_create(
        party=suspended,
        valid_from=timezone.localdate() - dt.timedelta(days=40),
        defaults={
            "panel_resolution": "Panel meeting 2026-10 resolution 7",
            "reason": "Event of Default: unpaid Cost Contribution (54.1.1).",
        },
    )
    seed_notice_bodies()
    return _seed_users()


def _seed_users() -> list[DemoLogin]:
    secretariat = demo_user(
        "secretariat", Role.SECRETARIAT, "Sam", "Secretary", is_staff=True, is_superuser=True
    )
    secret = _totp(secretariat, DEMO_TOTP_KEYS["secretariat"])
    demo_user(
        "panel", Role.PANEL_MEMBER, "Pat", "Panelmember", organisation="Albion Power Networks"
    )
    demo_user(
        "alternate", Role.PANEL_ALTERNATE, "Alex", "Alternate", organisation="Octant Holdings"
    )
    demo_user("authority", Role.AUTHORITY, "Ada", "Authority", organisation="The Authority")
    demo_user("consumer", Role.CONSUMER_BODY, "Connie", "Consumer", organisation="Consumer Body")
    demo_user("public", Role.PUBLIC, "Percy", "Public")
    voter = demo_user("voter", Role.PARTY_REPRESENTATIVE, "Vera", "Voter")
    voter_secret = _totp(voter, DEMO_TOTP_KEYS["voter"])
    rep = demo_user("partyrep", Role.PARTY_REPRESENTATIVE, "Ravi", "Representative")
    brightwater = Party.objects.get(short_code="SUP01A")
    albion = Party.objects.get(short_code="DNO01")
    for party in (brightwater, albion):
        PartyRepresentative.objects.get_or_create(
            user=voter,
            party=party,
            defaults={
                "authorised_voter": True,
                "confirmed_at": timezone.now(),
                "confirmed_by": secretariat,
            },
        )
    PartyRepresentative.objects.get_or_create(user=rep, party=Party.objects.get(short_code="SUP41"))
    return [
        DemoLogin("Secretariat", "secretariat", DEMO_PASSWORD, f"TOTP key {secret}"),
        DemoLogin("Panel member", "panel", DEMO_PASSWORD),
        DemoLogin("Panel Alternate", "alternate", DEMO_PASSWORD),
        DemoLogin("Authority", "authority", DEMO_PASSWORD),
        DemoLogin("Consumer Body", "consumer", DEMO_PASSWORD),
        DemoLogin(
            "Party authorised voter (Brightwater Energy, DNO01)",
            "voter",
            DEMO_PASSWORD,
            f"TOTP key {voter_secret}",
        ),
        DemoLogin("Party representative (Ember Energy)", "partyrep", DEMO_PASSWORD),
        DemoLogin("Public account", "public", DEMO_PASSWORD),
    ]
