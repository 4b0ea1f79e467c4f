"""Fuzzing the forms the discovered-page fuzz (tests/security/test_bad_input.py) cannot
reach: the POST-only support and co-sponsor forms on a resolution's page, and the list's
own filters. Whatever arrives, the answer is a 2xx, 3xx or 4xx, never a 500, and the
counts stay equal to the rows."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolutions.models import Support
from tests.groups.factories import LocalGroupFactory
from tests.resolutions.factories import lead_of, open_resolution
from tests.security.test_bad_input import nasty_text

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
def test_list_filters_never_answer_500(client):
    open_resolution()

    @FUZZ
    @given(
        st.dictionaries(
            st.sampled_from(["q", "meeting", "status", "result", "page", "unknown"]),
            nasty_text,
            max_size=5,
        )
    )
    def check(query):
        response = client.get(
            reverse("resolutions:list"), {k: v.replace("\x00", "") for k, v in query.items()}
        )
        assert response.status_code == 200, query

    check()


@pytest.mark.django_db
def test_support_cosponsor_and_withdraw_never_answer_500(client):
    resolution = open_resolution()
    other = LocalGroupFactory()
    client.force_login(lead_of(other))
    urls = [
        reverse(f"resolutions:{name}", args=[resolution.pk])
        for name in ("support", "cosponsor", "withdraw")
    ]

    @FUZZ
    @given(
        st.sampled_from(urls),
        st.dictionaries(st.sampled_from(["comment", "group", "unknown"]), nasty_text, max_size=3),
    )
    def check(url, data):
        response = client.post(url, {k: v.replace("\x00", "") for k, v in data.items()})
        assert 200 <= response.status_code < 500, (url, data, response.status_code)
        resolution.refresh_from_db()
        assert resolution.support_count == Support.objects.filter(resolution=resolution).count()
        assert resolution.group_count == 1 + resolution.cosponsors.count()

    check()
