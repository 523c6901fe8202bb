"""Django's Redis cache, minus two costs every rate-limited request paid (docs/benchmarks.md).

- Django builds a new ``redis.Redis`` object for every cache call. Its constructor fills a
  table of ~170 response callbacks, so that cost more CPU than the command itself. A client
  is thread-safe and only borrows connections from its pool, so one per pool is kept.
- ``incr`` asked ``EXISTS`` and then ``INCRBY``: two round trips, and a key that expired in
  between came back without a TTL, counting forever. One Lua script does both atomically.

It also adds ``incr_with_expiry`` for the rate limits (config/rate_limit.py): count a hit and,
on a window's first hit, set the window's expiry, in one atomic script.

**Redis away: every key is missing and every write is lost**, with a warning logged, instead
of an error page. Nothing Convene keeps in the cache is the only copy of anything (sessions
live in the database; rate-limit counters and allauth's code attempts start again), and
with the outbox relay no request needs the broker either, so sign-in and registration keep
answering while Redis restarts (docs/design.md, "The outbox relay"). ``incr`` and
``incr_with_expiry`` still raise: their callers decide (config/rate_limit.py lets people
through).
"""

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# Increment only a key that exists (Django's incr raises ValueError for a missing one).
_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""

# Count a hit; the hit that creates the counter sets its expiry.
_INCR_WITH_EXPIRY = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return hits
"""


logger = logging.getLogger(__name__)
Result = TypeVar("Result")


def _redis_away(answer: Callable[..., Any]) -> Callable[[Callable[..., Result]], Any]:
    """While Redis cannot be reached, answer ``answer(*args, **kwargs)`` instead of raising."""

    def decorate(method: Callable[..., Result]) -> Callable[..., Any]:
        @functools.wraps(method)
        def tolerant(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError) as error:
                logger.warning("Cache %s skipped: Redis is away (%s)", method.__name__, error)
                return answer(*args, **kwargs)

        return tolerant

    return decorate


def _default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._incr_existing: Any = None
        self._incr_with_expiry: Any = None

    # django-stubs leave out the client's private members, hence the ignores below.
    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads may both build one here; either is fine, both use the same pool.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    # Redis away: a miss for reads; writes are lost (``add`` says it stored, as on a miss).
    get = _redis_away(_default)(DjangoRedisCacheClient.get)
    get_many = _redis_away(lambda keys: {})(DjangoRedisCacheClient.get_many)
    has_key = _redis_away(lambda key: False)(DjangoRedisCacheClient.has_key)
    add = _redis_away(lambda *args, **kwargs: True)(DjangoRedisCacheClient.add)
    set = _redis_away(lambda *args, **kwargs: None)(DjangoRedisCacheClient.set)
    set_many = _redis_away(lambda *args, **kwargs: [])(DjangoRedisCacheClient.set_many)
    touch = _redis_away(lambda *args, **kwargs: False)(DjangoRedisCacheClient.touch)
    delete = _redis_away(lambda *args, **kwargs: False)(DjangoRedisCacheClient.delete)
    delete_many = _redis_away(lambda *args, **kwargs: None)(DjangoRedisCacheClient.delete_many)

    def incr(self, key: Any, delta: int) -> Any:
        client = self.get_client(key, write=True)
        if self._incr_existing is None:
            self._incr_existing = client.register_script(_INCR_EXISTING)
        value = self._incr_existing(keys=[key], args=[delta], client=client)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def incr_with_expiry(self, key: Any, timeout: int) -> int:
        client = self.get_client(key, write=True)
        if self._incr_with_expiry is None:
            self._incr_with_expiry = client.register_script(_INCR_WITH_EXPIRY)
        return int(self._incr_with_expiry(keys=[key], args=[timeout], client=client))


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def incr_with_expiry(self, key: str, *, timeout: int, version: int | None = None) -> int:
        """Add one to ``key`` (created at 1 with ``timeout`` seconds to live); the new count."""
        key = self.make_and_validate_key(key, version=version)
        return int(self._cache.incr_with_expiry(key, timeout))  # type: ignore[attr-defined]
