"""Prometheus metrics: requests, pipeline decisions, model latency, queue depth.

The moderation pipeline calls `observe_decision` and `observe_model_latency`; the middleware counts
requests; queue depth and the held backlog are read when /metrics is scraped.

Who may read them (`scrape_refusal`): with `TOWNSQUARE_METRICS_TOKEN` set, whoever sends it as
`Authorization: Bearer <token>` (Prometheus's `authorization: credentials_file: …` scrape option);
without it, only this machine. The counters say how busy the site is, what moderation rejects and
why, how far behind the workers are: nothing for a stranger. /healthz stays open for load balancers.

Several gunicorn workers: `townsquare serve` sets PROMETHEUS_MULTIPROC_DIR to a directory of its
own under DATA_DIR (`multiprocess_dir`: one per bind address, so two serve processes on one machine
never add up or wipe each other's counters), and gunicorn's `when_ready` hook empties it before the
first worker starts (`core.gunicorn_hooks`). Each worker writes its counters there and /metrics adds
them up (prometheus_client's multiprocess mode). Without it a scrape sees the counters of the one
worker that answered.
"""

import contextlib
import hmac
import ipaddress
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

REQUESTS = Counter("townsquare_requests", "HTTP requests by view and status.", ["view", "status"])
REQUEST_SECONDS = Histogram(
    "townsquare_request_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
DECISIONS = Counter(
    "townsquare_pipeline_decisions",
    "Moderation decisions by phase, reason and state.",
    ["phase", "reason", "state"],
)
MODEL_SECONDS = Histogram(
    "townsquare_model_seconds",
    "Time the model took to score one batch.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1),
)


def bind_file_name(bind: str) -> str:
    """A serve address made a file name: 127.0.0.1:8000 is 127.0.0.1_8000. Never a name of dots:
    the metrics directory is emptied at every start, and ".." would be DATA_DIR."""
    return re.sub(r"^\.", "_", re.sub(r"[^A-Za-z0-9.-]", "_", bind))


def multiprocess_dir(data_dir: Path, bind: str) -> Path:
    """DATA_DIR/prometheus/<bind>, the bind made a file name (`bind_file_name`)."""
    return data_dir / "prometheus" / bind_file_name(bind)


def empty_multiprocess_dir(path: str | Path) -> None:
    """Remove what earlier processes wrote to `path`, leaving it empty (made if missing)."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(path)
    Path(path).mkdir(parents=True)


def observe_decision(phase: str, reason: str, state: str) -> None:
    DECISIONS.labels(phase=phase or "none", reason=reason or "none", state=state).inc()


def observe_model_latency(seconds: float) -> None:
    MODEL_SECONDS.observe(seconds)


class BacklogCollector(Collector):
    """Read at scrape time: jobs waiting on the broker, comments waiting for a re-check."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.conf import settings

        from townsquare.comments.models import Comment, CommentState
        from townsquare.moderation.phases.base import CHECK_UNAVAILABLE

        depth = GaugeMetricFamily("townsquare_queue_depth", "Jobs waiting in the broker queue.")
        if settings.TOWNSQUARE_JOBS == "celery":
            try:
                from townsquare.jobs.celery import queue_depth

                value = queue_depth()
            except Exception:
                value = None
            if value is not None:
                depth.add_metric([], value)
        else:
            depth.add_metric([], 0)  # in-process: nothing ever waits in a queue
        yield depth
        held = GaugeMetricFamily(
            "townsquare_held_check_unavailable", "Comments held because a check was unavailable."
        )
        held.add_metric(
            [], Comment.objects.filter(state=CommentState.HELD, decided_by=CHECK_UNAVAILABLE).count()
        )
        yield held


# Headers a reverse proxy adds: a request that carries one was passed on, from wherever it came.
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def _loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # "" behind a Unix socket: whatever proxy is on its other end
        return False
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return (mapped or ip).is_loopback


def _from_this_machine(request: HttpRequest) -> bool:
    """A scrape from this machine itself: a loopback peer (gunicorn's REMOTE_ADDR is the socket's
    peer) that no proxy passed on. A reverse proxy here connects from 127.0.0.1 too, for the world."""
    return _loopback(str(request.META.get("REMOTE_ADDR", ""))) and not any(
        h in request.headers for h in FORWARDING_HEADERS
    )


def _plain(status: int, message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def scrape_refusal(request: HttpRequest) -> HttpResponse | None:
    """None when the request may read the metrics, else the 401 or 403 that says why in one line."""
    token: str = settings.TOWNSQUARE_METRICS_TOKEN
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        # Bytes: compare_digest refuses a str that is not ASCII, and a header may hold anything.
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return None
        response = _plain(401, "Send the metrics token: Authorization: Bearer <TOWNSQUARE_METRICS_TOKEN>.")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if _from_this_machine(request):
        return None
    return _plain(
        403, "Metrics are for this machine only: set TOWNSQUARE_METRICS_TOKEN to scrape from others."
    )


@never_cache
def render_metrics(request: HttpRequest) -> HttpResponse:
    refused = scrape_refusal(request)
    if refused is not None:
        return refused
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    scrape = CollectorRegistry()
    scrape.register(BacklogCollector())
    body = generate_latest(registry) + generate_latest(scrape)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Counts every request by its URL name (not its path: ids would explode the label set)."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        start = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        view = (match.view_name or "unnamed") if match is not None else "unmatched"
        if view != "metrics":
            REQUESTS.labels(view=view, status=str(response.status_code)).inc()
            REQUEST_SECONDS.labels(view=view).observe(time.perf_counter() - start)
        return response
