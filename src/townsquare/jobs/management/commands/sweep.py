"""`townsquare sweep`: one pass of the stuck-comment sweeper (for cron, or by hand)."""

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Queue a re-check for comments held too long because a check was unavailable."

    def handle(self, *args: Any, **options: Any) -> None:
        from townsquare.jobs.sweeper import sweep

        self.stdout.write(f"Queued {sweep()} re-checks.")
