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

Writes reports/bench_peers.md and var/bench/results.json. Standard library only. The tools are in
`measure`, the threads and the post script in `workload`, the servers in `servers`.
"""

import argparse
import functools
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from measure import HERE, ROOT, VAR, Server, load_note, measure_posts, measure_reads, pss_kib
from servers import drop_pg, isso_server, ours_server, pipeline_off, seed_isso, xtd_server
from workload import post_script


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
