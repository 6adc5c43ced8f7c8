"""The three servers of the peer benchmark: Isso and django-comments-xtd, each in its own virtualenv
with pinned versions, and Townsquare on SQLite or on PostgreSQL with Redis; each seeded with the same
threads."""

import json
import os
import shutil
import sqlite3
import urllib.error
import urllib.request
from typing import Any

from measure import HERE, ROOT, VAR, Server, ensure_venv, free_port, psql, sh
from workload import THREADS

ISSO_PINS = ["isso==0.14.0", "gunicorn==27.0.1"]
XTD_PINS = [
    "django-comments-xtd==2.10.13",
    "djangorestframework==3.18.3",
    "Django==5.2.19",
    "gunicorn==27.0.1",
]


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


BARE_POLICY = (
    "from django.conf import settings; from townsquare.moderation.pipeline import phase_name; "
    "from townsquare.sites.models import Site; site = Site.objects.get(slug='bench'); "
    "site.policy = {**site.policy, 'pipeline': "
    "{phase_name(e): {'enabled': False} for e in settings.MODERATION_PIPELINE}}; site.save()"
)


def pipeline_off(env: dict[str, str]) -> None:
    """Switch every pipeline phase off for the bench site: what a post costs without moderation."""
    sh([str(ROOT / ".venv" / "bin" / "townsquare"), "shell", "-c", BARE_POLICY], env=env)
