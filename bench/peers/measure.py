"""The peer benchmark's measuring tools: processes and their CPU and memory (from /proc), wrk runs
parsed into numbers, and the servers it starts and stops. Standard library only."""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench"
HERE = Path(__file__).resolve().parent
PY = os.environ.get("BENCH_PYTHON", "python3.11")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sh(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def psql(statement: str) -> None:
    """One statement on this machine's PostgreSQL, from its `test` database."""
    sh(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c", statement])


def ensure_venv(name: str, pins: list[str]) -> Path:
    venv = VAR / name
    marker = venv / ".installed"
    if marker.exists() and marker.read_text() == "\n".join(pins):
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    sh([PY, "-m", "venv", str(venv)])
    sh([str(venv / "bin" / "pip"), "install", "-q", *pins])
    marker.write_text("\n".join(pins))
    return venv


# --- processes ----------------------------------------------------------------------------------


def tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return pids
    for child in children:
        pids += tree(int(child))
    return pids


def cpu_seconds(pid: int) -> float:
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def pss_kib(pid: int) -> list[int]:
    out = []
    for p in tree(pid):
        try:
            text = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        m = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
        if m:
            out.append(int(m.group(1)))
    return out


@dataclass
class Server:
    name: str
    cmd: list[str]
    env: dict[str, str]
    cwd: Path
    port: int
    read_paths: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    cold_start_s: float = 0.0

    def start(self, probe: str) -> None:
        log = open(VAR / f"{self.name}.log", "ab")  # noqa: SIM115
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            self.cmd, env={**os.environ, **self.env}, cwd=self.cwd, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
        url = f"http://127.0.0.1:{self.port}{probe}"
        while time.monotonic() - t0 < 60:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    if resp.status == 200:
                        self.cold_start_s = time.monotonic() - t0
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.02)
        raise RuntimeError(f"{self.name} did not start; see {VAR / (self.name + '.log')}")

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc = None


# --- wrk ----------------------------------------------------------------------------------------


def ms(value: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", value)
    assert m, value
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)]


def wrk(url: str, seconds: int, script: Path | None = None) -> dict[str, float]:
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "60s", "--latency"]
    if script is not None:
        cmd += ["-s", str(script)]
    out = sh([*cmd, url]).stdout

    def latency(pct: str) -> float:
        m = re.search(pct + r"%\s+(\d\S*)", out)
        return ms(m.group(1)) if m else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    requests = re.search(r"(\d+) requests in", out)
    result = {
        "rps": float(rps.group(1)) if rps else 0.0,
        "requests": float(requests.group(1)) if requests else 0.0,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": 0.0,
    }
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = float(non2xx.group(1) if non2xx else 0) + float(
        sum(int(g) for g in sockets.groups()) if sockets else 0
    )
    return result


def quiesce(pid: int, limit: float = 180) -> None:
    """Wait until the server has worked off requests left queued by the last wrk run."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < 0.03:
            return


def measure_reads(server: Server, path: str, seconds: int, runs: int) -> dict[str, float]:
    assert server.proc is not None
    url = f"http://127.0.0.1:{server.port}{path}"
    warm = wrk(url, 2)  # warm-up: caches, connections, lazy imports
    # A server that answers fewer than ~2 requests a second gets a longer window, so that the
    # median rests on more than a handful of requests (and not on none at all).
    if warm["rps"] < 2:
        seconds = max(seconds, 30)
    quiesce(server.proc.pid)
    results = []
    for _ in range(runs):
        cpu0 = cpu_seconds(server.proc.pid)
        r = wrk(url, seconds)
        quiesce(server.proc.pid)
        r["cpu_ms_per_req"] = (cpu_seconds(server.proc.pid) - cpu0) * 1000 / max(r["requests"], 1)
        results.append(r)
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def measure_posts(
    server: Server, script: Path, path: str, count: Any, seconds: int, runs: int
) -> dict[str, float]:
    assert server.proc is not None
    url = f"http://127.0.0.1:{server.port}{path}"
    results = []
    for _ in range(runs):
        quiesce(server.proc.pid)
        before = count()
        cpu0 = cpu_seconds(server.proc.pid)
        r = wrk(url, seconds, script)
        quiesce(server.proc.pid)
        stored = count() - before
        r["stored_per_s"] = stored / seconds
        r["cpu_ms_per_req"] = (cpu_seconds(server.proc.pid) - cpu0) * 1000 / max(r["requests"], 1)
        results.append(r)
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def load_note() -> str:
    load1, load5, _ = os.getloadavg()
    return f"load average {load1:.2f} / {load5:.2f} (1 / 5 min), {os.cpu_count()} CPUs"
