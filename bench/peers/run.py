"""Townsquare side by side with Isso and django-comments-xtd, on this machine, in one run.

    .venv/bin/python bench/peers/run.py [--seconds 10] [--runs 3]     (or: make bench-peers)

Installs each peer in its own virtualenv under var/bench/ (pinned versions), writes their
configuration (and a minimal Django project for django-comments-xtd's DRF API), seeds every server
with the same generated threads (100 and 1,000 comments: one top-level comment in five, each
followed by its replies), then measures each server alone on loopback with wrk: two gunicorn
workers, 16 connections, 2 wrk threads, `--runs` runs of `--seconds` each, median reported.

Measured: thread reads (requests/s, p50, p99, server CPU per request), comment posts per second
(stored rows per second; Townsquare through its full moderation pipeline), memory (PSS from
/proc/<pid>/smaps_rollup, master and workers), cold start (spawn to first 200 on the thread).
The peers' anti-spam guards are off for the post test (Isso: [guard] enabled = false; xtd: the
`should_request_be_authorized` signal answers True, which skips the security hash and timestamp);
Townsquare's rate limits are raised for the bench site, its content phases all run.

Writes reports/bench_peers.md and var/bench/results.json. Standard library only.
"""

import argparse
import functools
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench"
HERE = Path(__file__).resolve().parent
PY = os.environ.get("BENCH_PYTHON", "python3.11")
ISSO_PINS = ["isso==0.14.0", "gunicorn==27.0.1"]
XTD_PINS = [
    "django-comments-xtd==2.10.13",
    "djangorestframework==3.18.3",
    "Django==5.2.19",
    "gunicorn==27.0.1",
]
CLK_TCK = os.sysconf("SC_CLK_TCK")
WORDS = [
    "the",
    "council",
    "budget",
    "bus",
    "line",
    "school",
    "library",
    "harbour",
    "bridge",
    "vote",
    "mayor",
    "river",
    "park",
    "market",
    "rain",
    "tram",
    "station",
    "housing",
    "plan",
    "rent",
    "teachers",
    "nurses",
    "hospital",
    "road",
    "repair",
    "summer",
    "festival",
    "museum",
    "history",
    "reporter",
    "article",
    "fair",
    "point",
    "disagree",
    "agree",
    "numbers",
    "data",
    "source",
    "question",
    "answer",
    "neighbourhood",
    "parking",
    "cycling",
    "lane",
    "traffic",
    "noise",
    "trees",
    "garden",
    "price",
    "energy",
    "heating",
    "winter",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def thread_rows(n: int, seed: int) -> list[tuple[str, int | None]]:
    """`n` comments: every fifth one top-level, the others replies to the latest top-level one."""
    rng = random.Random(seed)
    rows: list[tuple[str, int | None]] = []
    last_top = 0
    for i in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 45))).capitalize() + "."
        text = f"{text} ({i})"
        if i % 5 == 0:
            last_top = i
            rows.append((text, None))
        else:
            rows.append((text, last_top))
    return rows


THREADS = {"t100": thread_rows(100, 100), "t1000": thread_rows(1000, 1000)}


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


def _ms(value: str) -> float:
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
        return _ms(m.group(1)) if m else float("nan")

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


POST_LUA = """
local bodies_fmt = %(fmt)s
local path = %(path)s
local cookies = {}
for line in io.lines(%(cookies)s) do cookies[#cookies + 1] = line end
local words = {%(words)s}
-- Globals, not locals: setup() runs in the main state and sets thread_no in each thread's state.
threads_made = 0
counter = 0
function setup(thread) threads_made = threads_made + 1; thread:set("thread_no", threads_made) end
function init(args) thread_no = thread_no or 0; math.randomseed(os.time() + thread_no * 7919); counter = 0 end
function request()
  counter = counter + 1
  local t = {}
  for i = 1, 20 do t[i] = words[math.random(#words)] end
  -- Unique per thread and request, and not digits in a row (the pipeline holds phone numbers).
  local text = table.concat(t, " ") .. string.format(" (t%%d n%%d k%%x)", thread_no, counter, math.random(1e9))
  local headers = {["Content-Type"] = "application/json"}
  if #cookies > 0 then
    local c = cookies[((counter + thread_no * 7) %% #cookies) + 1]
    headers["Cookie"] = c
    headers["X-CSRFToken"] = string.match(c, "csrftoken=(%%w+)")
  end
  return wrk.format("POST", path, headers, string.format(bodies_fmt, text))
end
"""


