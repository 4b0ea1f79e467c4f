"""Demo data for events: Derby Peace Week, a Birmingham training, a Derby Community
Organising training (linked to a curriculum module), a Lift the Ban stall (with a
co-hosting invitation waiting for Birmingham), a member's event proposal waiting for
Derby's lead, past events with reports (one a Write for Rights evening with the letters
and cards written for two cases), and RSVPs including a full event with a waitlist.

Idempotent: rows are found by slug (RSVPs by event and person) and counters recomputed.
No emails are queued: RSVPs are written directly, not through the services."""

import logging
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from campaigns.models import Campaign
from cases.models import Case
from groups.models import LocalGroup
from partners.models import Partner
from portal.demo import give_demo_picture
from portal.geo import PostcodeError, lookup_outcode
from portal.models import User
from resources.models import Module

from . import services
from .models import RSVP, CohostInvitation, Event, EventReport, Festival, Venue

log = logging.getLogger(__name__)

# slug, name, address, town, postcode, step free, loop, toilet, quiet room, notes, capacity
VENUES = [
    (
        "derby-multi-faith-centre",
        "Derby Multi-Faith Centre",
        "Kedleston Road",
        "Derby",
        "DE22 1GB",
        True,
        True,
        True,
        True,
        "Prayer and quiet rooms on the ground floor.",
        120,
    ),
    (
        "quad-derby",
        "QUAD",
        "Market Place",
        "Derby",
        "DE1 3AS",
        True,
        True,
        True,
        False,
        "Cinema 1 has wheelchair spaces in the front row.",
        180,
    ),
    (
        "derby-moor-lane-pitches",
        "Moor Lane community pitches",
        "Moor Lane",
        "Derby",
        "DE24 9HY",
        True,
        False,
        True,
        False,
        "Grass pitches; the pavilion has step-free access.",
        200,
    ),
    (
        "birmingham-midland-institute",
        "Birmingham and Midland Institute",
        "9 Margaret Street",
        "Birmingham",
        "B3 3BS",
        True,
        True,
        True,
        False,
        "Lift to all floors.",
        60,
    ),
    (
        "derby-market-place",
        "Market Place",
        "Market Place",
        "Derby",
        "DE1 3AH",
        True,
        False,
        False,
        False,
        "Outdoors, by the Assembly Rooms.",
        None,
    ),
]

# slug, title, kind, day of the week (0 = Monday), start hour, hours, venue, capacity, partners
PEACE_WEEK = [
    (
        "peace-week-what-does-peace-mean",
        "What does peace mean to you?",
        "workshop",
        0,
        18,
        2,
        "derby-multi-faith-centre",
        40,
        ["derby-multi-faith-centre"],
    ),
    (
        "peace-week-faith-leaders-talk",
        "Faith leaders in conversation",
        "talk",
        1,
        19,
        2,
        "derby-multi-faith-centre",
        100,
        ["derby-multi-faith-centre"],
    ),
    ("peace-week-film-human-flow", "Film: Human Flow", "film", 2, 19, 3, "quad-derby", 3, []),
    (
        "peace-week-poetry",
        "Poems for peace: open mic",
        "performance",
        3,
        19,
        2,
        "quad-derby",
        60,
        [],
    ),
    (
        "peace-week-art",
        "Performance art: The Long Walk",
        "performance",
        4,
        17,
        1,
        "derby-market-place",
        None,
        [],
    ),
    (
        "peace-week-football",
        "Peace Cup five-a-side",
        "sport",
        5,
        10,
        5,
        "derby-moor-lane-pitches",
        80,
        ["derby-county-community-trust"],
    ),
    (
        "peace-week-family-day",
        "Family day: paint a peace banner",
        "workshop",
        5,
        13,
        3,
        "derby-multi-faith-centre",
        50,
        ["derby-multi-faith-centre"],
    ),
    (
        "peace-week-closing-vigil",
        "Closing vigil",
        "vigil",
        6,
        18,
        1,
        "derby-market-place",
        None,
        [],
    ),
]


def _venues() -> dict[str, Venue]:
    venues = {}
    for slug, name, address, town, postcode, step, loop, toilet, quiet, notes, cap in VENUES:
        try:
            outcode, lat, lon = lookup_outcode(postcode)
        except PostcodeError:
            outcode, lat, lon = "", None, None
        venues[slug] = Venue.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "address": address,
                "town": town,
                "postcode_district": outcode,
                "latitude": lat,
                "longitude": lon,
                "step_free": step,
                "hearing_loop": loop,
                "accessible_toilet": toilet,
                "quiet_room": quiet,
                "access_notes": notes,
                "capacity": cap,
            },
        )[0]
    return venues


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _event(slug: str, **fields) -> Event:
    fields.setdefault("status", Event.Status.PUBLISHED)
    fields.setdefault("description", "")
    event, _ = Event.objects.update_or_create(slug=slug, defaults=fields)
    return event


