"""A Redis cache that fails open: when Redis is down, reads miss and writes are dropped.

The cache only ever holds what can be recomputed (rendered pages, counters, cached sessions backed
by the database), so a Redis outage must cost speed, never a request. Every error is logged.
"""

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ResilientRedisCache(RedisCache):
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
