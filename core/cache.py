"""Django's Redis cache backend, with one Redis client per process instead of one per call.

Django's RedisCacheClient builds a new `redis.Redis` around its connection pool for every
cache operation; building one registers ~170 response callbacks, and that was a sixth of
the CPU of a cached catalog page (and of the logout-denylist lookup on every JWT request).
A `redis.Redis` is safe to share between threads, and its pool reconnects after a fork,
so one per pool is enough. Everything else is Django's backend unchanged.

CACHE_ERRORS are what a cache call raises while Redis is down: the catalog cache treats them
as a miss, an API request that needs the cache (throttles, the logout denylist) gets a 503.
"""

import redis as redis_client
from django.core.cache.backends import redis

CACHE_ERRORS = (redis_client.RedisError,)


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