def _rsvp(event: Event, user: User, status: str, *, minutes: int, came: bool = False) -> None:
    when = min(event.created_at, event.starts_at - timedelta(days=7)) + timedelta(minutes=minutes)
    RSVP.objects.update_or_create(
        event=event,
        user=user,
        defaults={
            "status": status,
            "created_at": when,
            "waitlisted_at": when if status == RSVP.Status.WAITLISTED else None,
            "checked_in_at": event.starts_at if came else None,
            # Two in three chose to be seen among who's going, so the page shows both.
            "show_name": minutes % 3 != 2,
        },
    )


def _recount(events: list[Event]) -> None:
    counts = Event.objects.filter(pk__in=[e.pk for e in events]).annotate(
        c=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.CONFIRMED)),
        w=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.WAITLISTED)),
    )
    for event in counts:
        Event.objects.filter(pk=event.pk).update(confirmed_count=event.c, waitlist_count=event.w)


@transaction.atomic
def seed(*, accounts: dict) -> None:
    groups = LocalGroup.objects.in_bulk(["derby", "birmingham"], field_name="slug")
    if "derby" not in groups or "birmingham" not in groups:
        log.warning("events demo skipped: the groups demo (derby, birmingham) is missing")
        return
    derby, birmingham = groups["derby"], groups["birmingham"]
    partners = Partner.objects.in_bulk(
        [
            "derby-multi-faith-centre",
            "derby-county-community-trust",
            "restore",
            "birmingham-city-of-sanctuary",
        ],
        field_name="slug",
    )
    lift_the_ban = Campaign.objects.filter(slug="lift-the-ban").first()
    venues = _venues()
    lead = accounts["lead"]
    today = timezone.localdate()
    monday = today + timedelta(days=21 - today.weekday())

    festival, _ = Festival.objects.update_or_create(
        slug=f"derby-peace-week-{monday.year}",
        defaults={
            "name": f"Derby Peace Week {monday.year}",
            "starts_on": monday,
            "ends_on": monday + timedelta(days=6),
            "status": Festival.Status.PUBLISHED,
            "description": (
                "A week of workshops, cinema, performance art and football across Derby, "
                "run with the city's faith and civic organisations. Everyone welcome."
            ),
        },
    )
    festival.host_groups.set([derby])
    festival.partners.set([p for p in partners.values() if p.slug.startswith("derby")])
    sessions = []
    for slug, title, kind, weekday, hour, hours, venue, capacity, partner_slugs in PEACE_WEEK:
        day = monday + timedelta(days=weekday)
        event = _event(
            slug,
            title=title,
            kind=kind,
            starts_at=_at(day, hour),
            ends_at=_at(day, hour) + timedelta(hours=hours),
            venue=venues[venue],
            capacity=capacity,
            group=derby,
            festival=festival,
            created_by=lead,
            description=f"Part of Derby Peace Week. {title}: come as you are.",
        )
        event.partners.set([partners[p] for p in partner_slugs if p in partners])
        sessions.append(event)

    training_day = today + timedelta(days=10)
    training = _event(
        "birmingham-refugee-support-training",
        title="Supporting refugees and people seeking asylum: volunteer training",
        kind=Event.Kind.TRAINING,
        starts_at=_at(training_day, 10),
        ends_at=_at(training_day, 16),
        mode=Event.Mode.HYBRID,
        venue=venues["birmingham-midland-institute"],
        online_url="https://meet.example.org/bham-refugee-training",
        capacity=30,
        group=birmingham,
        description="A day's training with Birmingham City of Sanctuary: the asylum system, "
        "listening well, signposting. Lunch provided.",
    )
    training.partners.set([p for s, p in partners.items() if s == "birmingham-city-of-sanctuary"])

    # A Derby training in the curriculum's first module (resources/demo.py).
    one_to_ones = Module.objects.filter(
        slug="community-organising-1-one-to-one-conversations"
    ).first()
    organising_day = today + timedelta(days=17)
    organising = _event(
        "derby-one-to-one-conversations-training",
        title="Community Organising 1: one-to-one conversations",
        kind=Event.Kind.TRAINING,
        starts_at=_at(organising_day, 10),
        ends_at=_at(organising_day, 13),
        venue=venues["derby-multi-faith-centre"],
        capacity=20,
        group=derby,
        created_by=lead,
        description="A morning's training: plan, hold and follow up a one-to-one "
        "conversation. Checking in records the module in your learning record, if you keep one.",
    )
    organising.modules.set([one_to_ones] if one_to_ones else [])

    # A member's proposal, waiting for Derby's lead (My portal and the group page).
    letters_day = today + timedelta(days=12)
    _event(
        "derby-letter-writing-evening",
        title="Letter-writing evening for Lift the Ban",
        kind=Event.Kind.MEETING,
        starts_at=_at(letters_day, 19),
        ends_at=_at(letters_day, 21),
        venue=venues["derby-multi-faith-centre"],
        group=derby,
        campaign=lift_the_ban,
        host=accounts["activist"],
        created_by=accounts["activist"],
        status=Event.Status.PROPOSED,
        description="Bring a pen: we'll write to our MPs about the right to work, with tea "
        "and biscuits. Templates provided.",
    )

    stall_day = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    stall = _event(
        "derby-lift-the-ban-stall",
        title="Lift the Ban street stall",
        kind=Event.Kind.STALL,
        starts_at=_at(stall_day, 11),
        ends_at=_at(stall_day, 14),
        venue=venues["derby-market-place"],
        group=derby,
        campaign=lift_the_ban,
        description="Help us collect signatures for the right to work for people seeking "
        "asylum. Bring a friend; we'll bring the clipboards.",
    )
    # Derby asked Birmingham to co-host the stall; Birmingham's leads have not answered.
    CohostInvitation.objects.get_or_create(
        event=stall,
        group=birmingham,
        defaults={"status": CohostInvitation.Status.PENDING, "invited_by": lead},
    )

    past = []
    for weeks, slug, title, kind, venue in [
        (
            3,
            "derby-refugee-week-picnic",
            "Refugee Week picnic",
            Event.Kind.SOCIAL,
            "derby-multi-faith-centre",
        ),
        (6, "derby-film-night-for-sama", "Film night: For Sama", Event.Kind.FILM, "quad-derby"),
    ]:
        day = today - timedelta(weeks=weeks)
        past.append(
            _event(
                slug,
                title=title,
                kind=kind,
                starts_at=_at(day, 18),
                ends_at=_at(day, 21),
                venue=venues[venue],
                group=derby,
                description="",
            )
        )

    members = list(User.objects.filter(email__startswith="demo-").order_by("pk")[:12])
    people = [accounts["activist"], *members]
    # The film is full (capacity 3) with two on the waitlist, the demo activist second.
    film = sessions[2]
    for n, user in enumerate([*members[:3], members[3], accounts["activist"]]):
        status = RSVP.Status.CONFIRMED if n < 3 else RSVP.Status.WAITLISTED
        _rsvp(film, user, status, minutes=n)
    for n, user in enumerate(people[:6]):
        _rsvp(sessions[0], user, RSVP.Status.CONFIRMED, minutes=n)
        _rsvp(training if n % 2 else stall, user, RSVP.Status.CONFIRMED, minutes=n)
    for event, attendance in zip(past, (18, 42), strict=True):
        for n, user in enumerate(people[:8]):
            _rsvp(event, user, RSVP.Status.CONFIRMED, minutes=n, came=n < 6)
        report, _ = EventReport.objects.update_or_create(
            event=event,
            defaults={
                "filed_by": lead,
                "attendance": attendance,
                "new_contacts": attendance // 4,
                "what_worked": "Sharing food; a speaker with lived experience.",
                "what_to_change": "Start half an hour later; more chairs.",
            },
        )
        report.partners_involved.set(
            [p for s, p in partners.items() if s == "derby-multi-faith-centre"]
        )
    _recount([*sessions, training, organising, stall, *past])
    _write_for_rights(derby, venues["derby-multi-faith-centre"], lead, today)
    # A few pictures (generated artwork) so the demo shows uploads beside the defaults.
    give_demo_picture(
        festival, seed=3, alt="Artwork of bright circles for Peace Week", name_stem="festival"
    )
    for seed, event in enumerate([stall, past[-1]], start=4):
        give_demo_picture(event, seed=seed, alt="Artwork of overlapping circles", name_stem="event")


