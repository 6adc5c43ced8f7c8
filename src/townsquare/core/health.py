"""`/healthz`: is each part this process needs working? 200 if every required part is, 503 if not.

Required: the database; the cache and the broker when configured (Redis). Reported only: whether
the moderation model is loaded in this process (it loads on first use).

Each part is probed on a thread of its own and has `TOWNSQUARE_HEALTHZ_TIMEOUT` seconds to answer;
one that has not answered by then is reported as an error, so a load balancer's check gets its
answer in time even when a service hangs. A probe still running from an earlier check is waited
on again, not started twice, so a hung service holds one thread per part, not one per check.
"""

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

Probe = Callable[[], str]
REPORTED_ONLY = {"model"}
_lock = threading.Lock()
_running: dict[str, "Future[str]"] = {}


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache(cache: BaseCache) -> str:
    key, value = f"healthz:{uuid.uuid4().hex}", "1"
    cache.set(key, value, 10)  # the Redis cache fails open, so read back to notice an outage
    ok = cache.get(key) == value
    cache.delete(key)
    if not ok:
        raise RuntimeError("cache did not keep a value")
    return "ok"


def _broker() -> str:
    if settings.TOWNSQUARE_JOBS != "celery":
        return "in-process"
    from townsquare.jobs.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=1)
    return "ok"


def _model() -> str:
    try:
        from townsquare.classifier.api import model_loaded
    except ImportError:
        return "unavailable"
    return "loaded" if model_loaded() else "not loaded"


def _run(probe: Probe, future: "Future[str]") -> None:
    try:
        future.set_result(probe())
    except Exception as exc:
        future.set_exception(exc)
    finally:
        connections.close_all()  # this thread's own: the next probe runs on another thread


def _started(name: str, probe: Probe) -> "Future[str]":
    with _lock:
        future = _running.get(name)
        if future is None or future.done():
            future = _running[name] = Future()
            threading.Thread(target=_run, args=(probe, future), name=f"healthz-{name}", daemon=True).start()
        return future


def probe_parts(probes: dict[str, Probe], timeout: float) -> dict[str, str]:
    """Each part's answer, or "error: …" for one that failed or did not answer within `timeout`."""
    futures = {name: _started(name, probe) for name, probe in probes.items()}
    deadline = time.monotonic() + timeout
    parts: dict[str, str] = {}
    for name, future in futures.items():
        try:
            parts[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            parts[name] = f"error: no answer within {timeout:g} s"
        except Exception as exc:
            parts[name] = f"error: {type(exc).__name__}"
    return parts


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    # The cache object is this thread's (Django keeps one per thread); it is safe to share, and a
    # new one per probe thread would open a new connection pool for every check.
    probes: dict[str, Probe] = {
        "database": _database,
        "cache": partial(_cache, caches["default"]),
        "broker": _broker,
        "model": _model,
    }
    parts: dict[str, Any] = probe_parts(probes, settings.TOWNSQUARE_HEALTHZ_TIMEOUT)
    healthy = all(not value.startswith("error") for name, value in parts.items() if name not in REPORTED_ONLY)
    parts["status"] = "ok" if healthy else "failing"
    response = JsonResponse(parts, status=200 if healthy else 503)
    if request.method == "HEAD":
        # No body (gunicorn logs a warning for every HEAD answered with one); the length is GET's.
        response["Content-Length"] = str(len(response.content))
        response.content = b""
    return response
