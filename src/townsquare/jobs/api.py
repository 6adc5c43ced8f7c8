"""Queued work: `enqueue` after the transaction commits; run in-process by default.

A job is a function registered under a name. Jobs must be idempotent (safe to run twice) and
must leave a comment held, never lost, when they fail. With a broker configured (see the scale
path) the same names run on Celery workers instead.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)
Job = Callable[..., None]
REGISTRY: dict[str, Job] = {}


def register(name: str) -> Callable[[Job], Job]:
    def wrap(func: Job) -> Job:
        REGISTRY[name] = func
        return func

    return wrap


def run_now(name: str, **kwargs: Any) -> None:
    """Run a job in this process; a failure is logged and left for the job's own recovery path."""
    try:
        REGISTRY[name](**kwargs)
    except Exception:
        logger.exception("job %s failed with %s", name, kwargs)


def enqueue(name: str, **kwargs: Any) -> None:
    """Queue `name(**kwargs)` to run once the current transaction commits (at once outside one)."""
    if name not in REGISTRY:
        raise KeyError(f"unknown job {name!r}")
    transaction.on_commit(lambda: run_now(name, **kwargs))
