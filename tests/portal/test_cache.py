"""The shared cache on Redis: django-redis, one client per server shared by every call and
every thread."""

import threading

import pytest
from django.core.cache import caches
from django_redis.cache import RedisCache

pytestmark = pytest.mark.redis


def test_the_configured_cache_is_django_redis_and_reuses_one_client():
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    first = cache.client.get_client()
    cache.set("greeting", {"text": "hello"}, timeout=30)
    assert cache.get("greeting") == {"text": "hello"}
    assert cache.get_many(["greeting", "absent"]) == {"greeting": {"text": "hello"}}
    cache.set("count", 1, timeout=30)
    assert cache.incr("count") == 2
    cache.delete_many(["greeting", "count"])
    assert cache.get_many(["greeting", "count"]) == {}
    assert cache.client.get_client(write=True) is first


def test_threads_share_the_client_safely():
    cache = caches["default"]
    cache.set("hits", 0, timeout=30)
    errors = []

    def work():
        try:
            for _ in range(50):
                cache.incr("hits")
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("hits") == 400
