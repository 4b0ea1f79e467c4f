"""Who may use each URL added by the "breaking down the silos" work (issue 19): campaign
participation, co-hosting invitations, taking an event out of one's space, and the
conversations and region pages."""

from campaigns import services as campaign_services
from events import services as event_services
from events.models import CohostInvitation
from tests.campaigns.factories import CampaignFactory
from tests.security.roles import POST

ACCESS = {
    # Any group's lead may join a national campaign; Derby already runs it, so only its
    # lead may stop.
    "campaigns:join": (POST, {"lead", "other_lead"}),
    "campaigns:leave": (POST, {"lead"}),
    # Leicester is invited to co-host the world's event: only its lead answers.
    "events:cohost_answer": (POST, {"other_lead"}),
    # The world's event carries Derby's partner: staff may take it off the partner's page.
    "events:remove_from_space": (POST, {"staff"}),
}


def extend_world(world) -> dict:
    people = world.people
    national = CampaignFactory(title="Lift the Ban", slug="lift-the-ban")
    campaign_services.join_campaign(campaign=national, group=world.group, by=people.lead)
    event_services.invite_cohosts(event=world.event, groups=[world.other_group], by=people.lead)
    invitation = CohostInvitation.objects.get(event=world.event, group=world.other_group)
    world.national_campaign = national
    return {
        "campaigns:join": {"slug": national.slug},
        "campaigns:leave": {"slug": national.slug},
        "events:cohost_answer": {"pk": invitation.pk, "answer": "accept"},
    }