def post_script(name: str, path: str, body_fmt: str, cookies: list[str]) -> Path:
    cookie_file = VAR / f"{name}-cookies.txt"
    cookie_file.write_text("\n".join(cookies) + ("\n" if cookies else ""))
    script = VAR / f"{name}-post.lua"
    script.write_text(
        POST_LUA
        % {
            "fmt": json.dumps(body_fmt),
            "path": json.dumps(path),
            "cookies": json.dumps(str(cookie_file)),
            "words": ", ".join(json.dumps(w) for w in WORDS),
        }
    )
    return script


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


# --- the three servers --------------------------------------------------------------------------


def isso_server() -> tuple[Server, Any]:
    venv = ensure_venv("isso", ISSO_PINS)
    port = free_port()
    db = VAR / "isso-comments.db"
    db.unlink(missing_ok=True)
    cfg = VAR / "isso.cfg"
    cfg.write_text(
        f"[general]\ndbpath = {db}\nhost = http://127.0.0.1:{port}/\n"
        "[moderation]\nenabled = false\n"
        # Anti-spam off for the post test: no rate limit, no reply-to-self or author rules.
        "[guard]\nenabled = false\nratelimit = 100000\ndirect-reply = 100000\n"
        f"[server]\nlisten = http://127.0.0.1:{port}/\n"
    )
    # The documented deployment: gunicorn with --preload (here two workers).
    cmd = [str(venv / "bin" / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", "2", "--preload", "isso.run"]
    server = Server("isso", cmd, {"ISSO_SETTINGS": str(cfg)}, VAR, port)
    server.read_paths = {"t100": "/?uri=/t100", "t1000": "/?uri=/t1000"}

    def count() -> int:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("SELECT count(*) FROM comments").fetchone()[0])

    return server, count


def seed_isso(server: Server) -> None:
    for key, rows in THREADS.items():
        ids: dict[int, int] = {}
        for i, (text, parent_index) in enumerate(rows):
            payload = {"text": text, "author": f"Reader {i % 200}", "title": key}
            if parent_index is not None:
                payload["parent"] = ids[parent_index]  # type: ignore[assignment]
            req = urllib.request.Request(
                f"http://127.0.0.1:{server.port}/new?uri=/{key}",
                data=json.dumps(payload).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(req) as resp:
                ids[i] = json.loads(resp.read())["id"]
    req = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/new?uri=/posts",
        data=json.dumps({"text": "First.", "title": "posts"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(req).close()


XTD_SETTINGS = """
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.sites", "rest_framework", "django_comments_xtd", "django_comments", "bench",
]
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "benchproj.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
              "OPTIONS": {"context_processors": ["django.template.context_processors.request"]}}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3",
                         "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                                     "transaction_mode": "IMMEDIATE"}}}
USE_TZ = True
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 1
COMMENTS_XTD_CONFIRM_EMAIL = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
"""

XTD_URLS = """
from django.urls import include, path
urlpatterns = [path("comments/", include("django_comments_xtd.urls"))]
"""

XTD_APP = """
from django.apps import AppConfig


def trust_bench_client(sender, comment, request, **kwargs):
    # The documented switch for trusted API clients: skips the security hash and timestamp guard.
    return True


class BenchConfig(AppConfig):
    name = "bench"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from django_comments_xtd.signals import should_request_be_authorized
        should_request_be_authorized.connect(trust_bench_client)
"""

XTD_MODELS = """
from django.db import models


class Article(models.Model):
    title = models.CharField(max_length=200)
"""

XTD_SEED = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchproj.settings")
django.setup()
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from bench.models import Article

threads = json.loads(sys.stdin.read())
ct = ContentType.objects.get_for_model(Article)
out = {}
for key, rows in threads.items():
    article = Article.objects.create(title=key)
    out[key] = article.pk
    ids = {}
    for i, (text, parent_index) in enumerate(rows):
        c = XtdComment(content_type=ct, object_pk=str(article.pk), site_id=1, user_name=f"Reader {i % 200}",
                       user_email=f"reader{i % 200}@example.org", comment=text, submit_date=timezone.now(),
                       is_public=True, parent_id=ids[parent_index] if parent_index is not None else 0)
        c.save()
        ids[i] = c.pk
out["posts"] = Article.objects.create(title="posts").pk
print(json.dumps(out))
"""


def xtd_server() -> tuple[Server, Any, dict[str, int]]:
    venv = ensure_venv("xtd", XTD_PINS)
    project = VAR / "xtd-project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "benchproj").mkdir(parents=True)
    (project / "bench").mkdir()
    (project / "benchproj" / "__init__.py").write_text("")
    (project / "benchproj" / "settings.py").write_text(XTD_SETTINGS)
    (project / "benchproj" / "urls.py").write_text(XTD_URLS)
    (project / "benchproj" / "wsgi.py").write_text(
        "import os\nfrom django.core.wsgi import get_wsgi_application\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'benchproj.settings')\n"
        "application = get_wsgi_application()\n"
    )
    (project / "bench" / "__init__.py").write_text("")
    (project / "bench" / "apps.py").write_text(XTD_APP)
    (project / "bench" / "models.py").write_text(XTD_MODELS)
    (project / "seed.py").write_text(XTD_SEED)
    py = str(venv / "bin" / "python")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchproj.settings"}
    sh([py, "-m", "django", "makemigrations", "bench", "-v", "0"], cwd=project, env=env)
    sh([py, "-m", "django", "migrate", "--no-input", "-v", "0"], cwd=project, env=env)
    ids = json.loads(
        sh([py, "seed.py"], cwd=project, env=env, input=json.dumps(THREADS)).stdout.strip().splitlines()[-1]
    )
    port = free_port()
    cmd = [str(venv / "bin" / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", "2", "benchproj.wsgi"]
    server = Server("xtd", cmd, {"DJANGO_SETTINGS_MODULE": "benchproj.settings"}, project, port)
    server.read_paths = {k: f"/comments/api/bench-article/{ids[k]}/" for k in THREADS}

    def count() -> int:
        with sqlite3.connect(project / "db.sqlite3") as conn:
            return int(conn.execute("SELECT count(*) FROM django_comments").fetchone()[0])

    return server, count, ids


def ours_server(variant: str) -> tuple[Server, Any, dict[str, Any]]:
    data = VAR / f"ours-{variant}"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "townsquare.settings",
        "TOWNSQUARE_DATA_DIR": str(data),
        "TOWNSQUARE_SECRET_KEY": "bench-only-" + "x" * 40,
        "TOWNSQUARE_LOG_LEVEL": "ERROR",
    }
    if variant == "nocache":
        # The same install with the page cache off: what a read costs when it must be rendered.
        env["TOWNSQUARE_THREAD_CACHE_LOCAL_SECONDS"] = "0"
    if variant == "pg":
        dbname = f"ts_bench_{os.getpid()}"
        psql(f"DROP DATABASE IF EXISTS {dbname}")
        psql(f"CREATE DATABASE {dbname}")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
        env["REDIS_URL"] = "redis://127.0.0.1:6379/13"
        env["TOWNSQUARE_CACHE_PREFIX"] = f"bench{os.getpid()}"
    full_env = {**os.environ, **env}
    ts = str(ROOT / ".venv" / "bin" / "townsquare")
    sh([ts, "migrate", "--no-input", "-v", "0"], env=full_env)
    seeded = json.loads(
        sh(
            [str(ROOT / ".venv" / "bin" / "python"), str(HERE / "seed_ours.py"), "200"],
            env=full_env,
            input=json.dumps(THREADS),
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = free_port()
    cmd = [ts, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    server = Server(f"townsquare-{variant}", cmd, env, ROOT, port)
    server.read_paths = {k: f"/api/v1/articles/{seeded[k]}/comments" for k in THREADS}
    server.read_paths["t1000 reader page"] = "/embed/bench/?key=t1000"

    def count() -> int:
        code = "from townsquare.comments.models import Comment; print(Comment.objects.count())"
        return int(sh([ts, "shell", "-c", code], env=full_env).stdout.strip().splitlines()[-1])

    seeded["env"] = full_env
    return server, count, seeded


def drop_pg(env: dict[str, str]) -> None:
    prefix = env.get("TOWNSQUARE_CACHE_PREFIX", "")
    if prefix.startswith("bench"):  # our keys only: the machine's Redis is shared
        keys = sh(["redis-cli", "-n", "13", "--scan", "--pattern", f"{prefix}*"]).stdout.split()
        for start in range(0, len(keys), 500):
            sh(["redis-cli", "-n", "13", "del", *keys[start : start + 500]])
    url = env.get("DATABASE_URL", "")
    if url:
        name = url.rsplit("/", 1)[1]
        psql(f"DROP DATABASE IF EXISTS {name}")


# --- the run ------------------------------------------------------------------------------------


BARE_POLICY = (
    "from django.conf import settings; from townsquare.moderation.pipeline import phase_name; "
    "from townsquare.sites.models import Site; site = Site.objects.get(slug='bench'); "
    "site.policy = {**site.policy, 'pipeline': "
    "{phase_name(e): {'enabled': False} for e in settings.MODERATION_PIPELINE}}; site.save()"
)


def pipeline_off(env: dict[str, str]) -> None:
    """Switch every pipeline phase off for the bench site: what a post costs without moderation."""
    sh([str(ROOT / ".venv" / "bin" / "townsquare"), "shell", "-c", BARE_POLICY], env=env)


def bench_one(
    server: Server,
    probe: str,
    post: tuple[Path, str, Any] | None,
    a: argparse.Namespace,
    bare: Callable[[], None] | None = None,
) -> dict[str, Any]:
    server.start(probe)
    try:
        out: dict[str, Any] = {"cold_start_s": server.cold_start_s, "reads": {}}
        for key, path in server.read_paths.items():
            out["reads"][key] = measure_reads(server, path, a.seconds, a.runs)
            print(f"  {server.name} read {key}: {out['reads'][key]}", flush=True)
        assert server.proc is not None
        pss = pss_kib(server.proc.pid)
        out["pss_kib"] = {"total": sum(pss), "per_worker": max(pss[1:] or pss), "processes": len(pss)}
        if post is not None:
            script, path, count = post
            out["posts"] = measure_posts(server, script, path, count, a.seconds, a.runs)
            print(f"  {server.name} posts: {out['posts']}", flush=True)
            if bare is not None:
                bare()
                out["posts_bare"] = measure_posts(server, script, path, count, a.seconds, a.runs)
                print(f"  {server.name} posts, pipeline off: {out['posts_bare']}", flush=True)
        pss = pss_kib(server.proc.pid)
        out["pss_kib_after_posts"] = {"total": sum(pss), "per_worker": max(pss[1:] or pss)}
        return out
    finally:
        server.stop()


def load_note() -> str:
    load1, load5, _ = os.getloadavg()
    return f"load average {load1:.2f} / {load5:.2f} (1 / 5 min), {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="isso,xtd,ours,ours-pg")
    a = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    VAR.mkdir(parents=True, exist_ok=True)
    only = set(a.only.split(","))
    results: dict[str, Any] = {"config": vars(a), "load_before": load_note()}
    previous = VAR / "results.json"
    if a.only != parser.get_default("only") and previous.exists():
        # A partial run adds to (or replaces rows of) the last full one.
        results = {**json.loads(previous.read_text()), "load_partial": load_note(), "partial_only": a.only}
    if "isso" in only:
        print("isso", flush=True)
        server, count = isso_server()
        server.start("/?uri=/none")
        try:
            seed_isso(server)
        finally:
            server.stop()
        path = "/new?uri=/posts"
        script = post_script("isso", path, '{"text": "%s", "author": "Bench"}', [])
        results["isso"] = bench_one(server, server.read_paths["t100"], (script, path, count), a)
    if "xtd" in only:
        print("xtd", flush=True)
        server, count, ids = xtd_server()
        path = "/comments/api/comment/"
        body = (
            '{"content_type": "bench.article", "object_pk": "%(pk)s", "name": "Bench", '
            '"email": "bench@example.org", "followup": false, "reply_to": 0, "comment": "%%s"}'
        ) % {"pk": ids["posts"]}
        script = post_script("xtd", path, body, [])
        results["xtd"] = bench_one(server, server.read_paths["t100"], (script, path, count), a)
    for variant in ("sqlite", "pg", "nocache"):
        if {"sqlite": "ours", "pg": "ours-pg", "nocache": "ours-nocache"}[variant] not in only:
            continue
        print(f"townsquare ({variant})", flush=True)
        server, count, seeded = ours_server(variant)
        try:
            path = f"/api/v1/articles/{seeded['posts']}/comments"
            cookies = [f"sessionid={s}; csrftoken={seeded['csrf']}" for s in seeded["sessions"]]
            script = post_script(
                f"ours-{variant}", path, '{"body": "%s", "nudge_acknowledged": true}', cookies
            )
            # On SQLite, posts are measured a second time with the pipeline off (the framework's share).
            bare = functools.partial(pipeline_off, seeded["env"]) if variant == "sqlite" else None
            results[f"ours-{variant}"] = bench_one(
                server, server.read_paths["t100"], (script, path, count), a, bare
            )
        finally:
            drop_pg(seeded["env"])
    results["load_after"] = load_note()
    (VAR / "results.json").write_text(json.dumps(results, indent=2))
    from report import write_report  # the sibling module

    write_report(results, ROOT / "reports" / "bench_peers.md")
    print(f"wrote {ROOT / 'reports' / 'bench_peers.md'}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
