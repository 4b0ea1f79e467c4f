"""axe-core on the pages that name people who chose to be seen (issue 16): an event's
"who's going" with every avatar tone, a campaign's recent signers, and the profile's
choice; and the RSVP form's tick box works in the browser."""

import pytest

from campaigns.models import Action
from events.models import RSVP
from tests.campaigns.factories import ActionFactory, ActionTakenFactory
from tests.events.factories import EventFactory, RSVPFactory
from tests.factories import UserFactory

from .helpers import axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Names whose hashes give all eight tones between them (portal_tags.avatar).
NAMES = [f"Person {letter}{n}" for n, letter in enumerate("ABCDEFGHIJKL")]


def test_who_is_going_and_the_rsvp_tick_box_are_accessible(page):
    event = EventFactory(capacity=40)
    for name in NAMES:
        RSVPFactory(event=event, user__display_name=name, show_name=True)
    RSVPFactory(event=event)  # one who did not choose to be seen
    user = UserFactory(email="going@example.org", display_name="Gita Going")
    login(page, "going@example.org")
    page.goto(event.get_absolute_url())
    assert page.locator(".pp-going").inner_text().startswith("13 people are going")
    assert axe_violations(page) == []
    page.get_by_label("Show my first name and initial to others").check()
    page.get_by_role("button", name="I'm coming").click()
    page.wait_for_load_state()
    assert RSVP.objects.get(user=user).show_name is True
    assert "Gita G." in page.locator(".pp-going").inner_text()


def test_recent_signers_and_the_profile_choice_are_accessible(page):
    action = ActionFactory(kind=Action.Kind.SIGN)
    for name in NAMES[:6]:
        ActionTakenFactory(action=action, user__display_name=name, show_name=True)
    page.goto(action.campaign.get_absolute_url())
    assert page.locator(".pp-people li").count() == 6
    assert axe_violations(page) == []
    UserFactory(email="profile@example.org")
    login(page, "profile@example.org")
    page.goto("/me/profile/")
    assert page.get_by_label("Show my first name and initial to others").is_checked() is False
    assert axe_violations(page) == []
