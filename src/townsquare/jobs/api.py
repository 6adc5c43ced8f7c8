"""Queued work: `enqueue` after the transaction commits; in-process by default, Celery at scale.

A job is a function registered under a name with its limits. Jobs must be idempotent (safe to run
twice: a broker delivers at least once) and must leave a comment held, never lost, when they fail.

Which runner is used is one setting, `TOWNSQUARE_JOBS` (see settings): "inline" runs the job in
this process once the transaction commits; "celery" publishes it to the broker for `townsquare
worker`. If the broker cannot be reached the job runs inline instead, so a Redis outage delays
nothing that a reader waits for and loses nothing.

Inline jobs that a web request queues run once its response has gone out (Django's
`request_finished`, which the server sends when it has written the response), in the same thread:
the reader who posts a reply does not wait on the mail server for the notification, and the time a
password-reset request takes does not say whether the address has an account. Outside a request (a
command, the sweeper, a worker) they run at once, after the commit.
"""

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.dispatch import receiver

logger = logging.getLogger(__name__)
Job = Callable[..., object]
F = TypeVar("F", bound=Job)


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Job
    # Seconds: the soft limit raises inside the job, the hard one kills the worker child.
    soft_time_limit: int = 60
    time_limit: int = 90
    max_retries: int = 5
    # First retry after about `retry_backoff` seconds, doubling up to `retry_backoff_max`.
    retry_backoff: int = 5
    retry_backoff_max: int = 600


REGISTRY: dict[str, JobSpec] = {}


def register(
    name: str,
    *,
    soft_time_limit: int = 60,
    time_limit: int = 90,
    max_retries: int = 5,
    retry_backoff: int = 5,
) -> Callable[[F], F]:
    """Register `func` as the job `name`. Keyword arguments must be JSON-serialisable."""

    def wrap(func: F) -> F:
        REGISTRY[name] = JobSpec(
            name,
            func,
            soft_time_limit=soft_time_limit,
            time_limit=max(time_limit, soft_time_limit + 1),
            max_retries=max_retries,
            retry_backoff=retry_backoff,
        )
        celery = sys.modules.get("townsquare.jobs.celery")
        if celery is not None:  # registered after the Celery app was built: add its task too
            celery.TASKS[name] = celery.task_for(REGISTRY[name])
        return func

    return wrap


def run_now(name: str, **kwargs: Any) -> None:
    """Run a job in this process; a failure is logged and left for the job's own recovery path."""
    try:
        REGISTRY[name].func(**kwargs)
    except Exception:
        logger.exception("job %s failed with %s", name, kwargs)


def _publish(name: str, kwargs: dict[str, Any]) -> None:
    from townsquare.jobs.celery import publish

    try:
        publish(name, kwargs)
    except Exception:
        # The broker is down: do the work here rather than drop it (jobs are idempotent).
        logger.warning("broker unreachable, running job %s in-process", name, exc_info=True)
        run_now(name, **kwargs)


# The inline jobs the request this thread serves has queued, to run after its response; None outside
# a request.
_request = threading.local()


@receiver(request_started, dispatch_uid="jobs-after-response-start")
def _request_started(sender: Any, **kwargs: Any) -> None:
    _request.jobs = []


@receiver(request_finished, dispatch_uid="jobs-after-response-finish")
def _request_finished(sender: Any, **kwargs: Any) -> None:
    jobs, _request.jobs = getattr(_request, "jobs", None) or [], None
    for name, job_kwargs in jobs:
        run_now(name, **job_kwargs)


def _run_inline(name: str, kwargs: dict[str, Any]) -> None:
    waiting: list[tuple[str, dict[str, Any]]] | None = getattr(_request, "jobs", None)
    if waiting is None:
        run_now(name, **kwargs)
    else:
        waiting.append((name, kwargs))


def enqueue(name: str, **kwargs: Any) -> None:
    """Queue `name(**kwargs)` to run once the current transaction commits (at once outside one);
    inline, in a web request, once its response has gone out."""
    if name not in REGISTRY:
        raise KeyError(f"unknown job {name!r}")
    if settings.TOWNSQUARE_JOBS == "celery":
        transaction.on_commit(lambda: _publish(name, kwargs))
    else:
        transaction.on_commit(lambda: _run_inline(name, kwargs))
