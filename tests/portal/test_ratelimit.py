import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal.ratelimit import client_ip, count, ratelimit
from tests.factories import UserFactory


@pytest.mark.django_db
def test_count_allows_up_to_the_limit_then_refuses(settings):
    settings.RATE_LIMITS = {"rsvps": "3/h"}
    request = RequestFactory().post("/x/")
    refused = [count(request, "rsvps", "test-key")["should_limit"] for _ in range(5)]
    assert refused == [False, False, False, True, True]
    assert count(request, "rsvps", "other-key")["should_limit"] is False


@pytest.mark.django_db
def test_count_can_look_without_counting(settings):
    settings.RATE_LIMITS = {"rsvps": "1/h"}
    request = RequestFactory().post("/x/")
    assert [count(request, "rsvps", "k", increment=False)["count"] for _ in range(3)] == [0, 0, 0]
    assert count(request, "rsvps", "k")["should_limit"] is False
    assert count(request, "rsvps", "k")["should_limit"] is True


@pytest.mark.django_db
def test_ratelimited_view_answers_429_with_a_readable_page_and_retry_after(settings):
    settings.RATE_LIMITS = {"rsvps": "2/h"}
    view = ratelimit("rsvps")(lambda request: HttpResponse("ok"))
    user = UserFactory()
    statuses = []
    for _ in range(3):
        request = RequestFactory().post("/x/")
        request.user = user
        statuses.append(view(request).status_code)
    assert statuses == [200, 200, 429]
    request = RequestFactory().post("/x/")
    request.user = user
    response = view(request)
    assert "Please slow down" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 3600
    get = RequestFactory().get("/x/")
    get.user = user
    assert view(get).status_code == 200


@pytest.mark.parametrize(
    ("trusted", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "203.0.113.9", "10.0.0.1", "203.0.113.9"),  # what our proxy saw
        (1, "198.51.100.7, 203.0.113.9", "10.0.0.1", "203.0.113.9"),  # a forged first hop
        (2, "198.51.100.7, 203.0.113.9", "10.0.0.1", "198.51.100.7"),
        (2, "203.0.113.9", "10.0.0.1", "203.0.113.9"),  # fewer hops than proxies
        (1, "", "10.0.0.1", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1", "0.0.0.0"),  # noqa: S104
        (1, "[2001:db8::1]", "10.0.0.1", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(
    settings, trusted, forwarded, remote, expected
):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_behind_one_proxy_each_client_address_has_its_own_bucket(client, settings):
    """Everyone arrives from the proxy's address; one client's failures must not lock out
    another."""
    settings.TRUSTED_PROXIES = 1
    settings.RATE_LIMITS = {"unsubscribe": "2/h"}
    url = "/notifications/unsubscribe/nonsense/"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = [
        client.post(url, HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy).status_code for _ in range(3)
    ]
    assert attacker == [404, 404, 429]
    assert client.post(url, HTTP_X_FORWARDED_FOR="198.51.100.5", **proxy).status_code == 404
