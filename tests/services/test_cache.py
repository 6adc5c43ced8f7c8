"""The Redis cache on a Redis of the test's own: one client, counters in one round trip, outages."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.services.conftest import RedisServer
from townsquare.core import counters

pytestmark = [pytest.mark.services]


@pytest.fixture
def redis_cache(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    backend = {
        "BACKEND": "townsquare.core.cache.ResilientRedisCache",
        "LOCATION": server.url,
        "KEY_PREFIX": "counters-test",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    with override_settings(CACHES={"default": backend}):
        try:
            yield server
        finally:
            server.stop()


def test_windows_count_up_together_and_expire_on_their_own(redis_cache: RedisServer) -> None:
    import redis

    windows = [("u1:m", 60), ("u1:h", 3600), ("ip:m", 60)]
    assert counters.count(windows) == [1, 1, 1]
    assert counters.count(windows) == [2, 2, 2]
    assert counters.count([("u1:m", 60), ("u2:m", 60)]) == [3, 1]
    raw = redis.Redis.from_url(redis_cache.url)
    key = caches["default"].make_and_validate_key("u1:h")
    assert 3590 <= raw.ttl(key) <= 3600  # the lifetime set when the window was made, not renewed
    assert caches["default"].get("u1:m") == 3  # readable through the cache like any counter


def test_counting_without_redis_raises_so_the_check_is_retried(redis_cache: RedisServer) -> None:
    redis_cache.stop()
    with pytest.raises(ValueError, match="cache unreachable"):
        counters.count([("u1:m", 60)])


def test_local_memory_counts_the_same_way() -> None:
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "counters"}}
    with override_settings(CACHES=local):
        assert counters.count([("a", 60), ("b", 60)]) == [1, 1]
        assert counters.count([("a", 60), ("c", 60)]) == [2, 1]


def test_one_redis_client_serves_every_call_and_outlives_a_restart(redis_cache: RedisServer) -> None:
    cache = caches["default"]
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    cache.set("page", "v1")
    redis_cache.stop()
    assert cache.get("page") is None  # fails open while Redis is down
    redis_cache.start()
    cache.set("page", "v2")
    assert cache.get("page") == "v2"
    assert cache._cache.get_client() is client
