"""`townsquare serve`: the web process, gunicorn with WSGI workers sharing the database and cache."""

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Townsquare with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("TOWNSQUARE_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("TOWNSQUARE_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("TOWNSQUARE_THREADS", "4")))

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [
            sys.executable, "-m", "gunicorn", "townsquare.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--worker-class", "gthread",
        ]  # fmt: skip
        os.execv(sys.executable, argv)  # noqa: S606  (replaces this process with gunicorn)
