"""Benchmark of the moderators' queue pages with 100,000 comments in a scratch SQLite database.

    .venv/bin/python bench/queues.py [--comments N] [--requests N] [--output reports/bench_queues.md]

Seeds one site with articles, readers and comments in every queue (bulk_create, a few seconds),
then times each queue page, the live counts, a search, an article filter and a deep keyset page
through the Django test client, signed in as the site's moderator. Prints a Markdown table.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scratch import setup_django

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "ceasefire", "border", "talks", "minister", "delegation", "treaty", "corridor", "refugees",
    "election", "budget", "idiot", "nonsense", "agree", "disagree", "source", "evidence", "history",
    "villages", "peace", "war", "trust", "sanctions",
]  # fmt: skip


def seed(total: int) -> tuple[Any, Any, list[Any]]:
    """One site, its moderator, 50 articles, 500 readers and `total` comments across the queues."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from townsquare.accounts.models import Profile
    from townsquare.comments.models import Article, Comment
    from townsquare.moderation.queues import APPROVED_BY_MODERATOR
    from townsquare.sites.models import Site, SiteRole

    rng = random.Random(7)
    site = Site.objects.create(slug="bench", name="The Bench Gazette")
    moderator = User.objects.create_user("maria", password="bench-password-123")
    SiteRole.objects.create(site=site, user=moderator, role=SiteRole.Role.MODERATOR)
    articles = Article.objects.bulk_create(
        [Article(site=site, key=f"article-{i}", title=f"Article {i}") for i in range(50)]
    )
    unusable = "!"  # Django's mark for "no password can sign in"
    readers = User.objects.bulk_create([User(username=f"reader{i}", password=unusable) for i in range(500)])
    Profile.objects.bulk_create([Profile(user=u, display_name=f"Reader {u.pk}") for u in readers])
    kinds = [
        # (share, state, decided_by, report_count)
        (0.84, "published", "", 0),
        (0.05, "held", "banned_word", 0),
        (0.02, "held", "model_scores", 0),
        (0.03, "held", "new_reader", 0),
        (0.03, "rejected", "banned_word", 0),
        (0.02, "published", "", 2),
        (0.01, "published", APPROVED_BY_MODERATOR, 0),
    ]
    weights = [k[0] for k in kinds]
    batch: list[Comment] = []
    with transaction.atomic():
        for i in range(total):
            _, state, decided_by, reports = rng.choices(kinds, weights)[0]
            words = rng.sample(WORDS, 8)
            body = " ".join(words).capitalize() + f". Comment {i}."
            span = [body.index(words[1]), body.index(words[1]) + len(words[1])]
            reasons = [{"code": decided_by, "text": "Reason", "span": span}] if decided_by else []
            batch.append(
                Comment(
                    article=articles[i % len(articles)],
                    author=readers[rng.randrange(len(readers))],
                    body=body,
                    html=f"<p>{body}</p>",
                    state=state,
                    decided_by=decided_by,
                    reasons=reasons,
                    scores={"toxicity": round(rng.random(), 3), "insult": round(rng.random(), 3)},
                    report_count=reports,
                )
            )
            if len(batch) == 5000:
                Comment.objects.bulk_create(batch)
                batch = []
        Comment.objects.bulk_create(batch)
    return site, moderator, articles


def timed(client: Any, url: str, requests: int) -> dict[str, float]:
    client.get(url)  # warm up: templates compiled, caches filled
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    ordered = sorted(times)
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
    }


def run(total: int, requests: int) -> str:
    from django.contrib.auth.models import User
    from django.test import Client

    from townsquare.comments.models import Article
    from townsquare.moderation.queues import queue_counts
    from townsquare.sites.models import Site

    start = time.perf_counter()
    existing = Site.objects.filter(slug="bench").first()
    if existing is None:
        site, moderator, articles = seed(total)
    else:
        site, moderator = existing, User.objects.get(username="maria")
        articles = list(Article.objects.filter(site=site).order_by("pk"))
    seeded = time.perf_counter() - start
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(moderator)
    base = f"/moderate/{site.slug}/"
    counts = queue_counts(site)
    deep = client.get(base + "?queue=all&limit=25")
    cursor = deep.content.decode().split("cursor=")[1].split('"')[0].split("&")[0]
    cases = [
        (f"{name} queue ({counts[name]:,} comments), 25 per page", f"{base}?queue={name}")
        for name in ("held", "premoderated", "reported", "rejected", "approved", "all")
    ]
    cases += [
        ("held queue, 100 per page", f"{base}?queue=held&limit=100"),
        ("all, oldest first, second page", f"{base}?queue=all&order=oldest&cursor={cursor}"),
        ("held, filtered by article", f"{base}?queue=held&article={articles[3].pk}"),
        ("held, filtered by reason", f"{base}?queue=held&reason=model_scores"),
        ("all, search “ceasefire treaty”", f"{base}?queue=all&q=ceasefire+treaty"),
        ("live counts (polled every 10 s)", f"{base}counts/?queue=held"),
    ]
    rows = [(label, timed(client, url, requests)) for label, url in cases]
    lines = [
        "# Queue pages with 100,000 comments",
        "",
        f"`make bench-queues` (`.venv/bin/python bench/queues.py --comments {total} --requests {requests}`): "
        f"{total:,} comments on one site in a scratch SQLite database (seeded in {seeded:.1f} s), "
        f"each page requested {requests} times through the Django test client as the site's moderator, "
        "after one warm-up request. Times include rendering the whole page.",
        "",
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[1]:.1f} over the last five minutes "
        "(other work on a shared machine slows every row alike).",
        "",
        "| page | median ms | p95 ms |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {label} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} |" for label, r in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--output", type=Path, default=None, help="also write the table here")
    parser.add_argument("--keep", type=Path, default=None, help="seed once into this folder and reuse it")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="townsquare-bench-") as scratch:
        data_dir = args.keep or Path(scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        setup_django(str(data_dir))
        report = run(args.comments, args.requests)
    print(report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
