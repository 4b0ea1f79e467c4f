"""Who may use each URL of the resolutions app, and the resolutions of the shared world:
an AGM with an open resolution, a draft and a submitted one (proposed by Derby), and a
regional conference of Derby's region with one resolution on the agenda and one passed."""

from datetime import timedelta

from django.utils import timezone

from resolutions import services
from resolutions.models import Meeting
from tests.security.roles import EVERYONE, GET, POST, SIGNED_IN

DRAFT_TITLE = "Draftsentinel resolution"

MAY_SEE = {DRAFT_TITLE: {"member", "lead"}}  # its proposer and the proposing group's lead

ACCESS = {
    "resolutions:list": (GET, EVERYONE),
    "resolutions:draft": (GET, SIGNED_IN),
    "resolutions:meeting": (GET, EVERYONE),
    "resolutions:agenda_pack": (GET, EVERYONE),
    "resolutions:detail": (GET, EVERYONE),
    "resolutions:edit": (GET, {"member"}),
    "resolutions:endorse": (POST, {"lead"}),
    "resolutions:cosponsor": (POST, {"lead", "other_lead"}),
    "resolutions:support": (POST, SIGNED_IN),
    "resolutions:withdraw": (POST, SIGNED_IN),
    "resolutions:decide": (GET, {"staff"}),
    "resolutions:result": (GET, {"rep"}),
    "resolutions:progress": (GET, {"rep"}),
}


def _draft(meeting, world, title):
    return services.draft_resolution(
        meeting=meeting,
        proposer=world.people.member,
        group=world.group,
        title=title,
        notes="We note.",
        believes="We believe.",
        resolves="We resolve.",
    )


def _submitted(meeting, world, title):
    resolution = _draft(meeting, world, title)
    services.endorse(resolution=resolution, by=world.people.lead)
    services.support(resolution=resolution, user=world.people.member)
    return resolution


def extend_world(world) -> dict:
    people = world.people
    deadline = timezone.now() + timedelta(days=30)
    agm = Meeting.objects.create(
        kind=Meeting.Kind.AGM,
        name="World AGM",
        slug="world-agm",
        held_on=timezone.localdate() + timedelta(days=60),
        submission_deadline=deadline,
        groups_needed=1,
        members_needed=1,
    )
    conference = Meeting.objects.create(
        kind=Meeting.Kind.REGIONAL,
        name="World regional conference",
        slug="world-conference",
        region=world.group.area.region,
        held_on=timezone.localdate() + timedelta(days=40),
        submission_deadline=deadline,
        groups_needed=1,
        members_needed=1,
    )
    draft = _draft(agm, world, DRAFT_TITLE)
    public = _draft(
        Meeting.objects.create(
            kind=Meeting.Kind.AGM,
            name="World AGM next year",
            slug="world-agm-next",
            held_on=timezone.localdate() + timedelta(days=400),
            submission_deadline=deadline,
            groups_needed=2,
            members_needed=50,
        ),
        world,
        "Open world resolution",
    )
    services.endorse(resolution=public, by=people.lead)
    submitted = _submitted(agm, world, "Submitted world resolution")
    accepted = _submitted(conference, world, "Accepted world resolution")
    services.decide(resolution=accepted, by=people.rep, decision="accept")
    passed = _submitted(conference, world, "Passed world resolution")
    services.decide(resolution=passed, by=people.rep, decision="accept")
    services.record_result(
        resolution=passed,
        by=people.rep,
        result="passed",
        votes_for=10,
        votes_against=1,
        abstentions=0,
    )
    world.resolution, world.resolution_draft = public, draft
    return {
        "resolutions": {"pk": public.pk, "slug": conference.slug},
        "resolutions:edit": {"pk": draft.pk},
        "resolutions:endorse": {"pk": draft.pk},
        "resolutions:decide": {"pk": submitted.pk},
        "resolutions:result": {"pk": accepted.pk},
        "resolutions:progress": {"pk": passed.pk},
    }
