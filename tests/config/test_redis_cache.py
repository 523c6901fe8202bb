"""The Redis cache backend keeps Django's contract while reusing its client."""

import os
import uuid

import pytest

from config.redis_cache import RedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def cache() -> RedisCache:
    return RedisCache(os.environ.get("REDIS_URL", ""), {"KEY_PREFIX": f"test-{uuid.uuid4()}"})


def test_every_call_shares_one_client(cache: RedisCache) -> None:
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)


def test_incr_counts_up_from_an_added_key_and_keeps_its_expiry(cache: RedisCache) -> None:
    assert cache.add("hits", 1, timeout=60)
    assert not cache.add("hits", 1, timeout=60)

    assert cache.incr("hits") == 2
    assert cache.incr("hits", 5) == 7
    assert cache.get("hits") == 7
    client = cache._cache.get_client()
    assert 0 < client.ttl(cache.make_and_validate_key("hits")) <= 60


def test_incr_of_a_missing_key_raises_value_error_and_creates_nothing(cache: RedisCache) -> None:
    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing")

    assert cache.get("missing") is None


def test_incr_with_expiry_starts_a_counter_with_its_window_and_keeps_that_expiry(
    cache: RedisCache,
) -> None:
    client = cache._cache.get_client()
    key = cache.make_and_validate_key("window")

    assert cache.incr_with_expiry("window", timeout=60) == 1
    client.expire(key, 30)  # later hits must not push the window's end back
    assert cache.incr_with_expiry("window", timeout=60) == 2
    assert cache.incr_with_expiry("window", timeout=60) == 3

    assert cache.get("window") == 3
    assert 0 < client.ttl(key) <= 30
