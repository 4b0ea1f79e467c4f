"""Issue 16, the look: the thermometer says "1,240 of 10,000 signatures"; signers who chose
to be seen get initials."""

import pytest
from django.urls import reverse

from portal.templatetags.portal_tags import avatar

from .factories import ActionFactory, ActionTakenFactory

pytestmark = pytest.mark.django_db


def test_thermometer_reads_in_words_with_thousands(client):
    action = ActionFactory(goal_count=10000)
    type(action).objects.filter(pk=action.pk).update(count=1240)
    page = client.get(
        reverse("campaigns:action", args=[action.campaign.slug, action.pk])
    ).content.decode()
    assert "<strong>1,240</strong> of 10,000 signatures" in page
    assert '<progress max="10000" value="1240"' in page


def test_recent_signers_who_chose_to_be_seen_get_initials(client):
    action = ActionFactory()
    ActionTakenFactory(action=action, user__display_name="Shown Person", show_name=True)
    ActionTakenFactory(action=action, user__display_name="Hidden Person", show_name=False)
    page = client.get(action.campaign.get_absolute_url()).content.decode()
    assert f"{avatar('Shown P.')}Shown P." in page
    assert "Hidden Person" not in page
