"""Demo data for resources: Derby's Peace Week slogans and leaflet, a Lift the Ban
briefing, "How Derby ran Peace Week" as an example of action, and three curriculum modules
(events/demo.py links a Derby training event to the first).

Idempotent: rows are found by slug; the leaflet's PDF is made once, and only where
WeasyPrint can run. No emails are queued: rows are written directly."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, Topic
from groups.models import LocalGroup

from . import printing, services
from .files import check_upload
from .models import Module, Resource

log = logging.getLogger(__name__)

SLOGANS = """Build Homes Not Bombs
Welcome Refugees
Peace Starts Where We Live
No to War, Yes to Welcome"""

BRIEFING = """## The ban

People who ask for asylum in the UK may not work while they wait for a decision, which
often takes more than a year. They live on about £49 a week.

## What we ask

Give people seeking asylum the right to work after six months of waiting, in any job.

## Talking points

- Most people want to work, pay tax and use their skills.
- Businesses and unions support lifting the ban.
- Long idleness harms mental health and makes settling harder later.
"""

EXAMPLE = """**What we did.** Eight days of events across Derby: a workshop on what peace means,
faith leaders in conversation, a film night, open-mic poetry, performance art in the Market
Place, a five-a-side Peace Cup and a closing vigil.

**How.** We started planning in January with the Multi-Faith Centre and the county's
football community trust. Two slogans, *Build Homes Not Bombs* and *Welcome Refugees*, went
on every leaflet and poster, so people recognised us across the city. Each session had
one lead and two helpers; partners ran the venues.

**What happened.** About 600 people came over the week, 90 signed up for news, and twelve
joined the group. The council invited us to speak at its sanctuary committee.
"""

MODULES = [
    (
        "community-organising-1-one-to-one-conversations",
        "Community Organising 1: one-to-one conversations",
        "The conversation that builds every team: listening for what people care about.",
        "- Plan and hold a 30-minute one-to-one\n- Listen for interests, not positions\n"
        "- Ask someone to take a next step",
        False,
        [],
    ),
    (
        "power-mapping",
        "Power mapping",
        "Who decides, who influences them, and where your group has a way in.",
        "- Name the decision-maker for a local campaign\n- Map their allies and opponents\n"
        "- Choose the target with the most leverage",
        True,
        ["lift-the-ban-briefing"],
    ),
    (
        "running-a-stall-safely",
        "Running a stall safely",
        "Permissions, safety and good conversations at a street stall.",
        "- Check what permission your council needs\n- Keep people and materials safe\n"
        "- Start a conversation with a passer-by in one sentence",
        True,
        ["peace-week-slogans", "peace-week-leaflet"],
    ),
]


def _resource(slug: str, *, by, submitted_by=None, **fields) -> Resource:
    resource, _ = Resource.objects.update_or_create(
        slug=slug,
        defaults={
            "status": Resource.Status.PUBLISHED,
            "submitted_by": submitted_by or by,
            "decided_by": by,
            **fields,
        },
    )
    if resource.published_at is None:
        now = timezone.now()
        Resource.objects.filter(pk=resource.pk).update(
            published_at=now, decided_at=now, updated_at=now
        )
        resource.refresh_from_db()
    return resource


@transaction.atomic
def seed(*, accounts: dict) -> None:
    derby = LocalGroup.objects.filter(slug="derby").first()
    if derby is None:
        log.warning("resources demo skipped: the groups demo (derby) is missing")
        return
    staff, lead = accounts["staff"], accounts["lead"]
    topics = Topic.objects.in_bulk(["refugees-and-asylum", "arms-trade"], field_name="slug")
    lift_the_ban = Campaign.objects.filter(slug="lift-the-ban").first()
    refugees = [topics[s] for s in ("refugees-and-asylum",) if s in topics]

    slogans = _resource(
        "peace-week-slogans",
        by=staff,
        title="Peace Week slogans",
        kind=Resource.Kind.SLOGANS,
        summary="The two slogans Derby Peace Week used everywhere, and two more to try.",
        body="Short, positive, easy to read from across the street. Use one per poster.",
        slogans=SLOGANS,
        group=derby,
    )
    slogans.topics.set(topics.values())
    leaflet = _resource(
        "peace-week-leaflet",
        by=staff,
        title="Peace Week leaflet",
        kind=Resource.Kind.LEAFLET,
        summary="An A5 leaflet for a week of peace events, ready to print.",
        body="Print double-sided on recycled paper. Fill in your own group's events.",
        group=derby,
    )
    leaflet.topics.set(topics.values())
    if not leaflet.files.exists() and printing.printing_available():
        pdf = printing.slogan_pdf(resource=slogans, fmt="a5-leaflet", group=derby)
        services.add_file(
            resource=leaflet,
            title="A5 leaflet, print-ready",
            checked=check_upload(ContentFile(pdf, name="leaflet.pdf")),
            by=staff,
        )
    briefing = _resource(
        "lift-the-ban-briefing",
        by=staff,
        title="Lift the Ban: a briefing for groups",
        kind=Resource.Kind.BRIEFING,
        summary="Why people seeking asylum should have the right to work, in one page.",
        body=BRIEFING,
    )
    briefing.topics.set(refugees)
    briefing.campaigns.set([lift_the_ban] if lift_the_ban else [])
    example = _resource(
        "how-derby-ran-peace-week",
        by=staff,
        submitted_by=lead,
        title="How Derby ran Peace Week",
        kind=Resource.Kind.EXAMPLE,
        summary="A week of events across a city, with faith and football partners: what we "
        "did, how, and what happened.",
        body=EXAMPLE,
        group=derby,
    )
    example.topics.set(topics.values())

    for position, (slug, title, summary, aims, self_study, resource_slugs) in enumerate(MODULES):
        module, _ = Module.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "aims": aims,
                "self_study": self_study,
                "position": position,
                "is_active": True,
            },
        )
        module.resources.set(Resource.objects.filter(slug__in=resource_slugs))
