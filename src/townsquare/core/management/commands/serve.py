"""`townsquare serve`: the web process, gunicorn with WSGI workers sharing the database and cache."""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Townsquare with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=settings.TOWNSQUARE_BIND)
        parser.add_argument("--workers", type=int, default=settings.TOWNSQUARE_WORKERS)
        parser.add_argument("--threads", type=int, default=settings.TOWNSQUARE_THREADS)
        # 0: a connection closes after its response and the next request goes to whichever worker is
        # free. Kept-alive connections stay with the worker that accepted them, so a few busy clients
        # can load one worker while the other idles. Behind a reverse proxy (gunicorn's advice) the
        # proxy keeps the browsers' connections alive.
        parser.add_argument("--keep-alive", type=int, default=settings.TOWNSQUARE_KEEP_ALIVE)

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [
            sys.executable, "-m", "gunicorn", "townsquare.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--keep-alive", str(options["keep_alive"]),
            "--worker-class", "gthread",
        ]  # fmt: skip
        os.execv(sys.executable, argv)  # noqa: S606  (replaces this process with gunicorn)
