"""Sign-in limits behind the README's TLS proxy: one attacker cannot lock everyone out,
and a person whose account was locked by someone else's guesses gets back in by
resetting their password."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal import services
from portal.models import OutboxMessage
from tests.factories import UserFactory

PROXY = {"REMOTE_ADDR": "10.0.0.1"}
ATTACKER = "203.0.113.66"
VICTIM_HOME = "198.51.100.7"
SOMEONE_ELSE = "198.51.100.5"
LOCKED = "Too many failed login attempts"


def sign_in(client, email, password, address):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        HTTP_X_FORWARDED_FOR=address,
        **PROXY,
    )


@pytest.mark.django_db
def test_behind_one_proxy_failed_logins_from_one_address_lock_out_no_other(client, settings):
    settings.TRUSTED_PROXIES = 1
    UserFactory(email="bystander@example.org")
    for number in range(12):  # past the per-address limit (10 a minute)
        sign_in(client, f"guess{number}@example.org", "wrong", ATTACKER)
    assert LOCKED in sign_in(client, "guess99@example.org", "wrong", ATTACKER).content.decode()
    response = sign_in(client, "bystander@example.org", "correct horse battery", SOMEONE_ELSE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def deliver_all():
    for message_id in OutboxMessage.objects.values_list("pk", flat=True):
        services.deliver_outbox_message(message_id=message_id)


@pytest.mark.django_db
def test_after_a_password_reset_the_person_signs_in_from_their_usual_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TRUSTED_PROXIES = 1
    UserFactory(email="target@example.org")
    for _ in range(5):  # someone else guesses this account's password
        sign_in(client, "Target@example.org", "wrong", ATTACKER)
    refused = sign_in(client, "target@example.org", "correct horse battery", VICTIM_HOME)
    assert LOCKED in refused.content.decode()
    # The person resets their password, from home.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"),
            {"email": "target@example.org"},
            HTTP_X_FORWARDED_FOR=VICTIM_HOME,
            **PROXY,
        )
    deliver_all()
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    page = client.get(link[1], follow=True, HTTP_X_FORWARDED_FOR=VICTIM_HOME, **PROXY)
    new = "a new and much longer passphrase"
    done = client.post(
        page.redirect_chain[-1][0],
        {"password1": new, "password2": new},
        HTTP_X_FORWARDED_FOR=VICTIM_HOME,
        **PROXY,
    )
    assert done.status_code == 302
    client.logout()
    response = sign_in(client, "target@example.org", new, VICTIM_HOME)
    assert LOCKED not in response.content.decode()
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
