import pytest
from django.core.management import call_command

from campaigns.models import ActionTaken
from events.models import RSVP
from guests.models import PendingAction
from portal.models import GuestContact


@pytest.mark.django_db
def test_seed_demo_adds_guests_and_is_idempotent(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert GuestContact.objects.count() == 2
    assert ActionTaken.objects.filter(guest__isnull=False).count() == 2
    assert RSVP.objects.filter(guest__isnull=False).count() == 1
    assert PendingAction.objects.filter(confirmed_at__isnull=True).count() == 1
