"""Sessions read from the cache and written through to the database, the cached copy kept a minute.

Django's cached_db keeps the cached copy as long as the session. A sign-out during a Redis outage
then deletes the database row but not the cached copy (the cache cannot be reached, and
`core.cache.ResilientRedisCache` only logs that), and once Redis is back the signed-out session
loads again, signed in, for weeks. Kept for `CACHE_SECONDS`, such a copy is gone within a minute,
and an active reader's session still costs one database read a minute instead of one per request.
"""

import logging
from typing import Any

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60


class SessionStore(cached_db.SessionStore):
    _cache: BaseCache  # set by cached_db's __init__; the stubs leave these private names out
    _session: dict[str, Any]

    def _cache_seconds(self, **kwargs: Any) -> int:
        return min(CACHE_SECONDS, self.get_expiry_age(**kwargs))

    def load(self) -> dict[str, Any]:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # as Django's: a key the cache refuses resets the session
            data = None
        if data is None:
            stored = self._get_session_from_db()  # type: ignore[attr-defined]
            if not stored:
                return {}
            data = self.decode(stored.session_data)
            self._cache.set(self.cache_key, data, self._cache_seconds(expiry=stored.expire_date))
        return dict(data)

    def save(self, must_create: bool = False) -> None:
        DBStore.save(self, must_create)
        try:
            self._cache.set(self.cache_key, self._session, self._cache_seconds())
        except Exception:  # as Django's: the database has it
            logger.exception("could not cache the session")
