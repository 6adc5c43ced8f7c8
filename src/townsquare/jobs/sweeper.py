"""The safety net: re-queue comments whose re-check never finished.

A comment held because a check was unavailable, or while the slower model tier scores it, gets a
`moderation.recheck` job when it is stored.
If that job is lost (a worker killed, the broker flushed), the comment would wait for a moderator
for nothing. The sweeper finds such comments older than `TOWNSQUARE_SWEEP_AFTER_MINUTES` and
queues the re-check again; the re-check is idempotent and saves the comment (moving `updated_at`)
even when the check is still unavailable, so each comment is retried at most once per period.
Each pass also purges rows that have served their time: the uses of sign-on tokens that have expired,
and the tombstones of sanctions that have ended (`accounts.tombstones`); and it queues again the
erasure of deleted accounts' comments that a lost job left unfinished (`accounts.erasure`).

Where it runs: with Celery, the beat scheduler embedded in `townsquare worker` (every
`TOWNSQUARE_SWEEP_INTERVAL_SECONDS`); in-process, `sweep_forever` on a daemon timer thread in each
web process (`start_timer`, called from `townsquare.wsgi`), and in `townsquare worker` for installs
that sweep outside the web processes, guarded by a cache lock so one process sweeps per period.
`townsquare sweep` runs one pass by hand or from cron.
"""

import logging
import random
import threading
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from townsquare.accounts.erasure import resume_erasures
from townsquare.accounts.sso import purge_spent_tokens
from townsquare.accounts.tombstones import purge_ended_tombstones
from townsquare.comments.models import Comment, CommentState
from townsquare.jobs.api import REGISTRY, enqueue, register
from townsquare.moderation.phases.base import WAITING_FOR_JOB

logger = logging.getLogger(__name__)
RECHECK = "moderation.recheck"
LOCK_KEY = "jobs:sweep-lock"
_timer_started = threading.Event()


def stuck_comments() -> "QuerySet[Comment]":
    cutoff = timezone.now() - timedelta(minutes=settings.TOWNSQUARE_SWEEP_AFTER_MINUTES)
    return Comment.objects.filter(
        state=CommentState.HELD, decided_by__in=WAITING_FOR_JOB, updated_at__lt=cutoff
    ).order_by("pk")


@register("jobs.sweep", soft_time_limit=120, time_limit=150, max_retries=0)
def sweep(limit: int = 500) -> int:
    """Queue a re-check for up to `limit` stuck comments, and purge what has expired (as the module
    says); returns how many re-checks were queued."""
    tokens, tombstones = purge_spent_tokens(), purge_ended_tombstones()
    if tokens or tombstones:
        logger.info("sweep: purged %d spent sign-on tokens, %d tombstones", tokens, tombstones)
    erasures = resume_erasures()
    if erasures:
        logger.info("sweep: queued again the erasure of %d deleted accounts' comments", erasures)
    if RECHECK not in REGISTRY:
        logger.warning("sweep: no %s job is registered; stuck comments stay held", RECHECK)
        return 0
    ids = list(stuck_comments().values_list("pk", flat=True)[:limit])
    for comment_id in ids:
        enqueue(RECHECK, comment_id=comment_id)
    if ids:
        logger.info("sweep: queued %d re-checks", len(ids))
    return len(ids)


def sweep_once_per_period() -> int:
    """Sweep unless another process of this install swept within the interval."""
    if not cache.add(LOCK_KEY, "1", timeout=settings.TOWNSQUARE_SWEEP_INTERVAL_SECONDS):
        return 0
    return sweep()


def sweep_forever(interval: float, stop: threading.Event | None = None) -> None:
    """Sweep about every `interval` seconds until `stop` is set: the loop of the web processes' timer
    thread and of `townsquare worker` without Celery. A failed pass is logged, and the next runs."""
    stop = stop or threading.Event()
    # Jitter keeps the web processes from waking together.
    while not stop.wait(interval * random.uniform(0.8, 1.2)):
        try:
            sweep_once_per_period()
        except Exception:
            logger.exception("sweep failed")
        finally:
            # Between passes minutes apart, a kept connection would only go stale (or be cut).
            connection.close()


def start_timer() -> None:
    """In-process mode only: start the sweeper thread of this process (once)."""
    if settings.TOWNSQUARE_JOBS != "inline" or settings.TOWNSQUARE_SWEEP_INTERVAL_SECONDS <= 0:
        return
    if _timer_started.is_set():
        return
    _timer_started.set()
    interval = float(settings.TOWNSQUARE_SWEEP_INTERVAL_SECONDS)
    threading.Thread(target=sweep_forever, args=(interval,), name="townsquare-sweeper", daemon=True).start()
