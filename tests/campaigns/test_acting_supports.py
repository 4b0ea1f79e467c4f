"""Issue 16, defect 5: signing, pledging or writing makes the person a supporter (acting
supports), counted once; the data migration makes earlier actors supporters."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from campaigns import services
from campaigns.models import Action, ActionTaken, Campaign, CampaignSupporter
from tests.factories import UserFactory

from .factories import ActionFactory, ActionTakenFactory, CampaignFactory, SupporterFactory

pytestmark = pytest.mark.django_db


def test_signing_makes_the_signer_a_supporter_once(client, verified_user):
    campaign = CampaignFactory()
    sign = ActionFactory(campaign=campaign, kind=Action.Kind.SIGN)
    pledge = ActionFactory(campaign=campaign, kind=Action.Kind.PLEDGE)
    client.force_login(verified_user)

    client.post(reverse("campaigns:take", args=[campaign.slug, sign.pk]))
    client.post(reverse("campaigns:take", args=[campaign.slug, pledge.pk]))
    client.post(reverse("campaigns:support", args=[campaign.slug]))  # already one

    campaign.refresh_from_db()
    assert campaign.supporter_count == 1
    assert list(CampaignSupporter.objects.values_list("campaign", "user")) == [
        (campaign.pk, verified_user.pk)
    ]
    page = client.get(reverse("my_portal")).content.decode()
    assert "You don't support a campaign yet" not in page
    assert campaign.title in page


def test_writing_a_letter_makes_the_writer_a_supporter():
    action = ActionFactory(kind=Action.Kind.WRITE)
    user = UserFactory()
    services.send_letter(action=action, user=user, subject="Please", body="Dear MP")
    action.campaign.refresh_from_db()
    assert action.campaign.supporter_count == 1
    assert CampaignSupporter.objects.filter(campaign=action.campaign, user=user).exists()


def test_taking_a_share_link_alone_does_not_make_a_supporter():
    action = ActionFactory(kind=Action.Kind.SHARE)
    services.record_share(action=action, user=UserFactory())
    assert not CampaignSupporter.objects.exists()


def test_migration_makes_earlier_actors_supporters_and_recounts():
    migration = importlib.import_module("campaigns.migrations.0007_acting_supports")
    campaign, quiet = CampaignFactory(), CampaignFactory()
    signer, both = UserFactory(), UserFactory()
    ActionTakenFactory(action=ActionFactory(campaign=campaign), user=signer)
    ActionTakenFactory(action=ActionFactory(campaign=campaign), user=signer)
    ActionTakenFactory(action=ActionFactory(campaign=campaign, kind=Action.Kind.SHARE))
    ActionTakenFactory(action=ActionFactory(campaign=campaign), user=both)
    SupporterFactory(campaign=campaign, user=both)
    Campaign.objects.filter(pk=quiet.pk).update(supporter_count=7)  # a drifted counter

    migration.acting_supports(django_apps, None)

    assert set(CampaignSupporter.objects.values_list("campaign", "user")) == {
        (campaign.pk, signer.pk),
        (campaign.pk, both.pk),
    }
    assert dict(Campaign.objects.values_list("pk", "supporter_count")) == {
        campaign.pk: 2,
        quiet.pk: 0,
    }
    assert ActionTaken.objects.count() == 4
