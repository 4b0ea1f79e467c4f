"""Demo data for resolutions (the issue's item 8):

- the AGM, its submission deadline 8 weeks ahead ("needs 2 groups and 50 members"), with
  "Campaign on the human rights responsibilities of non-state actors" proposed by Welwyn,
  co-sponsored by Banbury and supported by 31 members: open for support;
- the Midlands regional conference, held last month, with one passed resolution and two
  progress updates.

Idempotent: meetings are found by slug, resolutions by meeting and title, supporters by
email; counts are recomputed from the rows. No emails are queued (the past conference's
history is written as it stands, not replayed through the services)."""

import logging
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from groups import services as group_services
from groups.models import Area, LocalGroup, Region
from portal.dates import LONDON
from portal.geo import lookup_outcode
from portal.models import User

from .models import CoSponsor, LogEntry, Meeting, ProgressUpdate, Resolution, Support

log = logging.getLogger(__name__)

AGM_TITLE = "Campaign on the human rights responsibilities of non-state actors"
MIDLANDS_TITLE = "Make every Midlands group a refugee-welcoming group"
SUPPORTERS = 31


def _user(email: str, name: str) -> User:
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


def _welwyn() -> tuple[LocalGroup, User]:
    """Welwyn, in Hertfordshire (East of England): not in the Midlands demo, so made here."""
    region, _ = Region.objects.update_or_create(
        slug="east-of-england", defaults={"name": "East of England"}
    )
    area, _ = Area.objects.update_or_create(
        slug="hertfordshire", defaults={"region": region, "name": "Hertfordshire"}
    )
    outcode, lat, lon = lookup_outcode("AL8")
    group, _ = LocalGroup.objects.update_or_create(
        slug="welwyn",
        defaults={
            "area": area,
            "name": "Welwyn",
            "town": "Welwyn Garden City",
            "postcode_district": outcode,
            "latitude": lat,
            "longitude": lon,
            "meeting_note": "Second Thursday, 7.30pm, Welwyn Garden City library",
            "contact_email": "welwyn@groups.example.org",
            "description": "We are the **Welwyn** group: human-rights activists in Welwyn "
            "Garden City and around.",
            "is_active": True,
        },
    )
    lead = _user("demo-welwyn-lead@example.org", "Wendy (welwyn lead)")
    membership = group_services.join_group(group=group, user=lead)
    group_services.promote_to_lead(group=group, membership=membership)
    return group, lead


