"""Once-only side effects for jobs that may run twice (see `JobReceipt`), and leases for long jobs."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.jobs.models import JobReceipt


def claim(key: str) -> bool:
    """Record `key` inside the caller's transaction; False when it was already recorded.

    Precondition: the caller holds a transaction that also performs the side effect.
    """
    assert transaction.get_connection().in_atomic_block, "claim inside the side effect's transaction"
    try:
        with transaction.atomic():
            JobReceipt.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True


@contextmanager
def lease(key: str, seconds: int) -> Iterator[bool]:
    """Hold `key` for a long job: yields False while another run holds it, else True until the block ends.

    A broker delivers a message again when it is not acknowledged within its visibility timeout, even
    though the first worker is still at it; the lease keeps that second delivery from running
    alongside. A lease older than `seconds` (the job's time limit) was left by a dead worker and is
    taken over. Call outside a transaction: the lease must be seen by other workers at once.
    """
    key = key[:200]
    with transaction.atomic():
        stale = timezone.now() - timedelta(seconds=seconds)
        JobReceipt.objects.filter(key=key, created_at__lt=stale).delete()
        held = claim(key)
    try:
        yield held
    finally:
        if held:
            JobReceipt.objects.filter(key=key).delete()
