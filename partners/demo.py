"""Demo data for partners: real Midlands partner organisations and the groups' work with
them. Runs after groups/demo.py; groups it expects but cannot find are skipped."""

import datetime

from django.db import transaction

from groups.models import Area, LocalGroup
from portal.geo import lookup_outcode

from . import services
from .models import Partner, PartnerKind, Partnership, PartnerSuggestion

KINDS = {
    "city-of-sanctuary": "City of Sanctuary",
    "refugee-asylum-support": "Refugee and asylum support",
    "faith": "Faith",
    "sport": "Sport",
    "diaspora": "Diaspora",
    "lgbti": "LGBTI",
    "trade-union": "Trade union",
    "student": "Student",
    "business": "Business",
    "civic-ngo": "Civic and other NGO",
}

# slug, name, kind, town, outcode, area slugs, website, description
PARTNERS = [
    (
        "restore",
        "RESTORE",
        "refugee-asylum-support",
        "Birmingham",
        "B1",
        ["west-midlands"],
        "https://www.restore.org.uk/",
        "Befriending and support for refugees and people seeking asylum in Birmingham.",
    ),
    (
        "herts-welcomes-refugees",
        "Herts Welcomes Refugees",
        "refugee-asylum-support",
        "St Albans",
        "AL1",
        [],
        "",
        "Volunteers welcoming refugee families across Hertfordshire.",
    ),
    (
        "malvern-welcomes",
        "Malvern Welcomes",
        "refugee-asylum-support",
        "Malvern",
        "WR14",
        ["west-midlands"],
        "",
        "Malvern's welcome for refugees: English conversation, **friendship** and practical help.",
    ),
    (
        "birmingham-city-of-sanctuary",
        "Birmingham City of Sanctuary",
        "city-of-sanctuary",
        "Birmingham",
        "B1",
        ["west-midlands"],
        "https://birmingham.cityofsanctuary.org/",
        "Building a culture of welcome in Birmingham's schools, libraries and theatres.",
    ),
    (
        "coventry-city-of-sanctuary",
        "Coventry City of Sanctuary",
        "city-of-sanctuary",
        "Coventry",
        "CV1",
        ["west-midlands"],
        "https://coventry.cityofsanctuary.org/",
        "Coventry, a city of peace and reconciliation, welcoming people seeking sanctuary.",
    ),
    (
        "derby-multi-faith-centre",
        "Derby Multi-Faith Centre",
        "faith",
        "Derby",
        "DE1",
        ["east-midlands"],
        "",
        "A meeting place for Derby's faith communities; host of Peace Week talks.",
    ),
    (
        "derby-county-community-trust",
        "Derby County Community Trust",
        "sport",
        "Derby",
        "DE24",
        ["east-midlands"],
        "",
        "The football club's charity: the Peace Week football tournament's co-host.",
    ),
    (
        "nottingham-refugee-forum",
        "Nottingham Refugee Forum",
        "refugee-asylum-support",
        "Nottingham",
        "NG7",
        ["east-midlands"],
        "",
        "Advice, a drop-in and campaigning with refugees and people seeking asylum.",
    ),
    (
        "leicester-city-of-sanctuary",
        "Leicester City of Sanctuary",
        "city-of-sanctuary",
        "Leicester",
        "LE1",
        ["east-midlands"],
        "",
        "Making Leicester a place of welcome.",
    ),
    (
        "east-midlands-unison",
        "UNISON East Midlands",
        "trade-union",
        "Nottingham",
        "NG1",
        ["east-midlands"],
        "",
        "Public-service workers' union; supports the Lift the Ban campaign.",
    ),
    (
        "birmingham-lgbt",
        "Birmingham LGBT",
        "lgbti",
        "Birmingham",
        "B5",
        ["west-midlands"],
        "",
        "The city's LGBT centre; partners on Individuals at Risk cases.",
    ),
]

# group slug, partner slug, status, since (year, month)
PARTNERSHIPS = [
    ("birmingham", "restore", "active", (2019, 3)),
    ("birmingham-students", "restore", "active", (2022, 10)),
    ("coventry", "restore", "prospect", None),
    ("birmingham", "birmingham-city-of-sanctuary", "active", (2017, 6)),
    ("birmingham-students", "birmingham-city-of-sanctuary", "active", (2021, 1)),
    ("birmingham", "birmingham-lgbt", "active", (2020, 2)),
    ("coventry", "coventry-city-of-sanctuary", "active", (2018, 9)),
    ("malvern", "malvern-welcomes", "active", (2016, 11)),
    ("worcester", "malvern-welcomes", "active", (2021, 5)),
    ("derby", "derby-multi-faith-centre", "active", (2015, 4)),
    ("derby", "derby-county-community-trust", "active", (2019, 7)),
    ("nottingham", "nottingham-refugee-forum", "active", (2018, 1)),
    ("nottingham", "east-midlands-unison", "active", (2020, 9)),
    ("leicester", "east-midlands-unison", "active", (2021, 3)),
    ("leicester", "leicester-city-of-sanctuary", "active", (2017, 2)),
    ("derby", "east-midlands-unison", "dormant", (2016, 5)),
]


def _partnership_fields(group: LocalGroup, partner: Partner, status: str, since) -> dict:
    first = partner.name.split()[0].lower().strip(",")
    return {
        "status": status,
        "since": datetime.date(*since, 1) if since else None,
        "activities": f"{group.name} and {partner.name} run stalls and events together.",
        "contact_name": f"{partner.name} volunteer coordinator",
        "contact_email": f"{first}-coordinator@example.org",
        "contact_phone": "01632 960000",
        "private_notes": "Demo note: best reached on weekday mornings.",
    }


@transaction.atomic
def seed(*, accounts: dict) -> None:
    kinds = {
        slug: PartnerKind.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in KINDS.items()
    }
    areas = {area.slug: area for area in Area.objects.all()}
    partners = {}
    for slug, name, kind, town, outcode, area_slugs, website, description in PARTNERS:
        outcode, lat, lon = lookup_outcode(outcode)
        partner, _ = Partner.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kinds[kind],
                "town": town,
                "postcode_district": outcode,
                "latitude": lat,
                "longitude": lon,
                "website": website,
                "description": description,
                "is_active": True,
            },
        )
        partner.areas.set([areas[a] for a in area_slugs if a in areas])
        partners[slug] = partner

    groups = LocalGroup.objects.in_bulk([g for g, *_ in PARTNERSHIPS], field_name="slug")
    by = accounts.get("staff")
    for group_slug, partner_slug, status, since in PARTNERSHIPS:
        group = groups.get(group_slug)
        if group is None:
            continue
        partner = partners[partner_slug]
        fields = _partnership_fields(group, partner, status, since)
        existing = Partnership.objects.filter(group=group, partner=partner).first()
        if existing:
            services.update_partnership(partnership=existing, by=by, **fields)
        else:
            services.create_partnership(group=group, partner=partner, by=by, **fields)

    east = areas.get("east-midlands")
    activist = accounts.get("activist")
    if east and activist:
        PartnerSuggestion.objects.get_or_create(
            suggested_by=activist,
            name="Derby Refugee Solidarity",
            defaults={
                "area": east,
                "kind": kinds["refugee-asylum-support"],
                "town": "Derby",
                "postcode_district": "DE1",
                "reason": "They run the Saturday drop-in; Peace Week could co-host with them.",
            },
        )
