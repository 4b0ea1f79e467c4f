"""The per-person page cache of My portal and the review dashboard (portal.privatecache):
a repeat load costs no page queries, an edit anywhere shows at once, a page is never
shown to anyone else, who may see it is checked on every load, forms in a cached page
carry the current request's CSRF token, and a waiting message is shown, once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import PartnerSuggestion
from portal import privatecache
from portal.privatecache import csrf_placeholder
from tests.factories import UserFactory
from tests.groups.factories import (
    AreaFactory,
    LocalGroupFactory,
    MembershipFactory,
    RegionalRoleFactory,
)
from tests.partners.factories import PartnerSuggestionFactory
from tests.queries import TWO_FACTOR_CHECK

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.REVIEW_CACHE_SECONDS = 300
    return settings


def repeat_load_queries(settings):
    """With Redis: the user row and the two-factor check, which also says whether the
    person is a rep (the review's own check on every load). With the embedded defaults
    also the session row and the database cache's read of the page."""
    queries = 1 + TWO_FACTOR_CHECK
    return queries if settings.REDIS_URL else queries + 2


def without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_my_portal_is_cached_and_an_edit_anywhere_shows_at_once(
    client, cached, django_assert_num_queries, django_capture_on_commit_callbacks
):
    member = MembershipFactory(group__name="Derby").user
    group = member.memberships.get().group
    client.force_login(member)
    first = client.get(reverse("my_portal")).content.decode()
    assert "Derby" in first
    assert "Peace Week programme out" not in first

    with django_assert_num_queries(repeat_load_queries(cached)):
        again = client.get(reverse("my_portal"))
    # The same page, but for the CSRF token, which is masked afresh for each response.
    assert without_tokens(again.content.decode()) == without_tokens(first)

    lead = MembershipFactory(group=group, lead=True).user
    other = Client()
    other.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = other.post(
            reverse("groups:announce", args=[group.slug]),
            {"title": "Peace Week programme out", "body": "See the events page."},
        )
    assert response.status_code == 302
    assert "Peace Week programme out" in client.get(reverse("my_portal")).content.decode()


def test_a_cached_page_is_only_ever_shown_to_its_person(client, cached):
    amira = UserFactory(display_name="Amira")
    ben = UserFactory(display_name="Ben")
    MembershipFactory(user=amira, group=LocalGroupFactory(name="Derby"))
    MembershipFactory(user=ben, group=LocalGroupFactory(name="Leicester"))
    for _ in range(2):
        client.force_login(amira)
        html = client.get(reverse("my_portal")).content.decode()
        assert "Hello, Amira" in html and "Derby" in html
        assert "Hello, Ben" not in html and "Leicester" not in html
        client.force_login(ben)
        html = client.get(reverse("my_portal")).content.decode()
        assert "Hello, Ben" in html and "Leicester" in html
        assert "Hello, Amira" not in html and "Derby" not in html


def test_review_forms_in_a_cached_page_carry_this_requests_csrf_token(
    cached, django_assert_num_queries, django_capture_on_commit_callbacks
):
    area = AreaFactory()
    rep = RegionalRoleFactory(region=area.region).user
    suggestion = PartnerSuggestionFactory(area=area, name="Malvern Welcomes")
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    url = reverse("review:dashboard")
    assert "Malvern Welcomes" in client.get(url).content.decode()

    with django_assert_num_queries(repeat_load_queries(cached)):
        html = client.get(url).content.decode()
    assert csrf_placeholder() not in html
    decline = reverse("partners:suggestion_decline", args=[suggestion.pk])
    form = re.search(rf'action="{decline}".*?name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert form is not None

    with django_capture_on_commit_callbacks(execute=True):  # the version bumps
        response = client.post(decline, {"csrfmiddlewaretoken": form[1], "reason": "Out of area"})

    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == PartnerSuggestion.Status.DECLINED
    client.get(response["Location"])  # where the "declined" message (naming it) is shown
    assert "Malvern Welcomes" not in client.get(url).content.decode()


def test_who_may_see_the_review_is_checked_on_every_load(client, cached):
    role = RegionalRoleFactory()
    client.force_login(role.user)
    assert client.get(reverse("review:dashboard")).status_code == 200
    # Removed without a POST through the portal (say, from a shell): the cached page is
    # still there, but it is not served.
    role.delete()
    assert client.get(reverse("review:dashboard")).status_code == 404


def test_a_waiting_message_is_shown_once_and_never_cached(client, cached):
    UserFactory(email="amira@example.org", display_name="Amira")
    client.get(reverse("my_portal"))  # not signed in: sent to sign in
    signed_in = client.post(
        reverse("account_login"),
        {"login": "amira@example.org", "password": "correct horse battery"},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == reverse("my_portal")
    html = signed_in.content.decode()
    assert "Hello, Amira" in html
    assert "Successfully signed in as" in html

    again = client.get(reverse("my_portal")).content.decode()
    assert "Hello, Amira" in again
    assert "Successfully signed in as" not in again


def test_my_portal_built_by_another_process_is_served_from_the_cache(
    client, cached, django_assert_num_queries
):
    """A process that has not seen the page reads the scopes it depends on from the stored
    copy (a second round trip), then serves it."""
    member = MembershipFactory(group__name="Derby").user
    client.force_login(member)
    first = client.get(reverse("my_portal")).content.decode()
    privatecache._known_scopes.clear()  # what a freshly started process knows
    with django_assert_num_queries(repeat_load_queries(cached)):
        again = client.get(reverse("my_portal"))
    assert without_tokens(again.content.decode()) == without_tokens(first)
    key = next(iter(privatecache._known_scopes))
    assert privatecache._known_scopes[key] == (
        "conversations",
        f"group:{member.memberships.get().group.slug}",
        f"person:{member.pk}",
        "resolutions",
        "site",
    )
