"""`/healthz`: is each part this process needs working? 200 if every required part is, 503 if not.

Required: the database; the cache and the broker when configured (Redis). Reported only: whether
the moderation model is loaded in this process (it loads on first use).
"""

import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
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


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    parts: dict[str, Any] = {}
    healthy = True
    for name, probe in (("database", _database), ("cache", _cache), ("broker", _broker)):
        try:
            parts[name] = probe()
        except Exception as exc:
            parts[name] = f"error: {type(exc).__name__}"
            healthy = False
    parts["model"] = _model()
    parts["status"] = "ok" if healthy else "failing"
    return JsonResponse(parts, status=200 if healthy else 503)
