"""Once-only side effects for jobs that may run twice (see `JobReceipt`)."""

from django.db import IntegrityError, transaction

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
