import pytest
from django.core.management import call_command

from events.models import RSVP, Event, EventReport, Festival


@pytest.mark.django_db
def test_seed_demo_creates_events_and_is_idempotent(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    festival = Festival.objects.get(slug__startswith="derby-peace-week-")
    sessions = festival.sessions.all()
    assert sessions.count() == 8
    assert sessions.values("venue").distinct().count() >= 3
    assert sessions.filter(venue__name="Derby Multi-Faith Centre").exists()
    assert festival.partners.filter(slug="derby-multi-faith-centre").exists()
    assert Event.objects.filter(slug="birmingham-refugee-support-training").exists()
    stall = Event.objects.get(slug="derby-lift-the-ban-stall")
    assert stall.campaign is not None and stall.campaign.slug == "lift-the-ban"
    assert EventReport.objects.count() == 3
    full = Event.objects.get(slug="peace-week-film-human-flow")
    assert (full.confirmed_count, full.waitlist_count, full.capacity) == (3, 2, 3)
    for event in Event.objects.all():
        assert event.confirmed_count == event.rsvps.filter(status=RSVP.Status.CONFIRMED).count()
