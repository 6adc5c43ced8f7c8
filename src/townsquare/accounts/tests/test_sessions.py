"""A sign-out during a Redis outage must not come back signed in once Redis returns."""

from typing import Any

from django.contrib.sessions.models import Session

from townsquare.accounts.sessions import CACHE_SECONDS, SessionStore


def recording(store: SessionStore, monkeypatch: Any) -> list[int]:
    """The lifetimes the store gives its cached copies."""
    kept: list[int] = []
    original = store._cache.set

    def set_and_note(key: str, value: Any, timeout: int) -> None:
        kept.append(timeout)
        original(key, value, timeout)

    monkeypatch.setattr(store._cache, "set", set_and_note)
    return kept


def test_the_cached_copy_of_a_session_lives_a_minute_at_most(db: None, monkeypatch: Any) -> None:
    store = SessionStore()
    kept = recording(store, monkeypatch)
    store["reader"] = 7
    store.save()

    # Signed out while the cache was unreachable: the row is gone, the cached copy is not.
    Session.objects.filter(session_key=store.session_key).delete()
    assert SessionStore(store.session_key).load() == {"reader": 7}
    store._cache.delete(store.cache_key)  # a minute later
    assert SessionStore(store.session_key).load() == {}
    assert kept and all(0 < t <= CACHE_SECONDS for t in kept)


def test_a_session_read_from_the_database_is_cached_a_minute_too(db: None, monkeypatch: Any) -> None:
    store = SessionStore()
    store["reader"] = 8
    store.save()
    store._cache.delete(store.cache_key)
    again = SessionStore(store.session_key)
    kept = recording(again, monkeypatch)
    assert again.load() == {"reader": 8}
    assert kept and all(0 < t <= CACHE_SECONDS for t in kept)
