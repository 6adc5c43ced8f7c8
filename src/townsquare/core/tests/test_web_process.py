"""How one web process runs: requests take turns computing, connections are kept, gunicorn's flags."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import checkout_env
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, override_settings

from townsquare.core import gunicorn_hooks
from townsquare.core.checks import check_web_process
from townsquare.core.management.commands import serve
from townsquare.core.metrics import multiprocess_dir
from townsquare.core.slots import RequestSlotsMiddleware


def most_at_once(slots: int, requests: int = 4) -> int:
    """Run `requests` requests on threads through the middleware; how many computed at the same time."""
    running, most = 0, 0
    lock = threading.Lock()

    def view(request: HttpRequest) -> HttpResponse:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.2)  # long enough for every thread to have started and waited
        with lock:
            running -= 1
        return HttpResponse("ok")

    with override_settings(TOWNSQUARE_REQUEST_SLOTS=slots):
        middleware = RequestSlotsMiddleware(view)
    threads = [
        threading.Thread(target=middleware, args=(RequestFactory().get("/"),)) for _ in range(requests)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return most


def test_a_process_computes_one_request_at_a_time_by_default() -> None:
    assert most_at_once(1) == 1
    assert most_at_once(2) == 2


def test_a_streamed_response_gives_its_slot_back_before_it_streams() -> None:
    def events() -> Iterator[bytes]:
        yield b"data: 1\n\n"

    with override_settings(TOWNSQUARE_REQUEST_SLOTS=1):
        stream = RequestSlotsMiddleware(lambda request: StreamingHttpResponse(events()))
    open_stream = stream(RequestFactory().get("/"))  # not consumed: the reader keeps it open
    assert stream.slots.acquire(blocking=False)  # the slot is free for the next request
    stream.slots.release()
    assert b"".join(open_stream) == b"data: 1\n\n"


@pytest.mark.django_db
def test_sqlite_sorts_in_memory() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite pragma")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA temp_store")
        assert cursor.fetchone()[0] == 2  # MEMORY


def test_serve_runs_gunicorn_without_keep_alive_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: seen.append(argv))
    serve.Command().run_from_argv(["townsquare", "serve", "--workers", "3"])
    argv = seen[0]
    assert argv[argv.index("--keep-alive") + 1] == "0"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--worker-class") + 1] == "gthread"


def test_a_worker_keeps_what_it_loaded_at_start_out_of_the_collector(tmp_path: Path) -> None:
    """Full collections would otherwise walk the models' and word lists' objects, stalling a request."""
    code = "import gc, townsquare.wsgi; print(gc.get_freeze_count())"
    env = checkout_env(DJANGO_SETTINGS_MODULE="townsquare.settings", TOWNSQUARE_DATA_DIR=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert int(out.stdout.split()[-1]) > 50_000


def serve_argv(*args: str) -> list[str]:
    seen: list[list[str]] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serve.os, "execv", lambda path, argv: seen.append(argv))
        serve.Command().run_from_argv(["townsquare", "serve", *args])
    return seen[0]


def flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


@override_settings(TOWNSQUARE_SSE_STREAMS=2)
def test_serve_raises_values_that_would_serve_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    argv = serve_argv("--workers", "0", "--threads", "0", "--keep-alive", "-5")
    assert (flag(argv, "--workers"), flag(argv, "--threads"), flag(argv, "--keep-alive")) == ("1", "3", "0")
    err = capsys.readouterr().err
    assert "--workers 0 would serve nothing; serving with 1." in err
    assert "--keep-alive -5 is not a number of seconds; serving with 0." in err
    assert "--threads 1 leaves no thread beside 2 live-update streams; serving with 3." in err


@override_settings(TOWNSQUARE_SSE_STREAMS=0)
def test_serve_keeps_one_thread_when_live_updates_are_off() -> None:
    assert flag(serve_argv("--threads", "1"), "--threads") == "1"


def warnings_of(streams: int, threads: int) -> list[str]:
    with override_settings(TOWNSQUARE_SSE_STREAMS=streams, TOWNSQUARE_THREADS=threads):
        return [m.id for m in check_web_process(None) if m.id]


def test_streams_that_could_hold_every_thread_are_w002() -> None:
    assert warnings_of(streams=4, threads=4) == ["townsquare.W002"]
    assert warnings_of(streams=8, threads=4) == ["townsquare.W002"]
    assert warnings_of(streams=2, threads=4) == []  # the defaults
    assert warnings_of(streams=0, threads=1) == []  # live updates off: readers poll


def test_serve_gives_its_address_a_metrics_directory_and_names_its_hooks(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")  # serve sets it; the test's own is restored after
    argv = serve_argv("--bind", "127.0.0.1:8123")
    # Not a gunicorn.conf.py that happens to be in the directory serve was started from.
    assert flag(argv, "--config") == "python:townsquare.core.gunicorn_hooks"
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "prometheus" / "127.0.0.1_8123")
    assert (tmp_path / "prometheus" / "127.0.0.1_8123").is_dir()


def test_each_serve_address_has_a_control_socket_of_its_own(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """gunicornc reaches the server it names: gunicorn's default, one path for the whole user, is taken
    over by the second `townsquare serve` on the machine."""
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")
    first, second = (serve_argv("--bind", f"127.0.0.1:{port}") for port in (8123, 8124))
    assert flag(first, "--control-socket") == str(tmp_path / "run" / "127.0.0.1_8123.ctl")
    assert flag(second, "--control-socket") == str(tmp_path / "run" / "127.0.0.1_8124.ctl")
    assert (tmp_path / "run").is_dir()

    settings.DATA_DIR = tmp_path / ("d" * 100)  # no room in a socket's address
    assert "--no-control-socket" in serve_argv("--bind", "127.0.0.1:8123")
    assert "too long a path for a control socket" in capsys.readouterr().err


def test_each_bind_address_is_a_directory_of_its_own(tmp_path: Path) -> None:
    names = {
        bind: multiprocess_dir(tmp_path, bind).relative_to(tmp_path / "prometheus").as_posix()
        for bind in ("127.0.0.1:8000", "127.0.0.1:8001", "[::1]:8000", "unix:/run/townsquare.sock", "..")
    }
    assert names == {
        "127.0.0.1:8000": "127.0.0.1_8000",
        "127.0.0.1:8001": "127.0.0.1_8001",
        "[::1]:8000": "___1__8000",
        "unix:/run/townsquare.sock": "unix__run_townsquare.sock",
        "..": "_.",  # never DATA_DIR itself, which the start-up would empty
    }


def test_the_hooks_drop_an_earlier_runs_counters_and_a_dead_workers_gauges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    metrics = tmp_path / "prometheus" / "127.0.0.1_8000"
    metrics.mkdir(parents=True)
    (metrics / "counter_101.db").write_bytes(b"an earlier run")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(metrics))
    gunicorn_hooks.when_ready(server=None)
    assert metrics.is_dir() and list(metrics.iterdir()) == []

    (metrics / "counter_202.db").write_bytes(b"")
    (metrics / "gauge_livesum_202.db").write_bytes(b"")
    gunicorn_hooks.child_exit(server=None, worker=SimpleNamespace(pid=202))
    assert [p.name for p in metrics.iterdir()] == ["counter_202.db"]  # its requests still count
