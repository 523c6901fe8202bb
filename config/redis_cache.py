"""Django's Redis cache, failing open: while Redis is down it answers as an empty cache would.

The cache holds nothing but rate-limit counters: ours (config/rate_limit.py) and allauth's,
for sign-in, sign-up, sign-in codes and password resets. A Redis outage must not turn those
pages into errors (registrations already went through one), so an operation that fails
with a Redis error is logged and answered as by an empty cache that forgets every write:
nothing found, every ``add`` taken, ``incr`` of a missing key. allauth takes a lock with
``add`` before counting; refused, it would wait a second and then turn the person away.
While Redis is down no limit holds: that is the trade-off (docs/design.md).

Only Django's public cache API is overridden. tests/config/test_redis_cache.py checks that
every public method of Django's RedisCache is covered here.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _failed(operation: str, error: RedisError) -> None:
    logger.warning("Cache %s failed, answered as an empty cache: %s", operation, error)


class RedisCache(DjangoRedisCache):
    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            _failed("add", error)
            return True

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as error:
            _failed("get", error)
            return default

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            _failed("set", error)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            _failed("touch", error)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError as error:
            _failed("delete", error)
            return False

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            _failed("get_many", error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except RedisError as error:
            _failed("has_key", error)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            _failed("incr", error)
            raise ValueError(f"Key '{key}' not found.") from error

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            _failed("set_many", error)
            return []

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            _failed("delete_many", error)

    def clear(self) -> None:
        try:
            super().clear()
        except RedisError as error:
            _failed("clear", error)
