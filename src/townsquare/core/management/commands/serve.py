"""`townsquare serve`: the web process, gunicorn with WSGI workers sharing the database and cache."""

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from townsquare.core.metrics import bind_file_name, multiprocess_dir

# The longest path a Unix socket's address holds (sun_path is 108 bytes on Linux, with its NUL).
SOCKET_PATH_MAX = 107


def control_socket(data_dir: Path, bind: str) -> Path | None:
    """DATA_DIR/run/<bind>.ctl, gunicorn's control socket for `gunicornc`: one per serve address, so
    a reload or a shutdown reaches the server it names. Gunicorn's own default is one path for the
    whole user, which a second `townsquare serve` on the machine takes over. None when the path is
    too long to be a socket's."""
    path = data_dir / "run" / f"{bind_file_name(bind)}.ctl"
    return path if len(os.fsencode(path)) <= SOCKET_PATH_MAX else None


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
        # Values gunicorn would take and then serve nothing with (no workers, a pool of no threads)
        # or refuse after start-up are raised to the least that works, saying so.
        workers = self._at_least("workers", options["workers"], 1, "would serve nothing")
        threads = self._at_least("threads", options["threads"], 1, "would serve nothing")
        keep_alive = self._at_least("keep-alive", options["keep_alive"], 0, "is not a number of seconds")
        streams = settings.TOWNSQUARE_SSE_STREAMS
        if streams > 0:  # check townsquare.W002: streams must leave a thread for everything else
            threads = self._at_least(
                "threads", threads, streams + 1, f"leaves no thread beside {streams} live-update streams"
            )
        # Each worker writes its metrics under DATA_DIR, in a directory of this address's own;
        # the hooks (not a gunicorn.conf.py from the current directory) empty it once bound.
        metrics = multiprocess_dir(settings.DATA_DIR, options["bind"])
        metrics.mkdir(parents=True, exist_ok=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
        argv = [
            sys.executable, "-m", "gunicorn", "townsquare.wsgi:application",
            "--config", "python:townsquare.core.gunicorn_hooks",
            "--bind", options["bind"],
            "--workers", str(workers),
            "--threads", str(threads),
            "--keep-alive", str(keep_alive),
            "--worker-class", "gthread",
        ]  # fmt: skip
        control = control_socket(Path(settings.DATA_DIR), options["bind"])
        if control is None:
            self.stderr.write(
                "townsquare serve: DATA_DIR is too long a path for a control socket; serving without one."
            )
            argv.append("--no-control-socket")
        else:
            control.parent.mkdir(parents=True, exist_ok=True)
            argv += ["--control-socket", str(control)]
        os.execv(sys.executable, argv)  # noqa: S606  (replaces this process with gunicorn)

    def _at_least(self, option: str, value: int, least: int, why: str) -> int:
        if value >= least:
            return value
        self.stderr.write(f"townsquare serve: --{option} {value} {why}; serving with {least}.")
        return least
