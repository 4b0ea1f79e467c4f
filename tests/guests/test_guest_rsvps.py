"""RSVPs without an account: a place (or the waitlist) is taken at confirmation, through
events' own service, with the same emails, .ics, reminders and one-click cancel link."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events import reminders
from events import services as event_services
from events.models import RSVP, Event
from guests import services
from guests.models import PendingAction
from portal.models import GuestContact
from tests.events.conftest import deliver_outbox
from tests.events.factories import EventFactory, RSVPFactory
from tests.factories import UserFactory

from .conftest import confirm_link, guest_data, path_of


def _rsvp(client, event, **extra):
    return client.post(reverse("guests:rsvp", args=[event.slug]), guest_data(**extra))


def test_event_page_offers_the_guest_rsvp_form(client, db):
    event = EventFactory(capacity=10)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("guests:rsvp", args=[event.slug]) in page
    assert "Postcode (optional)" in page


def test_guest_rsvp_takes_a_place_on_confirmation_with_ics_and_cancel_link(client, db):
    event = EventFactory(capacity=10)
    response = _rsvp(client, event, postcode="")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.confirmed_count == 0
    link = confirm_link()
    mail.outbox.clear()
    page = client.get(path_of(link)).content.decode()
    assert "You're coming to" in page
    event.refresh_from_db()
    assert event.confirmed_count == 1
    rsvp = RSVP.objects.get()
    assert rsvp.guest == GuestContact.objects.get() and rsvp.user is None
    deliver_outbox()
    (sent,) = mail.outbox
    assert sent.to == ["amina@example.net"]
    assert sent.attachments[0][2] == "text/calendar"
    cancel = re.search(r"https?://\S+/notifications/rsvp/\S+/", sent.body).group(0)
    # The one-click "I can't come any more" link works for a guest too.
    client.post(path_of(cancel))
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.CANCELLED


def test_guest_rsvp_on_a_full_event_joins_the_waitlist_in_turn(client, db):
    event = EventFactory(capacity=1)
    RSVPFactory(event=event)
    first_waiting = UserFactory()
    event_services.rsvp_to_event(event=event, user=first_waiting)
    _rsvp(client, event)
    link = confirm_link()
    page = client.get(path_of(link)).content.decode()
    assert "you're on the waitlist: number 2" in page
    rsvp = RSVP.objects.get(guest__isnull=False)
    assert rsvp.status == RSVP.Status.WAITLISTED
    assert event_services.waitlist_position(rsvp) == 2
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (1, 2)
    # A freed place goes to the waitlist as today: the member first, then the guest.
    event_services.cancel_rsvp(event=event, user=RSVP.objects.get(status="confirmed").user)
    event_services.cancel_rsvp(event=event, user=first_waiting)
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.CONFIRMED


def test_confirmation_link_expires_at_the_event_start(client, db):
    event = EventFactory(starts_at=timezone.now() + timedelta(days=2))
    _rsvp(client, event)
    assert PendingAction.objects.get().expires_at == event.starts_at


def test_members_only_event_needs_a_signed_in_member(client, db):
    event = EventFactory(visibility=Event.Visibility.MEMBERS)
    from tests.groups.factories import MembershipFactory

    member = MembershipFactory(group=event.group).user
    client.force_login(member)
    client.logout()
    response = _rsvp(client, event)
    assert response.status_code in (403, 404)
    assert PendingAction.objects.count() == 0


def test_guests_get_reminders_with_the_cancel_link(client, db):
    now = timezone.now()
    event = EventFactory(starts_at=now + timedelta(hours=20))
    _rsvp(client, event)
    client.get(path_of(confirm_link()))
    deliver_outbox()
    mail.outbox.clear()
    due = reminders.reminder_times(event.starts_at)["same_day"] + timedelta(seconds=1)
    reminders.sync_reminder_schedules(now=now)
    assert reminders.send_due_reminders(now=due) == 1
    deliver_outbox()
    (sent,) = mail.outbox
    assert sent.to == ["amina@example.net"]
    assert "/notifications/rsvp/" in sent.body
    assert "Turn them off" not in sent.body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_100_concurrent_guest_confirmations_never_exceed_capacity():
    capacity = 30
    event = EventFactory(capacity=capacity)
    pending_ids = [
        services.start_pending(target=event, name=f"Guest {n}", email=f"g{n}@example.net").pk
        for n in range(100)
    ]
    barrier = threading.Barrier(20)
    errors = []
    queue = list(pending_ids)
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait(timeout=60)
            while True:
                with lock:
                    if not queue:
                        return
                    pending_id = queue.pop()
                assert services.confirm_pending(pending_id=pending_id).status == "confirmed"
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    event.refresh_from_db()
    assert RSVP.objects.filter(event=event, status=RSVP.Status.CONFIRMED).count() == capacity
    assert RSVP.objects.filter(event=event, status=RSVP.Status.WAITLISTED).count() == 70
    assert (event.confirmed_count, event.waitlist_count) == (capacity, 70)
