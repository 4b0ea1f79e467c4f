"""Issue 16, the look: the progress thermometer says "1,240 of 10,000 signatures"."""

import pytest
from django.urls import reverse

from .factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_thermometer_reads_in_words_with_thousands(client):
    action = ActionFactory(goal_count=10000)
    type(action).objects.filter(pk=action.pk).update(count=1240)
    page = client.get(
        reverse("campaigns:action", args=[action.campaign.slug, action.pk])
    ).content.decode()
    assert "<strong>1,240</strong> of 10,000 signatures" in page
    assert '<progress max="10000" value="1240"' in page
