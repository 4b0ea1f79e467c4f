"""Django's Redis cache, with one Redis client object per connection pool.

Django's RedisCacheClient builds a new ``redis.Redis`` for every cache operation, and
each one copies redis-py's table of ~80 response callbacks: about 0.1 ms of CPU per
operation, and a signed-in page makes three (session, cache version, fragment). A
``redis.Redis`` is safe to share between threads (every command takes a connection from
the pool), so one per pool is kept and reused."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            pool = self._pools[index]
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
