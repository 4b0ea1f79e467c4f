"""A guest in a real browser: fill in the form, open the link from the .eml file the portal
wrote, and see the count move by exactly one (and not again on a second click)."""

import email
import re
from datetime import timedelta
from email import policy

import pytest
from django.utils import timezone

from campaigns.models import Action
from events import services as event_services
from events.models import RSVP
from portal.models import OutboxMessage
from portal.services import deliver_outbox_message
from tests.browser.helpers import axe_violations
from tests.campaigns.factories import ActionFactory
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+?(/act/confirm/\S+/)")


@pytest.fixture
def eml_dir(settings, tmp_path):
    settings.EMAIL_BACKEND = "portal.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return tmp_path


def _link_from_eml(directory) -> str:
    """Send what is queued (the worker's job), then read the .eml file like a mail program."""
    for pk in OutboxMessage.objects.filter(status="pending").values_list("pk", flat=True):
        deliver_outbox_message(message_id=pk)
    (path,) = sorted(directory.glob("*.eml"))
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    path.unlink()
    return LINK.search(body).group(1)


def _fill(page, *, name="Amina Guest", address="amina@example.net", postcode=None):
    page.fill("input[name=guest-name]", name)
    page.fill("input[name=guest-email]", address)
    if postcode is not None:
        page.fill("input[name=guest-postcode]", postcode)


def test_guest_signs_a_petition_and_confirms_from_the_eml(page, eml_dir):
    action = ActionFactory(kind=Action.Kind.SIGN, count=41)
    page.goto(action.get_absolute_url())
    _fill(page, postcode="DE1 3AA")
    page.click("#guest-form button[type=submit]")
    page.wait_for_load_state()
    assert "Check your email to confirm" in page.content()
    action.refresh_from_db()
    assert action.count == 41

    link = _link_from_eml(eml_dir)
    page.goto(link)
    assert "Your signature on" in page.content()
    assert "What next?" in page.content()
    assert axe_violations(page) == []
    action.refresh_from_db()
    assert action.count == 42

    page.goto(link)
    assert "Already confirmed" in page.content()
    action.refresh_from_db()
    assert action.count == 42
    page.goto(action.get_absolute_url())
    shown = f"42 of {action.goal_count:,}" if action.goal_count else "42 so far"
    assert shown in page.inner_text("main")


def test_guest_rsvp_on_a_full_event_gets_the_right_waitlist_place(page, eml_dir):
    event = EventFactory(capacity=1, starts_at=timezone.now() + timedelta(days=3))
    event_services.rsvp_to_event(event=event, user=UserFactory())
    event_services.rsvp_to_event(event=event, user=UserFactory())
    for pk in OutboxMessage.objects.values_list("pk", flat=True):
        deliver_outbox_message(message_id=pk)
    for path in eml_dir.glob("*.eml"):
        path.unlink()
    page.goto(event.get_absolute_url())
    assert axe_violations(page) == []
    _fill(page)
    page.click("#guest-form button[type=submit]")
    page.wait_for_load_state()
    assert "Check your email to confirm" in page.content()
    page.goto(_link_from_eml(eml_dir))
    assert "on the waitlist: number 2" in page.content()
    rsvp = RSVP.objects.get(guest__email="amina@example.net")
    assert rsvp.status == RSVP.Status.WAITLISTED
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (1, 2)


def test_measure_campaign_page_to_counted_signature(page, eml_dir, live_server):
    """The closing note's figures, measured: page loads and form fields typed from a
    campaign page to a counted signature, for a guest and for a signed-in member."""
    from tests.browser.test_pages import sign_in

    action = ActionFactory(kind=Action.Kind.SIGN, title="Sign for sanctuary", count=0)
    loads = []
    page.on("load", lambda p: loads.append(p.url))

    # Guest: campaign page, action page, one form, "check your email", the email's link.
    page.goto(action.campaign.get_absolute_url())
    page.click("text=Sign for sanctuary")
    page.wait_for_load_state()
    typed = ["guest-name", "guest-email", "guest-postcode"]
    _fill(page, postcode="DE1 3AA")
    page.click("#guest-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(_link_from_eml(eml_dir))
    action.refresh_from_db()
    assert action.count == 1
    assert len(loads) == 4 and len(typed) == 3

    # Member, signed in: campaign page, action page, the Sign button, back on the action.
    loads.clear()
    page.context.clear_cookies()
    sign_in(page, live_server, UserFactory())
    page.goto(action.campaign.get_absolute_url())
    page.click("text=Sign for sanctuary")
    page.wait_for_load_state()
    page.click("form[action$='/take/'] button[type=submit]")
    page.wait_for_load_state()
    assert "What next?" in page.content()
    action.refresh_from_db()
    assert action.count == 2
    assert len(loads) == 3
