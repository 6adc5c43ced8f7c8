"""How many requests one web process works on at once.

A gunicorn worker has several threads so that server-sent-event streams (which mostly sleep) and
waiting connections do not block it, but Python runs one thread at a time: two requests computing
in one process take turns on the interpreter lock and both finish late. Measured on two cores with
two workers and 16 concurrent readers, the slowest 1 % of thread reads took 50-80 ms with four
threads computing at once and 15-35 ms with one (reports/bench_peers.md). So each process lets
`TOWNSQUARE_REQUEST_SLOTS` requests (default 1) compute at a time; the others wait their turn in
arrival order. A streamed response leaves its slot when the view returns, before the stream runs.
"""

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest


class RequestSlotsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.slots = threading.Semaphore(max(settings.TOWNSQUARE_REQUEST_SLOTS, 1))

    def __call__(self, request: HttpRequest) -> Any:
        with self.slots:
            return self.get_response(request)
