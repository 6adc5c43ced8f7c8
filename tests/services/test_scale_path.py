"""The scale path on this machine's real PostgreSQL and a Redis of the test's own.

Stories: a worker dies in the middle of re-checking alice's held comment; Redis goes away while
alice and bob are commenting; two web processes serve the same thread to alice and bob.
"""

import json
import signal
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.services.conftest import Stack

pytestmark = [pytest.mark.services]
VALID_STATES = {"published", "held", "rejected", "deleted"}


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _post(
    port: int, reader: dict[str, Any], body: str, parent: int | None = None
) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/articles/{reader['article']}/comments",
        data=json.dumps({"body": body, "parent_id": parent, "nudge_acknowledged": True}).encode(),
        headers={
            "Content-Type": "application/json",
            "Cookie": f"sessionid={reader['session']}; csrftoken={reader['csrf']}",
            "X-CSRFToken": reader["csrf"],
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _thread(port: int, article: int, session: str | None = None) -> list[int]:
    headers = {"Cookie": f"sessionid={session}"} if session else {}
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/articles/{article}/comments", headers=headers
    )
    with urllib.request.urlopen(request, timeout=10) as resp:
        comments = json.loads(resp.read())["comments"]
    return [c["id"] for c in comments] + [r["id"] for c in comments for r in c["replies"]]


def test_a_worker_killed_mid_job_leaves_the_comment_to_the_next_worker(stack: Stack, tmp_path: Path):
    stack.env.update(
        TOWNSQUARE_JOBS="celery",
        TOWNSQUARE_JOB_MODULES="tests.services.slow_jobs",
        TOWNSQUARE_JOBS_VISIBILITY_TIMEOUT="4",
    )
    held = stack.run("held")["comment"]
    marker = tmp_path / "starts.txt"
    first = stack.spawn("worker", "--concurrency", "1", "--no-beat", "--loglevel", "WARNING", name="worker1")
    stack.run(
        "publish", "tests.slow_recheck", json.dumps({"comment_id": held, "seconds": 3, "marker": str(marker)})
    )
    _wait(lambda: marker.exists() and marker.read_text().count("start") == 1, 30, "the job to start")

    stack.kill(first, signal.SIGKILL)  # the whole worker, pool and all, in the middle of the job
    article = stack.run("reader")["article"]
    assert stack.run("states", str(article))["states"][str(held)] == "held"  # not lost, not published

    stack.spawn("worker", "--concurrency", "1", "--no-beat", "--loglevel", "WARNING", name="worker2")
    _wait(lambda: stack.run("states", str(article))["states"][str(held)] == "published", 45, "the re-check")
    assert marker.read_text().count("start") == 2  # delivered again, thanks to the late acknowledgement


def test_comments_posted_while_redis_is_down_are_stored_and_end_in_a_state(stack: Stack):
    stack.env["TOWNSQUARE_JOBS"] = "celery"  # the broker is the Redis that goes away
    alice = stack.run("reader", "alice")
    bob = stack.run("reader", "bob")
    port = stack.serve("web")
    status, before = _post(port, alice, "Before the outage: the ferry timetable changed again.")
    assert status == 201

    stack.redis.stop()
    during = []
    for i in range(3):
        # Bob's replies queue a notification job: the broker is down, so it runs in the web process.
        parent = before["comment"]["id"] if i == 0 else None
        status, body = _post(
            port, bob, f"During the outage, comment {i}: the harbour is closed today.", parent
        )
        assert status == 201, body
        during.append(body["comment"]["id"])
    stack.redis.start()
    status, after = _post(port, alice, "After the outage: the ferry runs again.")
    assert status == 201

    ids = [before["comment"]["id"], *during, after["comment"]["id"]]
    states = stack.run("states", str(alice["article"]))["states"]
    assert all(states[str(i)] in VALID_STATES for i in ids)
    assert set(_thread(port, alice["article"])) >= {i for i in ids if states[str(i)] == "published"}


def test_two_web_processes_serve_the_same_thread(stack: Stack):
    alice = stack.run("reader", "alice", "two-web-processes")
    bob = stack.run("reader", "bob", "two-web-processes")
    one, two = stack.serve("web1"), stack.serve("web2")
    assert _thread(two, alice["article"]) == []  # the second process now has the empty page cached

    status, body = _post(one, alice, "Posted through the first web process.")
    assert status == 201 and body["outcome"] == "published"
    # The cached page on the other process is stale at once: the version lives in the shared Redis.
    assert body["comment"]["id"] in _thread(two, alice["article"])
    assert body["comment"]["id"] in _thread(two, alice["article"], bob["session"])


def test_a_stream_on_one_process_hears_of_a_comment_posted_through_the_other(stack: Stack):
    alice = stack.run("reader", "alice", "live-across-processes")
    bob = stack.run("reader", "bob", "live-across-processes")
    one, two = stack.serve("web1"), stack.serve("web2")
    status, first = _post(one, alice, "Is the ferry running tonight?")
    assert status == 201 and first["outcome"] == "published"

    # Bob has the thread open on the second process; his stream starts from what his page shows.
    stream = urllib.request.urlopen(
        f"http://127.0.0.1:{two}/embed/a/{bob['article']}/stream/?after=0", timeout=10
    )
    assert stream.status == 200
    assert stream.readline().startswith(b"retry:")
    stream.readline()
    # Published before he subscribed: announced as soon as the stream starts.
    assert stream.readline().startswith(b"event: comment")
    stream.readline()
    stream.readline()

    # Announced through Redis pub/sub, twice from the same process (its one client is reused).
    for text in ("It is, until ten.", "And on Sundays too."):
        status, posted = _post(one, alice, text)
        assert status == 201 and posted["outcome"] == "published"
        line = stream.readline()
        while line.startswith(b":") or line == b"\n":  # a keep-alive comment
            line = stream.readline()
        assert line == b"event: comment\n"
        assert stream.readline() == f"data: {posted['comment']['id']}\n".encode()
    stream.close()
