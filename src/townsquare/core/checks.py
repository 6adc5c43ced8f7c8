"""System checks with stable ids: each explains a misconfiguration and how to fix it."""

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        return [
            Warning(
                "TOWNSQUARE_SECRET_KEY is not set: sessions and IP hashes use the development key.",
                hint="Set TOWNSQUARE_SECRET_KEY to a long random value in production.",
                id="townsquare.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_metrics_token(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or settings.TOWNSQUARE_METRICS_TOKEN:
        return []
    return [
        Warning(
            "TOWNSQUARE_METRICS_TOKEN is not set: /metrics answers this machine only, and a reverse proxy "
            "here that adds no X-Forwarded-For header makes the world's requests look like this machine's.",
            hint=(
                "Set TOWNSQUARE_METRICS_TOKEN to a long random value and give Prometheus the same token "
                "(authorization: credentials_file: …)."
            ),
            id="townsquare.W003",
        )
    ]


@register()
def check_web_process(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    warning = streams_crowd_threads(settings.TOWNSQUARE_SSE_STREAMS, settings.TOWNSQUARE_THREADS)
    return [warning] if warning else []


def streams_crowd_threads(streams: int, threads: int) -> Warning | None:
    """Each live-update stream holds a thread for up to TOWNSQUARE_SSE_SECONDS: with as many streams as
    threads, a few readers who leave a thread open stop the process from answering anyone else."""
    if streams <= 0 or streams < threads:
        return None
    return Warning(
        f"TOWNSQUARE_SSE_STREAMS ({streams}) is not fewer than TOWNSQUARE_THREADS ({threads}): live-update "
        "streams can hold every thread of a web process, leaving none for pages and posts.",
        hint=(
            f"Set TOWNSQUARE_THREADS above TOWNSQUARE_SSE_STREAMS, or lower the streams; `townsquare serve` "
            f"runs {streams + 1} threads meanwhile."
        ),
        id="townsquare.W002",
    )


@register(Tags.caches)
def check_jobs_and_redis(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Parse-only checks (no network I/O): they run before every management command."""
    errors: list[CheckMessage] = []
    if settings.TOWNSQUARE_JOBS not in {"inline", "celery"}:
        errors.append(
            Error(
                f"TOWNSQUARE_JOBS is {settings.TOWNSQUARE_JOBS!r}.",
                hint='Set TOWNSQUARE_JOBS to "inline" (jobs in the web process) or "celery".',
                id="townsquare.E003",
            )
        )
    if settings.TOWNSQUARE_JOBS == "celery" and not settings.TOWNSQUARE_BROKER_URL:
        errors.append(
            Error(
                "TOWNSQUARE_JOBS is celery but there is no broker: REDIS_URL is not set.",
                hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0), or TOWNSQUARE_JOBS=inline.",
                id="townsquare.E001",
            )
        )
    if settings.REDIS_URL and not _redis_url_ok(settings.REDIS_URL):
        errors.append(
            Error(
                f"REDIS_URL {_redacted(settings.REDIS_URL)!r} is not a Redis address.",
                hint="Use redis://[:password@]host:port/db, rediss://… or unix:///path/redis.sock.",
                id="townsquare.E002",
            )
        )
    broker = settings.TOWNSQUARE_BROKER_URL
    # A broker that is REDIS_URL and already failed E002 is not reported twice.
    reported = broker == settings.REDIS_URL and any(e.id == "townsquare.E002" for e in errors)
    if settings.TOWNSQUARE_JOBS == "celery" and broker and not reported and not _broker_url_ok(broker):
        source = "TOWNSQUARE_BROKER_URL" if broker != settings.REDIS_URL else "REDIS_URL (the broker)"
        errors.append(
            Error(
                f"{source} {_redacted(broker)!r} is not a Redis or RabbitMQ address.",
                hint=(
                    "Use redis://[:password@]host:port/db, rediss://…, amqp://user:password@host:port/vhost "
                    "or amqps://…; Celery cannot use a Unix socket given as unix://."
                ),
                id="townsquare.E004",
            )
        )
    return errors


def _broker_url_ok(url: str) -> bool:
    """The schemes of the transports installed with Celery here: kombu's Redis one and py-amqp (RabbitMQ)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme in {"redis", "rediss"}:
        return _redis_url_ok(url)
    return parts.scheme in {"amqp", "amqps"} and bool(parts.hostname) and (port is None or 0 < port < 65536)


def _redis_url_ok(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port
        db = parts.path.strip("/")
    except ValueError:
        return False
    if parts.scheme == "unix":
        return bool(parts.path)
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        return False
    return (port is None or 0 < port < 65536) and (db == "" or db.isdigit())


def _redacted(url: str) -> str:
    """The URL without its password; by pattern, since a URL that needs this may not parse."""
    return re.sub(r"(://[^/@:]*:)[^@]*@", r"\1***@", url)
