"""Abuse limits answer 429 with a readable page, per user and per decision-maker."""

import pytest
from django.urls import reverse

from campaigns.models import Action, ActionTaken
from portal.models import OutboxMessage
from tests.factories import UserFactory
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_rsvps_beyond_the_limit_get_429(client, world, settings):
    settings.RATE_LIMITS = {"rsvps": "3/h"}
    client.force_login(UserFactory())
    url = reverse("events:rsvp", kwargs={"slug": "peace-picnic"})
    cancel = reverse("events:cancel_rsvp", kwargs={"slug": "peace-picnic"})
    statuses = [client.post(url if i % 2 == 0 else cancel).status_code for i in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert "Please slow down" in client.post(url).content.decode()


def test_letters_are_capped_per_decision_maker(client, world, settings):
    settings.RATE_LIMITS = {"letters_to_target": "2/d", "letters_from_user": "10/d"}
    campaign = world.people.lead.memberships.get().group.campaigns.get(status="active")
    campaign.target_email = "council@derby.example.org"
    campaign.save()
    letter = Action.objects.create(campaign=campaign, kind=Action.Kind.WRITE, title="Write")
    url = reverse("campaigns:take", kwargs={"slug": campaign.slug, "action_id": letter.pk})
    statuses = []
    for _ in range(3):
        client.force_login(UserFactory())
        response = client.post(url, {"subject": "Sanctuary", "body": "Please vote yes."})
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]
    assert OutboxMessage.objects.filter(to="council@derby.example.org").count() == 2
    assert ActionTaken.objects.filter(action=letter).count() == 2


def test_letters_are_capped_per_writer(client, world, settings):
    settings.RATE_LIMITS = {"letters_to_target": "100/d", "letters_from_user": "1/d"}
    campaign = world.people.lead.memberships.get().group.campaigns.get(status="active")
    campaign.target_email = "council@derby.example.org"
    campaign.save()
    writer = UserFactory()
    client.force_login(writer)
    statuses = []
    for n in range(2):
        letter = Action.objects.create(campaign=campaign, kind=Action.Kind.WRITE, title=f"W{n}")
        url = reverse("campaigns:take", kwargs={"slug": campaign.slug, "action_id": letter.pk})
        statuses.append(client.post(url, {"subject": "Hi", "body": "Please."}).status_code)
    assert statuses == [302, 429]


def test_replayed_letter_posts_do_not_spend_the_writers_budget(client, world, settings):
    """Only a letter that is actually sent counts against the daily budget: replays of the
    same POST are recognised first and cost nothing."""
    settings.RATE_LIMITS = {"letters_to_target": "100/d", "letters_from_user": "3/d"}
    campaign = world.people.lead.memberships.get().group.campaigns.get(status="active")
    campaign.target_email = "council@derby.example.org"
    campaign.save()
    client.force_login(UserFactory())
    letters = [
        Action.objects.create(campaign=campaign, kind=Action.Kind.WRITE, title=f"W{n}")
        for n in range(4)
    ]

    def write(letter):
        url = reverse("campaigns:take", kwargs={"slug": campaign.slug, "action_id": letter.pk})
        return client.post(url, {"subject": "Sanctuary", "body": "Please vote yes."}).status_code

    replays = [write(letters[0]) for _ in range(12)]
    assert replays == [302] * 12
    assert [write(letters[1]), write(letters[2]), write(letters[3])] == [302, 302, 429]
    assert OutboxMessage.objects.filter(to="council@derby.example.org").count() == 3
    letters[3].refresh_from_db()
    assert letters[3].count == 0  # the refused letter's claim was rolled back
    assert not ActionTaken.objects.filter(action=letters[3]).exists()
