"""gunicorn's hooks for `townsquare serve`, which names this module as its configuration
(`--config python:townsquare.core.gunicorn_hooks`).

Named, so that gunicorn does not read a `gunicorn.conf.py` from whichever directory serve was
started in (its default when no configuration is given): a stray file there could change how the
web processes run, or run code, without anything in Townsquare's own setup showing it.

The hooks keep prometheus_client's multiprocess directory (PROMETHEUS_MULTIPROC_DIR, set by serve
to one per bind address, see `core.metrics`) true to the processes serving now. Neither imports
Django or prometheus_client's metrics into the master: its workers import them after the fork.
"""

import os
from typing import Any


def when_ready(server: Any) -> None:
    """The address is ours (a second serve on it fails before this) and no worker has started: the
    counters a previous run left behind are dropped, not added to this run's."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        from townsquare.core.metrics import empty_multiprocess_dir

        empty_multiprocess_dir(path)


def child_exit(server: Any, worker: Any) -> None:
    """A worker ended: its live gauges stop counting (its counters still do, as they should)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
