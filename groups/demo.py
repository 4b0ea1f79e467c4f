"""Demo data for groups: the Midlands region, its areas and real towns' groups."""

import datetime

from allauth.account.models import EmailAddress
from django.db import transaction

from portal.demo import give_demo_picture
from portal.geo import lookup_outcode
from portal.models import User

from . import services
from .models import Announcement, Area, LocalGroup, Region, RegionalRole, TeamRole

AREAS = {
    "east-midlands": "East Midlands",
    "west-midlands": "West Midlands",
    "south-midlands": "South Midlands",
}

# slug, name, town, outcode, area slug, kind, meeting note
GROUPS = [
    (
        "derby",
        "Derby",
        "Derby",
        "DE1",
        "east-midlands",
        "local",
        "Second Tuesday, 7pm, Friends Meeting House, St Helen's Street",
    ),
    (
        "leicester",
        "Leicester",
        "Leicester",
        "LE1",
        "east-midlands",
        "local",
        "First Wednesday, 7pm, Secular Hall",
    ),
    (
        "nottingham",
        "Nottingham",
        "Nottingham",
        "NG1",
        "east-midlands",
        "local",
        "Last Thursday, 7.30pm, Nottingham Mechanics",
    ),
    (
        "lincoln",
        "Lincoln",
        "Lincoln",
        "LN1",
        "east-midlands",
        "local",
        "Third Monday, 7pm, online and at the Drill Hall",
    ),
    (
        "birmingham",
        "Birmingham",
        "Birmingham",
        "B1",
        "west-midlands",
        "local",
        "Every other Monday, 6.30pm, Birmingham and Midland Institute",
    ),
    (
        "birmingham-students",
        "University of Birmingham students",
        "Birmingham",
        "B15",
        "west-midlands",
        "student",
        "Wednesdays in term, 5pm, Guild of Students",
    ),
    (
        "coventry",
        "Coventry",
        "Coventry",
        "CV1",
        "west-midlands",
        "local",
        "Second Thursday, 7pm, Coventry Peace House",
    ),
    (
        "malvern",
        "Malvern",
        "Malvern",
        "WR14",
        "west-midlands",
        "local",
        "First Saturday, 10am, Malvern library",
    ),
    (
        "worcester",
        "Worcester",
        "Worcester",
        "WR1",
        "west-midlands",
        "local",
        "Third Tuesday, 7pm, The Hive",
    ),
    (
        "stoke-on-trent",
        "Stoke-on-Trent",
        "Stoke-on-Trent",
        "ST1",
        "west-midlands",
        "local",
        "Second Wednesday, 7pm, Hanley Methodist Church",
    ),
    (
        "shrewsbury",
        "Shrewsbury",
        "Shrewsbury",
        "SY1",
        "west-midlands",
        "local",
        "Last Tuesday, 7pm, Shrewsbury Quaker Meeting House",
    ),
    (
        "banbury",
        "Banbury",
        "Banbury",
        "OX16",
        "south-midlands",
        "local",
        "Fourth Monday, 7.30pm, Banbury Community Church",
    ),
    (
        "northampton",
        "Northampton",
        "Northampton",
        "NN1",
        "south-midlands",
        "local",
        "First Tuesday, 7pm, Northampton Guildhall",
    ),
    (
        "kettering",
        "Kettering",
        "Kettering",
        "NN16",
        "south-midlands",
        "youth",
        "Fridays, 6pm, Kettering youth centre",
    ),
]

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ellie",
    "Farid",
    "Grace",
    "Harjit",
    "Imani",
    "Jack",
    "Kasia",
    "Liam",
    "Maya",
    "Niall",
    "Olu",
    "Priya",
    "Qasim",
    "Rosa",
    "Sunil",
    "Tegan",
]

DESCRIPTION = """We are the **{name}** group: local people standing up for human rights in
{town} and around.

We run street stalls, write to decision-makers, welcome refugees with partners such as
City of Sanctuary, and hold film nights and talks. New faces are always welcome, whether
you can come to meetings or would rather take action online.
"""


def _demo_member(slug: str, n: int, offset: int) -> User:
    email = f"demo-{slug}-{n}@example.org"
    name = f"{FIRST_NAMES[(offset + n) % len(FIRST_NAMES)]} ({slug} member {n})"
    user, _ = User.objects.update_or_create(
        email=email, defaults={"display_name": name, "email_verified": True}
    )
    if not user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _ensure_lead(group: LocalGroup, user: User) -> None:
    membership = services.join_group(group=group, user=user)
    services.promote_to_lead(group=group, membership=membership)


@transaction.atomic
def seed(*, accounts: dict[str, User]) -> None:
    # East and West Midlands, the ONS regions the Midlands covers (its map outline).
    region, _ = Region.objects.update_or_create(
        slug="midlands", defaults={"name": "Midlands", "boundary_codes": "E12000004 E12000005"}
    )
    areas = {
        slug: Area.objects.update_or_create(slug=slug, defaults={"region": region, "name": name})[0]
        for slug, name in AREAS.items()
    }
    groups = {}
    for index, (slug, name, town, outcode, area, kind, note) in enumerate(GROUPS):
        outcode, lat, lon = lookup_outcode(outcode)
        group, _ = LocalGroup.objects.update_or_create(
            slug=slug,
            defaults={
                "area": areas[area],
                "name": name,
                "town": town,
                "kind": kind,
                "postcode_district": outcode,
                "latitude": lat,
                "longitude": lon,
                "meeting_note": note,
                "contact_email": f"{slug}@groups.example.org",
                "description": DESCRIPTION.format(name=name, town=town),
                "founded": datetime.date(1990 + index * 2, 1 + index % 12, 1),
                "is_active": True,
            },
        )
        groups[slug] = group
        members = [_demo_member(slug, n, index * 3) for n in range(1, 4 + index % 3)]
        for user in members:
            services.join_group(group=group, user=user)
        if slug != "derby":
            _ensure_lead(group, members[0])

    derby = groups["derby"]
    _ensure_lead(derby, accounts["lead"])
    services.join_group(group=derby, user=accounts["activist"])
    if not Announcement.objects.filter(group=derby, title="Peace Week volunteers wanted").exists():
        services.post_announcement(
            group=derby,
            author=accounts["lead"],
            title="Peace Week volunteers wanted",
            body="Derby Peace Week is coming. Can you help at a stall or a film night? "
            "Reply at the next meeting or write to **derby@groups.example.org**.",
        )
    RegionalRole.objects.get_or_create(user=accounts["rep"], region=region, area=None)
    # Area reps, shown by name on the area pages (/regions/midlands/east-midlands/).
    for area, email in [
        ("east-midlands", "demo-leicester-1@example.org"),
        ("west-midlands", "demo-coventry-1@example.org"),
    ]:
        RegionalRole.objects.get_or_create(
            user=User.objects.get(email=email), region=None, area=areas[area]
        )
    # The Midlands regional team (the Regional Team Model pilot), shown on /regions/midlands/.
    for position, (title, holder) in enumerate(
        [
            ("Regional rep", accounts["rep"]),
            ("Campaigns coordinator", User.objects.get(email="demo-coventry-1@example.org")),
            ("Refugee-network link", User.objects.get(email="demo-birmingham-2@example.org")),
        ]
    ):
        TeamRole.objects.update_or_create(
            region=region, title=title, defaults={"holder": holder, "position": position}
        )
    # One group with a picture (generated artwork); the others show the default.
    give_demo_picture(
        LocalGroup.objects.get(slug="derby"),
        seed=0,
        alt="Artwork of teal and yellow circles",
        name_stem="group",
    )
