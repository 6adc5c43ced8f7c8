"""A Redis cache that fails open: when Redis is down, reads miss and writes are dropped.

The cache only ever holds what can be recomputed (rendered pages, counters, cached sessions backed
by the database), so a Redis outage must cost speed, never a request. Every error is logged.
"""

import logging
from collections.abc import Sequence
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django builds a new `redis.Redis` for every cache call (about 170 response callbacks set up each
    time: 0.15 ms, four times a post). A client is thread-safe and only wraps the pool, so one per pool
    is kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own private helpers (not in its type stubs): pick the pool as Django does.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def _fail(self, op: str) -> None:
        logger.warning("cache %s failed; Redis unreachable", op, exc_info=True)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError:
            self._fail("get")
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except RedisError:
            self._fail("get_many")
            return {}

    def set(self, key: Any, value: Any, timeout: Any = 300, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError:
            self._fail("set")

    def add(self, key: Any, value: Any, timeout: Any = 300, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError:
            self._fail("add")
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError:
            self._fail("delete")
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except RedisError:
            self._fail("incr")
            raise ValueError(f"Key {key!r} not available: cache unreachable") from None

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except RedisError:
            self._fail("has_key")
            return False

    def incr_windows(self, windows: Sequence[tuple[str, int]]) -> list[int]:
        """Add one to each (key, seconds) counter, created with that lifetime: one round trip for all.

        Django's add + incr take three (SET NX, EXISTS, INCRBY) per counter. Raises ValueError when
        Redis is unreachable, as `incr` does."""
        keys = [self.make_and_validate_key(key) for key, _ in windows]
        try:
            pipe = self._cache.get_client(write=True).pipeline(transaction=False)
            for key, (_, seconds) in zip(keys, windows, strict=True):
                pipe.set(key, 0, ex=seconds, nx=True)
                pipe.incr(key)
            return [int(n) for n in pipe.execute()[1::2]]
        except RedisError:
            self._fail("incr_windows")
            raise ValueError("counters not available: cache unreachable") from None
