"""Who may use each URL of the resources app, and the new events and groups URLs of
member-hosted events (issue 21)."""

from datetime import timedelta

from django.utils import timezone

from events.models import Event
from resources.models import Module, Resource
from tests.security.roles import EVERYONE, GET, LEAD, POST, SIGNED_IN

from .factories import ResourceFactory, add_pdf

PENDING_TITLE = "Derby stall leaflet (pending sentinel)"
PROPOSAL_TITLE = "Member picnic (proposal sentinel)"
REVIEWERS = {"rep", "staff"}

MAY_SEE = {
    # A submission waiting for review: the lead who sent it and those who decide it.
    PENDING_TITLE: {"lead", "rep", "staff"},
    # A member's event proposal: its host, the group's leads, staff.
    PROPOSAL_TITLE: {"member", "lead", "staff"},
}

ACCESS = {
    "resources:list": (GET, EVERYONE),
    "resources:create": (GET, {"lead", "other_lead", "staff"}),
    "resources:review": (GET, {"rep", "other_rep", "staff"}),
    "resources:subscriptions": (GET, SIGNED_IN),
    "resources:subscribe_kind": (POST, SIGNED_IN),
    "resources:unsubscribe_kind": (POST, SIGNED_IN),
    "resources:curriculum": (GET, EVERYONE),
    "resources:learning_record": (GET, SIGNED_IN),
    "resources:module": (GET, EVERYONE),
    "resources:module_done": (POST, SIGNED_IN),
    "resources:module_undo": (POST, SIGNED_IN),
    "resources:detail": (GET, EVERYONE),
    "resources:edit": (GET, {"staff"}),
    "resources:file_add": (GET, {"staff"}),
    "resources:version_add": (GET, {"staff"}),
    "resources:download": (GET, EVERYONE),
    "resources:print": (GET, EVERYONE),
    "resources:subscribe": (POST, SIGNED_IN),
    "resources:unsubscribe": (POST, SIGNED_IN),
    "resources:publish": (POST, REVIEWERS),
    "resources:decline": (POST, REVIEWERS),
    "events:propose": (GET, {"member"}),
    "events:proposal_edit": (GET, {"member"}),
    "events:proposal_decide": (POST, LEAD),
    "groups:trust_host": (POST, LEAD),
}
# Non-members are sent back to the group page to join it; its leads to "Add an event".
SENT_BACK = {"events:propose"}


def extend_world(world) -> dict:
    people = world.people
    slogans = ResourceFactory(
        title="Peace Week slogans",
        slug="peace-week-slogans",
        kind=Resource.Kind.SLOGANS,
        slogans="Build Homes Not Bombs\nWelcome Refugees",
        group=world.group,
    )
    slogans.campaigns.add(world.campaign)
    version = add_pdf(slogans, by=people.staff)
    pending = ResourceFactory(
        title=PENDING_TITLE,
        slug="derby-stall-leaflet",
        kind=Resource.Kind.LEAFLET,
        status=Resource.Status.PENDING,
        published_at=None,
        group=world.group,
        submitted_by=people.lead,
    )
    module = Module.objects.create(
        title="Power mapping", slug="power-mapping", summary="Who decides.", aims="- Map"
    )
    module.resources.add(slogans)
    start = timezone.now() + timedelta(days=9)
    proposal = Event.objects.create(
        title=PROPOSAL_TITLE,
        slug="member-picnic",
        group=world.group,
        venue=world.venue,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=Event.Status.PROPOSED,
        host=people.member,
    )
    world.resource, world.pending_resource, world.module = slogans, pending, module
    world.proposal = proposal
    return {
        "resources": {
            "slug": slogans.slug,
            "version_id": version.pk,
            "file_id": version.file_id,
            "kind": Resource.Kind.LEAFLET,
        },
        "resources:publish": {"slug": pending.slug},
        "resources:decline": {"slug": pending.slug},
        "resources:module": {"slug": module.slug},
        "resources:module_done": {"slug": module.slug},
        "resources:module_undo": {"slug": module.slug},
        "events:propose": {"group_slug": world.group.slug},
        "events:proposal_edit": {"slug": proposal.slug},
        "events:proposal_decide": {"slug": proposal.slug, "step": "approve"},
    }
