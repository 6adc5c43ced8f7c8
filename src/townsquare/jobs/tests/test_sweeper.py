"""The sweeper re-queues comments whose re-check was lost; nothing else."""

import io
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from townsquare.comments.models import Comment, CommentState
from townsquare.jobs import api, sweeper


@pytest.fixture
def rechecks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    queued: list[int] = []
    monkeypatch.setitem(api.REGISTRY, sweeper.RECHECK, api.JobSpec(sweeper.RECHECK, lambda **kw: None))
    monkeypatch.setattr(sweeper, "enqueue", lambda name, **kw: queued.append(kw["comment_id"]))
    return queued


def _comment(article: Any, author: Any, state: str, decided_by: str, minutes_ago: int) -> Comment:
    c = Comment.objects.create(
        article=article, author=author, body="x", html="x", state=state, decided_by=decided_by
    )
    Comment.objects.filter(pk=c.pk).update(updated_at=timezone.now() - timedelta(minutes=minutes_ago))
    return c


def test_only_comments_stuck_on_an_unavailable_check_are_requeued(article, alice, rechecks):
    stuck = _comment(article, alice, CommentState.HELD, "check_unavailable", 60)
    _comment(article, alice, CommentState.HELD, "check_unavailable", 1)  # its job may still be running
    _comment(article, alice, CommentState.HELD, "premoderation", 60)  # waits for a moderator, rightly
    _comment(article, alice, CommentState.PUBLISHED, "", 60)
    assert sweeper.sweep() == 1
    assert rechecks == [stuck.pk]


def test_without_a_recheck_job_the_sweeper_leaves_comments_held(article, alice, monkeypatch):
    monkeypatch.delitem(api.REGISTRY, sweeper.RECHECK, raising=False)
    stuck = _comment(article, alice, CommentState.HELD, "check_unavailable", 60)
    assert sweeper.sweep() == 0
    stuck.refresh_from_db()
    assert stuck.state == CommentState.HELD


def test_one_process_sweeps_per_period(article, alice, rechecks):
    from django.core.cache import cache

    cache.delete(sweeper.LOCK_KEY)
    _comment(article, alice, CommentState.HELD, "check_unavailable", 60)
    assert sweeper.sweep_once_per_period() == 1
    assert sweeper.sweep_once_per_period() == 0


def test_the_sweep_loop_survives_a_failed_pass_and_stops_when_told(monkeypatch):
    stop = threading.Event()
    passes: list[int] = []

    def one_pass() -> int:
        passes.append(1)
        if len(passes) == 1:
            raise ConnectionError("the database restarted")
        stop.set()
        return 0

    monkeypatch.setattr(sweeper, "sweep_once_per_period", one_pass)
    sweeper.sweep_forever(0.001, stop)
    assert len(passes) == 2


def test_the_worker_without_celery_runs_the_web_processes_sweep_loop(settings, monkeypatch):
    settings.TOWNSQUARE_JOBS = "inline"
    settings.TOWNSQUARE_SWEEP_INTERVAL_SECONDS = 120
    loops: list[float] = []
    monkeypatch.setattr(sweeper, "sweep_forever", lambda interval, stop=None: loops.append(interval))

    def no_copy_of_the_loop() -> int:
        raise AssertionError("the worker swept with a loop of its own")

    monkeypatch.setattr(sweeper, "sweep", no_copy_of_the_loop)
    call_command("worker", stdout=io.StringIO())
    assert loops == [120.0]


def test_the_sweep_forgets_spent_sign_on_tokens_once_they_expired(gazette, monkeypatch):
    """A spent token is refused by its `exp` after `expires_at`: its row has nothing left to guard.
    The purge runs even where no re-check job is registered."""
    from townsquare.accounts.models import SsoTokenUse

    monkeypatch.delitem(api.REGISTRY, sweeper.RECHECK, raising=False)
    now = timezone.now()
    SsoTokenUse.objects.create(site=gazette, digest="a" * 64, expires_at=now - timedelta(seconds=1))
    live = SsoTokenUse.objects.create(site=gazette, digest="b" * 64, expires_at=now + timedelta(minutes=5))
    sweeper.sweep()
    assert list(SsoTokenUse.objects.all()) == [live]


def test_the_sweep_purges_tombstones_of_sanctions_that_have_ended(gazette, monkeypatch):
    """A suspension that has run out has nothing left to put back on a returning reader."""
    from townsquare.accounts.models import SanctionTombstone

    monkeypatch.delitem(api.REGISTRY, sweeper.RECHECK, raising=False)
    now = timezone.now()

    def tombstone(kind: str, until: Any) -> SanctionTombstone:
        return SanctionTombstone.objects.create(
            site=gazette, subject=f"{kind}{until}", kind=kind, until=until
        )

    tombstone("suspend", now - timedelta(seconds=1))
    running = tombstone("suspend", now + timedelta(days=1))
    ban = tombstone("ban", None)
    sweeper.sweep()
    assert set(SanctionTombstone.objects.all()) == {running, ban}
