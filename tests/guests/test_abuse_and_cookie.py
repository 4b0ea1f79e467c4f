"""Abuse limits (per address, per email, pending cap, honeypot) and the remember-me cookie."""

from django.urls import reverse

from campaigns.models import Action
from guests.models import PendingAction
from guests.remember import COOKIE
from tests.campaigns.factories import ActionFactory

from .conftest import guest_data


def _act(client, action, **extra):
    return client.post(
        reverse("guests:act", args=[action.campaign.slug, action.pk]), guest_data(**extra)
    )


def test_honeypot_gets_the_usual_answer_and_saves_nothing(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    response = _act(client, action, website="http://spam.example")
    assert response.status_code == 302
    assert response.url.startswith(reverse("guests:sent"))
    assert PendingAction.objects.count() == 0


def test_per_email_limit_answers_429_with_when_to_try_again(client, db, settings):
    settings.RATE_LIMITS = {"guest_emails": "2/h"}
    actions = [ActionFactory(kind=Action.Kind.SIGN) for _ in range(3)]
    assert _act(client, actions[0]).status_code == 302
    assert _act(client, actions[1], email="AMINA@example.net").status_code == 302
    response = _act(client, actions[2])
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Please wait" in response.content.decode()
    assert PendingAction.objects.count() == 2


def test_per_address_limit_uses_the_trusted_proxy_setting(client, db, settings):
    settings.RATE_LIMITS = {"guest_actions": "2/h"}
    settings.TRUSTED_PROXIES = 1
    action = ActionFactory(kind=Action.Kind.SIGN)
    url = reverse("guests:act", args=[action.campaign.slug, action.pk])

    def post(n, ip):
        return client.post(
            url, guest_data(email=f"p{n}@example.net"), HTTP_X_FORWARDED_FOR=ip
        ).status_code

    assert [post(1, "203.0.113.1"), post(2, "203.0.113.1"), post(3, "203.0.113.1")] == [
        302,
        302,
        429,
    ]
    # Another client behind the same proxy has its own bucket.
    assert post(4, "203.0.113.2") == 302


def test_pending_actions_per_email_are_capped(client, db, settings):
    settings.GUEST_PENDING_CAP = 2
    settings.RATE_LIMITS = {"guest_emails": "100/h"}
    actions = [ActionFactory(kind=Action.Kind.SIGN) for _ in range(3)]
    assert [_act(client, a).status_code for a in actions] == [302, 302, 429]
    assert PendingAction.objects.count() == 2


def test_remember_me_fills_the_next_form_and_not_you_clears_it(client, db):
    first, second = ActionFactory(kind=Action.Kind.SIGN), ActionFactory(kind=Action.Kind.PLEDGE)
    response = _act(client, first, remember="on")
    assert COOKIE in response.cookies and response.cookies[COOKIE].value
    assert response.cookies[COOKIE]["httponly"]
    page = client.get(second.get_absolute_url()).content.decode()
    assert 'value="amina@example.net"' in page
    assert 'value="Amina Guest"' in page
    assert "Not you?" in page
    response = client.post(reverse("guests:forget"), {"next": second.get_absolute_url()})
    assert response.url == second.get_absolute_url()
    assert response.cookies[COOKIE].value == ""
    page = client.get(second.get_absolute_url()).content.decode()
    assert "amina@example.net" not in page


def test_without_the_tick_nothing_is_stored_on_the_device(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    response = _act(client, action)
    assert response.cookies.get(COOKIE) is None or response.cookies[COOKIE].value == ""
    assert "sessionid" not in response.cookies
    page = client.get(action.get_absolute_url()).content.decode()
    assert "amina@example.net" not in page


def test_a_tampered_cookie_is_ignored(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    client.cookies[COOKIE] = "Mallory\nmallory@example.net\n:forged"
    page = client.get(action.get_absolute_url()).content.decode()
    assert "mallory@example.net" not in page


def test_a_remembered_visitors_details_never_reach_the_page_cache(client, db, settings):
    from tests.events.factories import EventFactory

    settings.PAGE_CACHE_SECONDS = 60
    event = EventFactory()
    action = ActionFactory(kind=Action.Kind.SIGN)
    _act(client, action, remember="on")
    for _ in range(2):
        assert "amina@example.net" in client.get(event.get_absolute_url()).content.decode()
    stranger = type(client)()
    for _ in range(2):
        assert "amina@example.net" not in stranger.get(event.get_absolute_url()).content.decode()


def test_a_cached_guest_form_still_works_for_the_next_visitor(db, settings):
    """The anonymous page cache stores the event page with one visitor's CSRF token; the
    guest form must still work for the next visitor (a same-origin check instead)."""
    from django.test import Client

    from tests.events.factories import EventFactory

    settings.PAGE_CACHE_SECONDS = 60
    event = EventFactory()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(event.get_absolute_url())
    first.get(event.get_absolute_url())
    page = second.get(event.get_absolute_url())
    url = reverse("guests:rsvp", args=[event.slug])
    response = second.post(url, guest_data(), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302, page.get("X-Page-Cache")
    assert PendingAction.objects.count() == 1
    refused = second.post(url, guest_data(), HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    refused = second.post(url, guest_data(), HTTP_SEC_FETCH_SITE="cross-site")
    assert refused.status_code == 403
    assert PendingAction.objects.count() == 1