# Letters and solidarity cards written on paper at the evening, per case (slug).
WRITE_FOR_RIGHTS_TALLIES = {"student-n": (38, 52), "jonah-vell": (21, 30)}


def _write_for_rights(derby: LocalGroup, venue: Venue, lead: User, today) -> None:
    """A Write for Rights evening ten days ago, writing for two of the cases demo's cases;
    its report adds the paper letters and cards to each case's offline totals (filing it
    again replaces them, so seeding twice counts once)."""
    cases = Case.objects.in_bulk(list(WRITE_FOR_RIGHTS_TALLIES), field_name="slug")
    if len(cases) < len(WRITE_FOR_RIGHTS_TALLIES):
        log.warning("Write for Rights demo skipped: the cases demo is missing")
        return
    day = today - timedelta(days=10)
    evening = _event(
        "derby-write-for-rights",
        title="Write for Rights evening",
        kind=Event.Kind.WORKSHOP,
        starts_at=_at(day, 18),
        ends_at=_at(day, 21),
        venue=venue,
        group=derby,
        description="Letters to the authorities and cards of solidarity, with tea and cake. "
        "We bring paper, pens, addresses and stamps.",
    )
    evening.cases.set(cases.values())
    services.file_report(
        event=evening,
        by=lead,
        data={
            "attendance": 24,
            "new_contacts": 6,
            "what_worked": "A table per case, with the story read aloud first.",
            "what_to_change": "More envelopes.",
        },
        case_tallies={cases[slug]: tally for slug, tally in WRITE_FOR_RIGHTS_TALLIES.items()},
    )
