"""`townsquare worker`: the Celery worker (with the sweeper's beat) when `TOWNSQUARE_JOBS=celery`.

In-process mode has no queue to consume; there the command runs the web processes' sweep loop
(`sweeper.sweep_forever`), for installs that prefer it out of the web processes.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background job worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=None, help="Pool processes (default: CPUs).")
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument(
            "--no-beat", action="store_true", help="Do not run the periodic sweeper in this worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TOWNSQUARE_JOBS != "celery":
            self._sweep_forever()
            return
        from townsquare.jobs.celery import app

        argv = ["worker", f"--loglevel={options['loglevel']}", "--without-gossip", "--without-mingle"]
        if options["concurrency"]:
            argv.append(f"--concurrency={options['concurrency']}")
        if not options["no_beat"]:
            schedule = settings.DATA_DIR / "celerybeat-schedule"
            schedule.parent.mkdir(parents=True, exist_ok=True)
            argv += ["--beat", f"--schedule={schedule}"]
        app.worker_main(argv)

    def _sweep_forever(self) -> None:
        from townsquare.jobs.sweeper import sweep_forever

        interval = settings.TOWNSQUARE_SWEEP_INTERVAL_SECONDS
        if interval <= 0:
            self.stdout.write(
                "Jobs run in-process and TOWNSQUARE_SWEEP_INTERVAL_SECONDS turns the sweeper off."
            )
            return
        self.stdout.write(f"Jobs run in-process (TOWNSQUARE_JOBS=inline); sweeping every {interval} s.")
        sweep_forever(float(interval))
