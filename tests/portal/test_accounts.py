import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from portal import services
from portal.models import OutboxMessage, User
from tests.factories import UserFactory

SIGNUP = {
    "email": "new.activist@example.org",
    "display_name": "New Activist",
    "postcode_district": "de1 3aa",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
}


def deliver_all():
    for message_id in OutboxMessage.objects.values_list("pk", flat=True):
        services.deliver_outbox_message(message_id=message_id)


@pytest.mark.django_db
def test_signup_sends_one_verification_email_whose_link_verifies(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert len(callbacks) == 1
    user = User.objects.get(email="new.activist@example.org")
    assert (user.display_name, user.postcode_district, user.email_verified) == (
        "New Activist",
        "DE1",
        False,
    )
    message = OutboxMessage.objects.get()
    assert (message.kind, message.to, message.user) == ("account", user.email, user)

    deliver_all()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body)
    assert link is not None
    assert client.get(link.group(1)).status_code == 200
    response = client.post(link.group(1))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified is True
    assert EmailAddress.objects.get(user=user).verified is True


@pytest.mark.django_db
def test_signup_rejects_bad_postcode_with_message(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "postcode_district": "12345"})
    assert response.status_code == 200
    assert "Enter a UK postcode" in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_unverified_user_cannot_sign_in(client):
    UserFactory(email="pending@example.org", email_verified=False)
    response = client.post(
        reverse("account_login"),
        {"login": "pending@example.org", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_verified_required_sends_unverified_user_to_email_page(rf):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from portal.permissions import verified_required

    user = UserFactory(email_verified=False)
    request = rf.post("/act/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    response = verified_required(lambda r: None)(request)
    assert (response.status_code, response["Location"]) == (302, reverse("account_email"))


@pytest.mark.django_db
def test_email_is_unique_regardless_of_case():
    UserFactory(email="same@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="Same@Example.org", password="x")


@pytest.mark.django_db
def test_login_is_rate_limited_after_repeated_failures(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "target@example.org", "password": "wrong"}
        )
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"),
        {"login": "target@example.org", "password": "correct horse battery"},
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_verified_user_signs_in_and_lands_on_my_portal(client):
    UserFactory(email="ok@example.org", display_name="Okay Person")
    response = client.post(
        reverse("account_login"),
        {"login": "OK@example.org", "password": "correct horse battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("my_portal")
    assert "Hello, Okay Person" in response.content.decode()


@pytest.mark.django_db
def test_my_portal_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("my_portal"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_profile_saves_display_name_and_postcode_district(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("profile"), {"display_name": "Renamed", "postcode_district": "b1 1bb"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.postcode_district) == ("Renamed", "B1")
    response = client.post(reverse("profile"), {"display_name": "", "postcode_district": "??"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.display_name, user.postcode_district) == ("Renamed", "B1")
