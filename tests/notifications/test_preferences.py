import re

import pytest
from django.test import Client
from django.utils import timezone

from portal.models import User
from portal.notifications import unsubscribe_token, unsubscribe_url
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory, RegionalRoleFactory

pytestmark = pytest.mark.django_db


def test_one_click_unsubscribe_via_post_works_without_a_session_or_csrf_token():
    user = UserFactory(campaign_digest_consent_at=timezone.now())
    path = unsubscribe_url(user, "activist").removeprefix("https://portal.example.org")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.campaign_digest_consent_at is None


def test_unsubscribe_get_shows_a_button_and_changes_nothing(client):
    user = UserFactory(lead_digest=True)
    response = client.get(f"/notifications/unsubscribe/{unsubscribe_token(user, 'lead')}/")
    assert response.status_code == 200
    assert "Stop getting the group leads&#x27; digest?" in response.content.decode()
    user.refresh_from_db()
    assert user.lead_digest is True
    client.post(f"/notifications/unsubscribe/{unsubscribe_token(user, 'lead')}/")
    user.refresh_from_db()
    assert user.lead_digest is False


@pytest.mark.parametrize("token", ["1.activist:forged", "nonsense", "1.admin:x"])
def test_unsubscribe_with_a_bad_token_is_404(client, token):
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 404


def test_unsubscribe_token_for_one_list_does_not_touch_another(client):
    user = UserFactory(rep_digest=True, lead_digest=True)
    client.post(f"/notifications/unsubscribe/{unsubscribe_token(user, 'rep')}/")
    user.refresh_from_db()
    assert (user.rep_digest, user.lead_digest) == (False, True)


def test_settings_page_needs_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_settings_consent_is_unticked_by_default_and_keeps_the_time_it_was_given(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert 'name="campaign_digest_consent"' in page
    (checkbox,) = re.findall(r"<input[^>]*name=\"campaign_digest_consent\"[^>]*>", page)
    assert "checked" not in checkbox
    assert 'name="lead_digest"' not in page  # not a lead
    before = timezone.now()
    response = client.post(
        "/notifications/",
        {"campaign_digest_consent": "on", "digest_frequency": "daily", "event_reminders": ""},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.campaign_digest_consent_at >= before
    assert (user.digest_frequency, user.event_reminders) == ("daily", False)
    given = user.campaign_digest_consent_at
    client.post(
        "/notifications/",
        {"campaign_digest_consent": "on", "digest_frequency": "weekly", "event_reminders": "on"},
    )
    user.refresh_from_db()
    assert user.campaign_digest_consent_at == given
    client.post("/notifications/", {"digest_frequency": "weekly", "event_reminders": "on"})
    user.refresh_from_db()
    assert user.campaign_digest_consent_at is None


def test_settings_show_lead_and_rep_choices_to_leads_and_reps(client):
    user = MembershipFactory(lead=True).user
    RegionalRoleFactory(user=user)
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert 'name="lead_digest"' in page and 'name="rep_digest"' in page
    client.post("/notifications/", {"digest_frequency": "never", "lead_digest": "on"})
    user.refresh_from_db()
    assert (user.lead_digest, user.rep_digest, user.digest_frequency) == (True, False, "never")


def test_settings_reject_an_unknown_frequency(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/notifications/", {"digest_frequency": "hourly"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.digest_frequency == "weekly"


@pytest.mark.parametrize("consent", [True, False])
def test_signup_records_digest_consent_only_when_ticked(client, consent):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="campaign_digest_consent"' in page
    data = {
        "email": "new@example.org",
        "display_name": "New Person",
        "password1": "a long enough passphrase 42",
        "password2": "a long enough passphrase 42",
    }
    if consent:
        data["campaign_digest_consent"] = "on"
    client.post("/accounts/signup/", data)
    user = User.objects.get(email="new@example.org")
    assert (user.campaign_digest_consent_at is not None) is consent
