import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Action, ActionTaken
from events import services as event_services
from events.models import RSVP
from groups.models import Membership
from portal.models import OutboxMessage, User
from tests.factories import UserFactory
from tests.front.test_search import make_campaign, make_event
from tests.groups.factories import LocalGroupFactory, MembershipFactory


@pytest.fixture
def person(db):
    user = UserFactory(email="me@example.org", display_name="Me Myself")
    group = LocalGroupFactory(name="Derby")
    MembershipFactory(group=group, user=user)
    MembershipFactory(group=group, lead=True)
    campaign = make_campaign("Refugees Welcome")
    action = Action.objects.create(campaign=campaign, kind=Action.Kind.SIGN, title="Sign it")
    ActionTaken.objects.create(action=action, user=user)
    Action.objects.filter(pk=action.pk).update(count=1)
    event = make_event(group, "Full workshop", capacity=1)
    event_services.rsvp_to_event(event=event, user=user)
    waiting = UserFactory(email="waiting@example.org")
    event_services.rsvp_to_event(event=event, user=waiting)
    OutboxMessage.objects.create(
        dedupe_key="t:1", kind="test", to=user.email, user=user, subject="Hello", body_text="x"
    )
    return user


def download(client, user):
    client.force_login(user)
    response = client.post(reverse("my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_download_my_data_holds_everything_about_me(client, person):
    archive = download(client, person)
    assert sorted(archive.namelist()) == [
        "actions.csv",
        "campaigns_supported.csv",
        "case_letters.csv",
        "cases_acted_on.csv",
        "consents.csv",
        "conversation_posts.csv",
        "conversation_reports.csv",
        "emails_sent_to_me.csv",
        "learning_record_choice.csv",
        "memberships.csv",
        "modules_completed.csv",
        "my-data.json",
        "profile.csv",
        "resolutions_proposed.csv",
        "resolutions_supported.csv",
        "resource_subscriptions.csv",
        "resources_submitted.csv",
        "rsvps.csv",
        "solidarity_messages.csv",
    ]
    data = json.loads(archive.read("my-data.json"))
    assert data["profile"][0]["email"] == "me@example.org"
    assert [m["group"] for m in data["memberships"]] == ["Derby"]
    assert [(r["event"], r["status"]) for r in data["rsvps"]] == [("Full workshop", "confirmed")]
    assert [a["action"] for a in data["actions"]] == ["Sign it"]
    assert [e["subject"] for e in data["emails_sent_to_me"]][-1] == "Hello"
    assert len(data["emails_sent_to_me"]) == 2  # the RSVP confirmation and "Hello"
    assert "Full workshop" in archive.read("rsvps.csv").decode()


def test_download_my_data_needs_login_and_post(client, person):
    assert client.post(reverse("my_data_download")).status_code == 302
    client.force_login(person)
    assert client.get(reverse("my_data_download")).status_code == 405


def test_delete_account_needs_the_password_again(client, person):
    client.force_login(person)
    response = client.post(reverse("delete_account"), {"confirm": "on", "password": "guess"})
    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


CONFIRM = {"confirm": "on", "password": "correct horse battery"}


def reauthenticated(client, user):
    client.force_login(user)
    return client


def test_delete_account_erases_me_and_keeps_counts(
    client, person, django_capture_on_commit_callbacks
):
    event = RSVP.objects.get(user=person).event
    action = Action.objects.get()
    reauthenticated(client, person)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("delete_account"), CONFIRM)
    assert response.status_code == 302
    assert not User.objects.filter(email__iexact="me@example.org").exists()
    event.refresh_from_db()
    waiting = RSVP.objects.get(user__email="waiting@example.org")
    assert (event.confirmed_count, event.waitlist_count, waiting.status) == (1, 0, "confirmed")
    action.refresh_from_db()
    assert action.count == 1
    assert ActionTaken.objects.get().user is None
    assert not OutboxMessage.objects.filter(to="me@example.org").exists()
    assert Membership.objects.filter(user__email="me@example.org").count() == 0
    group = LocalGroupFactory._meta.model.objects.get(name="Derby")
    assert group.member_count == 1


def test_delete_account_refuses_the_last_lead(client, db):
    lead = MembershipFactory(lead=True).user
    reauthenticated(client, lead)
    response = client.post(reverse("delete_account"), CONFIRM)
    assert response.status_code == 200
    assert "You are the only lead of" in response.content.decode()
    assert User.objects.filter(pk=lead.pk).exists()


def test_delete_account_needs_the_confirmation_box(client, person):
    reauthenticated(client, person)
    response = client.post(reverse("delete_account"), {"password": "correct horse battery"})
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_past_rsvps_stay_as_anonymous_rows(client, db):
    user = UserFactory()
    group = LocalGroupFactory()
    past = make_event(group, "Past vigil")
    past.starts_at = timezone.now() - timedelta(days=10)
    past.ends_at = past.starts_at + timedelta(hours=1)
    past.save()
    RSVP.objects.create(event=past, user=user, status=RSVP.Status.CONFIRMED)
    reauthenticated(client, user)
    client.post(reverse("delete_account"), CONFIRM)
    assert list(RSVP.objects.filter(event=past).values_list("user", "status")) == [
        (None, "confirmed")
    ]
