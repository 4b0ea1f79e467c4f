from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Action, Campaign, CampaignSupporter
from events import services as event_services
from groups.models import Announcement
from partners.models import PartnerSuggestion
from tests.factories import UserFactory
from tests.front.test_search import make_event
from tests.groups.factories import LocalGroupFactory, MembershipFactory, RegionalRoleFactory
from tests.queries import SESSION
from tests.resolutions.factories import ResolutionFactory


def fill(user, n):
    """n of every kind of thing My portal shows, for a person who leads and reps."""
    RegionalRoleFactory(user=user)
    for i in range(n):
        group = LocalGroupFactory()
        MembershipFactory(group=group, user=user, lead=True)
        Announcement.objects.create(group=group, title=f"News {i}", body="Hello")
        event = make_event(group, f"Event {n}-{i}")
        event_services.rsvp_to_event(event=event, user=user)
        full = make_event(group, f"Full {n}-{i}", capacity=1)
        event_services.rsvp_to_event(event=full, user=UserFactory())
        event_services.rsvp_to_event(event=full, user=user)
        draft = make_event(group, f"Draft {n}-{i}")
        draft.status = "draft"
        draft.save()
        campaign = Campaign.objects.create(
            title=f"Campaign {n}-{i}",
            slug=f"campaign-{n}-{i}",
            summary="s",
            scope=Campaign.Scope.LOCAL,
            group=group,
            status=Campaign.Status.ACTIVE,
            target_name="Council",
            target_kind=Campaign.TargetKind.COUNCIL,
            goal="g",
        )
        Action.objects.create(campaign=campaign, kind=Action.Kind.SIGN, title=f"Sign {n}-{i}")
        CampaignSupporter.objects.create(campaign=campaign, user=user)
        Campaign.objects.create(
            title=f"Proposal {n}-{i}",
            slug=f"proposal-{n}-{i}",
            summary="s",
            scope=Campaign.Scope.LOCAL,
            group=group,
            status=Campaign.Status.PROPOSED,
            target_name="MP",
            target_kind=Campaign.TargetKind.MP,
            goal="g",
        )
        PartnerSuggestion.objects.create(area=group.area, name=f"Suggested {n}-{i}", reason="r")
        ResolutionFactory(group=group, proposer=user, title=f"Resolution {n}-{i}")
        past = make_event(group, f"Past {n}-{i}")
        past.starts_at = timezone.now() - timedelta(days=2)
        past.ends_at = past.starts_at + timedelta(hours=1)
        past.save()


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 3])
def test_my_portal_query_count_is_the_same_at_1_and_3_of_everything(
    client, django_assert_num_queries, n
):
    user = UserFactory(display_name="Busy Person")
    fill(user, n)
    client.force_login(user)
    # and the Individuals at Risk block's letters to post, messages and moderator check,
    # the resolutions block (3, and 1 for its section of the to-do badge), the drafts of
    # the groups I lead; the events block's co-hosting invitations; the conversations
    # block's unread threads (with their total), reports in the groups I lead, and my rep
    # roles for who reads what
    with django_assert_num_queries(35 + SESSION):
        response = client.get(reverse("my_portal"))
    html = response.content.decode()
    for i in range(n):
        for text in (
            f"Event {n}-{i}",
            f"Full {n}-{i}",
            f"Sign {n}-{i}",
            f"Proposal {n}-{i}",
            f"Resolution {n}-{i}",
            f"Draft {n}-{i}",
        ):
            assert text in html
        assert f"Suggested {n}-{i}" in html
    assert "waiting for a decision in your region" in html


@pytest.mark.django_db
def test_my_portal_says_what_to_do_when_empty(client):
    client.force_login(UserFactory())
    html = client.get(reverse("my_portal")).content.decode()
    assert (
        "You haven&#x27;t joined a group yet." in html or "You haven't joined a group yet." in html
    )
    assert "Find an event near you" in html
    assert "To do" not in html