def _at(day, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def _recount(resolution: Resolution) -> None:
    resolution.group_count = 1 + resolution.cosponsors.count()
    resolution.support_count = resolution.supports.count()
    resolution.save(update_fields=["group_count", "support_count"])


def _seed_agm(today) -> None:
    welwyn, welwyn_lead = _welwyn()
    banbury = LocalGroup.objects.get(slug="banbury")
    banbury_lead = User.objects.get(email="demo-banbury-1@example.org")
    deadline = _at(today + timedelta(weeks=8), 17)
    agm, _ = Meeting.objects.update_or_create(
        slug="agm",
        defaults={
            "kind": Meeting.Kind.AGM,
            "name": "AGM",
            "region": None,
            "held_on": today + timedelta(weeks=12),
            "submission_deadline": deadline,
            "groups_needed": 2,
            "members_needed": 50,
            "venue": "Birmingham, Carrs Lane Church Centre",
        },
    )
    opened = timezone.now() - timedelta(days=6)
    resolution, created = Resolution.objects.get_or_create(
        meeting=agm,
        title=AGM_TITLE,
        defaults={
            "proposer": welwyn_lead,
            "group": welwyn,
            "status": Resolution.Status.OPEN,
            "endorsed_at": opened,
            "created_at": opened - timedelta(days=2),
            "notes": "Our work on non-state bodies began with an AGM resolution. Companies, "
            "armed groups and other non-state actors shape people's rights every day, "
            "from the mines that feed our batteries to the platforms that host our speech.",
            "believes": "Human rights responsibilities do not stop at the state. Our members "
            "have the skills and the partners to hold non-state actors to account.",
            "resolves": "1. To run a national campaign on the human rights responsibilities "
            "of non-state actors, starting with business.\n"
            "2. To give groups a toolkit for local targets.\n"
            "3. To report progress to every supporter of this resolution.",
        },
    )
    if created:
        LogEntry.objects.create(
            resolution=resolution, action="drafted", by=welwyn_lead, at=opened - timedelta(days=2)
        )
        LogEntry.objects.create(
            resolution=resolution,
            action="endorsed",
            detail="endorsed by Welwyn",
            by=welwyn_lead,
            at=opened,
        )
    CoSponsor.objects.get_or_create(
        resolution=resolution, group=banbury, defaults={"by": banbury_lead}
    )
    for n in range(1, SUPPORTERS + 1):
        user = _user(f"demo-agm-supporter-{n}@example.org", f"Supporter {n} (demo)")
        Support.objects.get_or_create(
            resolution=resolution,
            user=user,
            defaults={"comment": "Long overdue." if n % 5 == 0 else ""},
        )
    _recount(resolution)


def _seed_midlands(today, accounts: dict) -> None:
    region = Region.objects.get(slug="midlands")
    derby = LocalGroup.objects.get(slug="derby")
    leicester = LocalGroup.objects.get(slug="leicester")
    held_on = today - timedelta(days=30)
    conference, _ = Meeting.objects.update_or_create(
        slug="midlands-regional-conference",
        defaults={
            "kind": Meeting.Kind.REGIONAL,
            "name": "Midlands regional conference",
            "region": region,
            "held_on": held_on,
            "submission_deadline": _at(held_on - timedelta(weeks=4), 17),
            "groups_needed": 2,
            "members_needed": 5,
            "venue": "Derby, Friends Meeting House",
        },
    )
    lead, rep = accounts["lead"], accounts["rep"]
    drafted = _at(held_on - timedelta(weeks=9))
    resolution, created = Resolution.objects.get_or_create(
        meeting=conference,
        title=MIDLANDS_TITLE,
        defaults={
            "proposer": lead,
            "group": derby,
            "status": Resolution.Status.ACCEPTED,
            "created_at": drafted,
            "endorsed_at": drafted + timedelta(days=1),
            "submitted_at": drafted + timedelta(days=12),
            "decided_at": drafted + timedelta(days=30),
            "agenda_position": 1,
            "result": Resolution.Result.PASSED,
            "votes_for": 41,
            "votes_against": 3,
            "abstentions": 2,
            "result_at": _at(held_on, 15),
            "responsible": "The Midlands regional team",
            "notes": "Refugees in the Midlands wait months for support; several of our "
            "groups already work with City of Sanctuary.",
            "believes": "Every group can welcome refugees, and together we can do more.",
            "resolves": "That every Midlands group partners with a local refugee charity "
            "within a year, and the region reports on it at the next conference.",
        },
    )
    CoSponsor.objects.get_or_create(
        resolution=resolution,
        group=leicester,
        defaults={"by": User.objects.get(email="demo-leicester-1@example.org")},
    )
    supporters = User.objects.filter(
        email__startswith="demo-", memberships__group__area__region=region
    ).order_by("pk")[:8]
    for user in supporters:
        Support.objects.get_or_create(resolution=resolution, user=user)
    _recount(resolution)
    if created:
        for action, detail, by, at in [
            ("drafted", "proposed for Derby", lead, resolution.created_at),
            ("endorsed", "endorsed by Derby", lead, resolution.endorsed_at),
            ("co-sponsored", "Leicester co-sponsors", None, resolution.endorsed_at),
            ("submitted", "2 groups and 8 members", None, resolution.submitted_at),
            ("accept", "accepted onto the agenda as item 1", rep, resolution.decided_at),
            ("result", "passed: 41 for, 3 against, 2 abstaining", rep, resolution.result_at),
        ]:
            LogEntry.objects.create(
                resolution=resolution, action=action, detail=detail, by=by, at=at
            )
    for days, status, percent, note in [
        (
            10,
            ProgressUpdate.Status.IN_PROGRESS,
            30,
            "Four groups have met a local refugee charity; Derby and Leicester have "
            "signed partnerships.",
        ),
        (
            25,
            ProgressUpdate.Status.IN_PROGRESS,
            55,
            "Seven of the eleven groups now have a partner. Kettering's youth group runs a "
            "weekly homework club with refugee families.",
        ),
    ]:
        ProgressUpdate.objects.get_or_create(
            resolution=resolution,
            dated=held_on + timedelta(days=days),
            defaults={"status": status, "percent": percent, "note": note, "author": rep},
        )


@transaction.atomic
def seed(*, accounts: dict) -> None:
    if LocalGroup.objects.filter(slug__in=["banbury", "derby", "leicester"]).count() != 3:
        log.warning("resolutions demo skipped: the groups demo is missing")
        return
    today = timezone.localdate()
    _seed_agm(today)
    _seed_midlands(today, accounts)
