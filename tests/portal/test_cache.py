"""portal.cache: Django's Redis cache with one client object per connection pool."""

import threading

import pytest
from django.conf import settings
from django.core.cache import caches

from portal.cache import RedisCache

pytestmark = pytest.mark.redis


def test_the_configured_cache_is_ours():
    assert isinstance(caches["default"], RedisCache)


def test_every_operation_shares_one_client_and_the_cache_still_works():
    backend = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "portal-cache-test"})
    first = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is first
    backend.set("greeting", {"text": "hello"}, timeout=30)
    assert backend.get("greeting") == {"text": "hello"}
    assert backend.get_many(["greeting", "absent"]) == {"greeting": {"text": "hello"}}
    backend.set("count", 1, timeout=30)
    assert backend.incr("count") == 2
    backend.delete_many(["greeting", "count"])
    assert backend.get_many(["greeting", "count"]) == {}
    assert backend._cache.get_client() is first


def test_threads_share_the_client_safely():
    backend = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "portal-cache-test"})
    backend.set("hits", 0, timeout=30)
    errors = []

    def work():
        try:
            for _ in range(50):
                backend.incr("hits")
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert backend.get("hits") == 400
    backend.delete("hits")
