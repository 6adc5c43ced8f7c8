"""Benchmark of the moderation pipeline: time per comment and comments per second, with and
without the model, on the corpus texts. Writes reports/bench_pipeline.md.

    .venv/bin/python bench/pipeline.py [--rounds N]

Two measures: the content pipeline alone (the dry run: text phases, no database), and a full post
(`do_post_comment`: every phase, the database writes and the audit row) into a scratch SQLite file.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scratch import setup_django

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "src/townsquare/moderation/tests/corpus.jsonl"


def summarise(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p99_ms": p99 * 1000,
        "per_second": len(ordered) / sum(ordered),
    }


def without_model(entries: list[dict[str, object]]) -> list[dict[str, object]]:
    return [e for e in entries if not str(e["NAME"]).endswith("ModelScores")]


def bench_dry_run(texts: list[str], rounds: int) -> dict[str, float]:
    from townsquare.moderation import pipeline
    from townsquare.sites.models import Site

    site = Site(slug="bench", name="Bench")
    pipeline.dry_run("warm up", site)
    times = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            pipeline.dry_run(text, site, budget_ms=10_000)
            times.append(time.perf_counter() - started)
    return summarise(times)


def bench_posts(texts: list[str], rounds: int) -> dict[str, float]:
    from django.contrib.auth.models import User

    from townsquare.comments.actions import do_post_comment, ensure_article
    from townsquare.moderation import pipeline
    from townsquare.sites.models import Site

    site, _ = Site.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    # Rate limits would refuse a bench that posts hundreds a second; they are measured, not enforced.
    site.policy = {
        "pipeline": {"RateLimits": {"OPTIONS": {"per_reader_minute": 10**9, "per_reader_hour": 10**9}}}
    }
    site.save()
    article = ensure_article(site, f"bench-{time.time_ns()}")
    readers = [User.objects.get_or_create(username=f"bench{n}")[0] for n in range(50)]
    pipeline.phases_for(site)
    times = []
    n = 0
    for round_ in range(rounds):
        for text in texts:
            reader = readers[n % len(readers)]
            n += 1
            started = time.perf_counter()
            do_post_comment(reader=reader, article=article, body=f"{text} ({round_})", parent_id=None)
            times.append(time.perf_counter() - started)
    return summarise(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "reports/bench_pipeline.md"))
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in CORPUS.read_text("utf-8").splitlines()]
    texts = [t for t in texts if t.strip() and len(t) <= 5000]
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        from django.conf import settings

        from townsquare.moderation.scoring import scorer_for

        full = list(settings.MODERATION_PIPELINE)
        scorer = scorer_for(
            next(str(e.get("OPTIONS", {}).get("tier", "auto")) for e in full if "Model" in e["NAME"])
        )
        rows = []
        for label, entries in (("with the model", full), ("without the model", without_model(full))):
            settings.MODERATION_PIPELINE = entries
            rows.append((f"content pipeline, {label}", bench_dry_run(texts, args.rounds)))
            rows.append((f"full post (SQLite), {label}", bench_posts(texts, 1)))
    lines = [
        "# Moderation pipeline benchmark",
        "",
        f"{len(texts)} corpus comments (9 languages), {args.rounds} rounds for the content pipeline, 1 for",
        f"full posts. Scorer: `{scorer.name}` {scorer.version}. Python {platform.python_version()},",
        f"{os.cpu_count()} cores, one process, one thread."
        f" Budget per comment: {settings.MODERATION_BUDGET_MS:.0f} ms.",
        "",
        "| measure | median ms | p99 ms | comments/s |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, result in rows:
        lines.append(
            f"| {name} | {result['median_ms']:.2f} | {result['p99_ms']:.2f} | {result['per_second']:.0f} |"
        )
    report = "\n".join(lines) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")
    sys.stdout.write(report)


if __name__ == "__main__":
    main()
