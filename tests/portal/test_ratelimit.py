import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal.ratelimit import hit, parse_rate, ratelimit
from tests.factories import UserFactory


def test_parse_rate_reads_count_and_window():
    assert parse_rate("10/m") == (10, 60)
    assert parse_rate("5/10m") == (5, 600)
    assert parse_rate("100/d") == (100, 86400)


@pytest.mark.django_db
def test_hit_allows_up_to_the_limit_then_refuses():
    assert [hit("test:key", "3/h") for _ in range(5)] == [True, True, True, False, False]
    assert hit("test:other", "3/h") is True


@pytest.mark.django_db
def test_ratelimited_view_answers_429_with_a_readable_page(settings):
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
    assert "Please slow down" in view(request).content.decode()
    get = RequestFactory().get("/x/")
    get.user = user
    assert view(get).status_code == 200
