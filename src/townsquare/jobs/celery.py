"""The Celery app used when `TOWNSQUARE_JOBS=celery`: every registered job becomes a task.

Delivery is at least once: a task is acknowledged only after it returns (`acks_late`), and a
worker that dies mid-job leaves its message to be delivered again — by the broker at once when a
pool child is lost (`reject_on_worker_lost`), or after `visibility_timeout` when the whole worker
is killed. Jobs are idempotent, so running one twice is safe.

Run it with `townsquare worker` (or `celery -A townsquare.jobs.celery worker`).
"""

import os
from datetime import timedelta
from typing import Any

import django
from celery import Celery
from django.apps import apps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
if not apps.ready:  # started as `celery -A townsquare.jobs.celery`; inside Django it already is
    django.setup()

# Imported once Django is set up: the registry is full only after every app's jobs module loaded.
from django.conf import settings

from townsquare.jobs.api import REGISTRY, JobSpec


def broker_options() -> dict[str, Any]:
    """How the app reaches the broker, from the settings (a function, so tests can build an app)."""
    timeout = settings.TOWNSQUARE_BROKER_TIMEOUT
    return {
        "broker_url": settings.TOWNSQUARE_BROKER_URL,
        "broker_connection_retry_on_startup": True,
        # Connecting (and AMQP's handshake), all attempts together.
        "broker_connection_timeout": timeout,
        "broker_transport_options": {
            "visibility_timeout": settings.TOWNSQUARE_JOBS_VISIBILITY_TIMEOUT,
            # How often a worker looks for messages of dead workers that are past the timeout.
            "unacked_restore_interval": min(10, max(1, settings.TOWNSQUARE_JOBS_VISIBILITY_TIMEOUT // 10)),
            # Redis (redis-py) waits on a connected socket without limit by default: a Redis that
            # accepts but never answers held a post forever. The worker's own blocking reads wait
            # one second, well within this. py-amqp's connect_timeout above covers RabbitMQ's
            # handshake; its write_timeout covers a broker that stops reading what we publish.
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            "write_timeout": timeout,
        },
    }


app = Celery("townsquare")
app.conf.update(
    **broker_options(),
    task_default_queue=settings.TOWNSQUARE_JOBS_QUEUE,
    task_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    # One message per pool child at a time: with late acks a prefetched message would wait behind
    # a slow job instead of going to an idle worker.
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    beat_schedule={
        "sweep-stuck-comments": {
            "task": "jobs.sweep",
            "schedule": timedelta(seconds=settings.TOWNSQUARE_SWEEP_INTERVAL_SECONDS),
        }
    },
)
# Publishing gives up quickly when the broker is down; `jobs.api.enqueue` then runs the job inline.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def task_for(spec: JobSpec) -> Any:
    @app.task(  # type: ignore[untyped-decorator]
        name=spec.name,
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        soft_time_limit=spec.soft_time_limit,
        time_limit=spec.time_limit,
        autoretry_for=(Exception,),
        max_retries=spec.max_retries,
        retry_backoff=spec.retry_backoff,
        retry_backoff_max=spec.retry_backoff_max,
        retry_jitter=True,
    )
    def run(self: Any, **kwargs: Any) -> None:
        spec.func(**kwargs)

    return run


TASKS: dict[str, Any] = {name: task_for(spec) for name, spec in REGISTRY.items()}


def publish(name: str, kwargs: dict[str, Any]) -> None:
    """Send `name(**kwargs)` to the broker; raises when it cannot be reached."""
    app.send_task(name, kwargs=kwargs, retry=True, retry_policy=PUBLISH_RETRY)


def queue_depth() -> int | None:
    """Messages waiting in the default queue (Redis broker only); None when unknown."""
    url = settings.TOWNSQUARE_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return int(client.llen(settings.TOWNSQUARE_JOBS_QUEUE))
    finally:
        client.close()
