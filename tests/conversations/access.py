"""Who may use each URL added by the "breaking down the silos" work (issue 19): campaign
participation, co-hosting invitations, taking an event out of one's space, and the
conversations and region pages; and a resolution's discussion (issue 20.3)."""

from datetime import timedelta

from django.utils import timezone

from campaigns import services as campaign_services
from conversations import services as conversation_services
from conversations.permissions import Place
from events import services as event_services
from events.models import CohostInvitation
from groups.models import TeamRole
from resolutions import services as resolution_services
from resolutions.models import Meeting
from tests.campaigns.factories import CampaignFactory
from tests.factories import UserFactory
from tests.security.roles import EVERYONE, GET, POST, SIGNED_IN

# Words of a post in Derby's members' conversation: only its readers see them anywhere.
GROUP_POST = "Derby conversation sentinel words"
READERS = {"member", "lead", "rep", "staff"}
# A thread on the Midlands noticeboard: its title shows on the region page, to members of
# the region's groups, its reps and staff only.
REGION_THREAD = "Region noticeboard sentinel title"
# A team member's address: never shown, the contact form relays.
TEAM_EMAIL = "team.holder.sentinel@example.org"
# Words of a post in the discussion of a resolution for Derby's regional conference: the
# members of the region's groups, its reps and staff read it, nobody else.
RESOLUTION_POST = "Conference discussion sentinel words"
MAY_SEE = {
    GROUP_POST: READERS,
    REGION_THREAD: READERS,
    TEAM_EMAIL: set(),
    RESOLUTION_POST: READERS,
}

ACCESS = {
    # Any group's lead may join a national campaign; Derby already runs it, so only its
    # lead may stop.
    "campaigns:join": (POST, {"lead", "other_lead"}),
    "campaigns:leave": (POST, {"lead"}),
    # Leicester is invited to co-host the world's event: only its lead answers.
    "events:cohost_answer": (POST, {"other_lead"}),
    # The world's event carries Derby's partner: staff may take it off the partner's page.
    "events:remove_from_space": (POST, {"staff"}),
    # Derby's members' conversation: its members, the reps covering it and staff read and
    # write; the member wrote the post, so only they edit or delete it; leads, reps and
    # staff moderate (the member is refused with 403: they can read it).
    "conversations:index": (GET, SIGNED_IN),
    "conversations:search": (GET, SIGNED_IN),
    "conversations:place": (GET, READERS),
    "conversations:new_thread": (GET, READERS),
    "conversations:follow_place": (POST, READERS),
    "conversations:thread": (GET, READERS),
    "conversations:reply": (POST, READERS),
    "conversations:follow_thread": (POST, READERS),
    "conversations:edit_post": (GET, {"member"}),
    "conversations:delete_post": (POST, {"member"}),
    "conversations:report_post": (GET, READERS),
    "conversations:moderate_post": (GET, {"lead", "rep", "staff"}),
    # The discussion of a resolution for Derby's regional conference: the members of the
    # region's groups (the world's member and lead), its reps and staff.
    "conversations:resolution": (GET, READERS),
    # Region pages are public; the region's reps and staff name its team.
    "regions:list": (GET, EVERYONE),
    "regions:detail": (GET, EVERYONE),
    "regions:area": (GET, EVERYONE),
    "regions:contact": (POST, EVERYONE),
    "regions:team": (GET, {"rep", "staff"}),
}


def extend_world(world) -> dict:
    people = world.people
    national = CampaignFactory(title="Lift the Ban", slug="lift-the-ban")
    campaign_services.join_campaign(campaign=national, group=world.group, by=people.lead)
    event_services.invite_cohosts(event=world.event, groups=[world.other_group], by=people.lead)
    invitation = CohostInvitation.objects.get(event=world.event, group=world.other_group)
    world.national_campaign = national
    thread = conversation_services.start_thread(
        place=Place("group", world.group), by=people.member, title="Stall rota", body=GROUP_POST
    )
    post = thread.posts.get()
    world.thread = thread
    region = world.group.area.region
    conversation_services.start_thread(
        place=Place("region", region), by=people.lead, title=REGION_THREAD, body="Hello"
    )
    conference = Meeting.objects.create(
        kind=Meeting.Kind.REGIONAL,
        name="World conference for discussion",
        slug="world-conference-discussion",
        region=region,
        held_on=timezone.localdate() + timedelta(days=40),
        submission_deadline=timezone.now() + timedelta(days=30),
    )
    resolution = resolution_services.draft_resolution(
        meeting=conference,
        proposer=people.member,
        group=world.group,
        title="Discussed world resolution",
        notes="We note.",
        believes="We believe.",
        resolves="We resolve.",
    )
    resolution_services.endorse(resolution=resolution, by=people.lead)
    conversation_services.reply(
        thread=resolution.threads.get(), by=people.member, body=RESOLUTION_POST
    )
    holder = UserFactory(email=TEAM_EMAIL, display_name="Tariq Trainer")
    TeamRole.objects.create(region=region, title="Trainer", holder=holder)
    return {
        "regions": {"slug": region.slug, "area": world.group.area.slug},
        "conversations": {"kind": "group", "slug": world.group.slug, "pk": post.pk},
        "conversations:thread": {"pk": thread.pk},
        "conversations:reply": {"pk": thread.pk},
        "conversations:follow_thread": {"pk": thread.pk},
        "conversations:moderate_post": {"pk": post.pk, "step": "hide"},
        "conversations:resolution": {"pk": resolution.pk},
        "campaigns:join": {"slug": national.slug},
        "campaigns:leave": {"slug": national.slug},
        "events:cohost_answer": {"pk": invitation.pk, "answer": "accept"},
    }
