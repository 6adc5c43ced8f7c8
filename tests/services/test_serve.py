"""`townsquare serve` as an operator starts it: from any directory, next to other serve processes.

Story: the newsroom's ops team starts serve from a directory that happens to hold someone's
gunicorn.conf.py, on a machine where an earlier run left its counters behind.
"""

import urllib.request
from pathlib import Path

import pytest

from tests.services.conftest import Stack, free_port, wait_http

pytestmark = [pytest.mark.services]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return str(resp.read().decode())


def test_serve_counts_every_worker_afresh_and_reads_no_stray_gunicorn_conf(stack: Stack, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    marker = tmp_path / "stray-config-ran"
    (elsewhere / "gunicorn.conf.py").write_text(f"open({str(marker)!r}, 'w').close()\nworkers = 1\n")
    port = free_port()
    metrics_dir = tmp_path / "prometheus" / f"127.0.0.1_{port}"  # TOWNSQUARE_DATA_DIR is tmp_path
    metrics_dir.mkdir(parents=True)
    left_behind = metrics_dir / "counter_999999.db"
    left_behind.write_bytes(b"an earlier run's counters")

    stack.spawn("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", name="web", cwd=elsewhere)
    base = f"http://127.0.0.1:{port}"
    wait_http(f"{base}/healthz")
    before = _healthz_answered(_get(f"{base}/metrics"))
    for _ in range(10):
        _get(f"{base}/healthz")
    after = _healthz_answered(_get(f"{base}/metrics"))

    assert not marker.exists()  # the gunicorn.conf.py of the directory serve started in was not read
    assert not left_behind.exists()  # emptied at start
    assert list(metrics_dir.glob("counter_*.db"))  # the workers write their counters here
    # Every worker's requests, whichever answers the scrape (more: a start-up probe may land late).
    assert after - before >= 10


def _healthz_answered(metrics: str) -> float:
    [count] = [
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("townsquare_requests_total{")
        and 'status="200"' in line
        and 'view="healthz"' in line
    ]
    return count
