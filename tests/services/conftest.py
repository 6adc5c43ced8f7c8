"""Real services for the scale-path tests: a PostgreSQL database of their own, a Redis of their own
(never the machine's shared one on 6379), and web or worker processes started as subprocesses."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import checkout_env

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get("SERVICES_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)  # type: ignore[arg-type,unused-ignore]


class RedisServer:
    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.tmp)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@dataclass
class Stack:
    env: dict[str, str]
    redis: RedisServer
    tmp: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def run(self, *args: str) -> Any:
        out = subprocess.run(
            [sys.executable, "-m", "tests.services.seed", *args],
            env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return json.loads(out.stdout.strip().splitlines()[-1])

    def spawn(self, *args: str, name: str, cwd: Path = ROOT) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            [str(BIN / "townsquare"), *args], env=self.env, cwd=cwd, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
        self.procs.append(proc)
        return proc

    def serve(self, name: str) -> int:
        port = free_port()
        self.spawn("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", name=name)
        wait_http(f"http://127.0.0.1:{port}/healthz")
        return port

    def kill(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def _available() -> str | None:
    if shutil.which("redis-server") is None:
        return "redis-server is not installed"
    try:
        _pg_admin("SELECT 1")
    except Exception as exc:
        return f"PostgreSQL is not reachable at {PG_ADMIN}: {exc}"
    return None


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    reason = _available()
    if reason:
        pytest.skip(reason)
    name = f"ts_services_{os.getpid()}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name}")
    _pg_admin(f"CREATE DATABASE {name}")
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    env = checkout_env(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="townsquare.settings")
    env.pop("REDIS_URL", None)
    subprocess.run(
        [str(BIN / "townsquare"), "migrate", "--no-input", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    yield url
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def stack(pg_database: str, tmp_path: Path) -> Iterator[Stack]:
    redis = RedisServer(tmp_path)
    redis.start()
    # The subprocesses run this checkout's code (checkout_env), whichever copy the venv installed.
    env = checkout_env(
        DJANGO_SETTINGS_MODULE="townsquare.settings",
        DATABASE_URL=pg_database,
        REDIS_URL=redis.url,
        TOWNSQUARE_DATA_DIR=str(tmp_path),
        TOWNSQUARE_SECRET_KEY="services-test-" + "k" * 40,
        TOWNSQUARE_LOG_LEVEL="WARNING",
    )
    s = Stack(env, redis, tmp_path)
    yield s
    for proc in s.procs:
        s.kill(proc)
    redis.stop()
