"""`townsquare sweep`: one pass of the sweeper (for cron, or by hand): stuck comments, expired rows."""

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Queue a re-check for comments held too long because a check was unavailable, and purge the "
        "uses of expired sign-on tokens and the tombstones of ended sanctions."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from townsquare.jobs.sweeper import sweep

        self.stdout.write(f"Queued {sweep()} re-checks.")
