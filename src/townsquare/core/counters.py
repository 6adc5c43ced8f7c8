"""Fixed-window counters in the default cache (rate limits): Redis when configured, else local memory."""

from collections.abc import Sequence

from django.core.cache import caches


def count(windows: Sequence[tuple[str, int]]) -> list[int]:
    """Add one to each (key, seconds) window, created with that lifetime; the new counts, in order."""
    backend = caches["default"]
    incr_windows = getattr(backend, "incr_windows", None)
    if incr_windows is not None:  # core.cache.ResilientRedisCache: one round trip
        counts: list[int] = incr_windows(windows)
        return counts
    out = []
    for key, seconds in windows:
        backend.add(key, 0, seconds)
        out.append(backend.incr(key))
    return out
