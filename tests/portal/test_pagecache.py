import pytest
from django.core.cache import cache
from django.urls import reverse

from groups.models import LocalGroup
from portal import pagecache
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, MembershipFactory


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.mark.django_db
def test_anonymous_public_page_is_served_from_the_cache(
    client, cached, settings, django_assert_num_queries
):
    group = LocalGroupFactory(name="Derby")
    url = reverse("groups:detail", args=[group.slug])
    assert client.get(url)["X-Page-Cache"] == "miss"
    # Without Redis the cache is a database table: its two reads are the only queries.
    with django_assert_num_queries(0 if settings.REDIS_URL else 2):
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "Derby" in response.content.decode()


@pytest.mark.django_db
def test_an_edit_shows_at_once(client, cached, django_capture_on_commit_callbacks):
    lead = MembershipFactory(lead=True, group__name="Derby").user
    group = lead.memberships.get().group
    url = reverse("groups:detail", args=[group.slug])
    client.get(url)
    editor = type(client)()
    editor.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("groups:edit", args=[group.slug]),
            {
                "name": "Derby",
                "kind": "local",
                "description": "Now meeting weekly",
                "town": "Derby",
                "postcode_district": "DE1",
                "meeting_note": "Every Tuesday",
                "contact_email": "derby@groups.example.org",
                "founded": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[:500]
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Every Tuesday" in fresh.content.decode()


@pytest.mark.django_db
def test_signed_in_people_never_get_a_cached_page(client, cached):
    group = LocalGroupFactory()
    url = reverse("groups:detail", args=[group.slug])
    client.get(url)
    client.force_login(UserFactory())
    response = client.get(url)
    assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_private_pages_and_pages_that_set_cookies_are_not_cached(client, cached):
    assert "X-Page-Cache" not in client.get(reverse("account_login"))
    assert "X-Page-Cache" not in client.get(reverse("search"), {"q": "x"})


@pytest.mark.django_db
def test_signing_in_and_out_keep_the_cache_and_a_described_write_bumps_only_its_scopes(
    client, cached, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from portal import pagecache

    def version():
        scopes = ("site", "private", f"group:{group.slug}", "list:groups")
        found = cache.get_many([pagecache.version_key(s) for s in scopes])
        return [found.get(pagecache.version_key(s), 0) for s in scopes]

    lead = MembershipFactory(lead=True).user
    group = lead.memberships.get().group

    UserFactory(email="amira@example.org")
    start = version()
    signed_in = client.post(
        reverse("account_login"),
        {"login": "amira@example.org", "password": "correct horse battery"},
    )
    assert signed_in.status_code == 302
    assert client.post(reverse("my_data_download")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert version() == start

    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            reverse("groups:announce", args=[group.slug]), {"title": "Vigil", "body": "Friday"}
        )
    assert posted.status_code == 302
    # The group's page and the private pages; not the site, not the groups list.
    assert version() == [start[0], start[1] + 1, start[2] + 1, start[3]]


@pytest.mark.django_db
def test_while_one_reader_rebuilds_a_stale_page_the_others_get_the_previous_copy(
    client, cached, django_capture_on_commit_callbacks
):
    group = LocalGroupFactory(name="Derby")
    url = reverse("groups:detail", args=[group.slug])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        LocalGroup.objects.filter(pk=group.pk).update(name="Derby City")
        pagecache.touch(f"group:{group.slug}")
    # Another process has started the rebuild: the previous copy, marked as such.
    assert cache.add(pagecache.rebuild_lock_key(url), 1, timeout=5)
    during = client.get(url)
    assert during["X-Page-Cache"] == "stale"
    assert "Derby City" not in during.content.decode()
    # Its rebuild done (or its lock expired): the next reader rebuilds and sees the edit.
    cache.delete(pagecache.rebuild_lock_key(url))
    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert "Derby City" in after.content.decode()
    assert cache.get(pagecache.rebuild_lock_key(url)) is None
    assert client.get(url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_a_page_with_no_previous_copy_is_built_even_while_another_reader_builds_it(client, cached):
    group = LocalGroupFactory(name="Derby")
    url = reverse("groups:detail", args=[group.slug])
    assert cache.add(pagecache.rebuild_lock_key(url), 1, timeout=5)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Derby" in response.content.decode()


@pytest.mark.django_db
def test_without_a_rebuild_window_every_reader_of_a_stale_page_rebuilds_it(
    client, cached, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_REBUILD_SECONDS = 0
    group = LocalGroupFactory(name="Derby")
    url = reverse("groups:detail", args=[group.slug])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        LocalGroup.objects.filter(pk=group.pk).update(name="Derby City")
        pagecache.touch(f"group:{group.slug}")
    cache.add(pagecache.rebuild_lock_key(url), 1, timeout=5)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Derby City" in response.content.decode()


@pytest.mark.django_db
def test_a_page_that_is_gone_is_not_served_from_its_previous_copy(
    client, cached, django_capture_on_commit_callbacks
):
    group = LocalGroupFactory(name="Derby")
    url = reverse("groups:detail", args=[group.slug])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        LocalGroup.objects.filter(pk=group.pk).update(is_active=False)
        pagecache.touch(f"group:{group.slug}")
    assert client.get(url).status_code == 404
    # Someone else is rebuilding it: there is no previous copy to give.
    assert cache.add(pagecache.rebuild_lock_key(url), 1, timeout=5)
    assert client.get(url).status_code == 404
