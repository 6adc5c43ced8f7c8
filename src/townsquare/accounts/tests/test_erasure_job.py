"""A reader with many comments deletes their account: the comments go a chunk at a time, in a job that
a lost worker cannot leave half done."""

from typing import Any

import pytest
from conftest import PASSWORD
from django.test import TestCase

from townsquare.accounts import erasure
from townsquare.accounts.erasure import do_delete_account, erase_comments, resume_erasures
from townsquare.comments.actions import do_post_comment
from townsquare.comments.models import Article, Comment, CommentState
from townsquare.jobs.sweeper import sweep

pytestmark = pytest.mark.usefixtures("pipeline_without_model")


@pytest.fixture
def alices_comments(alice: Any, article: Article, settings: Any) -> list[Comment]:
    settings.MODERATION_PIPELINE = [
        e for e in settings.MODERATION_PIPELINE if not e["NAME"].endswith(("RateLimits", "Repeats"))
    ]
    comments = []
    for n in range(5):
        result = do_post_comment(reader=alice, article=article, body=f"Comment number {n} on the talks.")
        assert result.comment is not None
        comments.append(result.comment)
    return comments


def erased(comments: list[Comment]) -> list[bool]:
    states = {c.pk: (c.state, c.body) for c in Comment.objects.filter(pk__in=[c.pk for c in comments])}
    return [states[c.pk] == (CommentState.DELETED, "") for c in comments]


def test_a_job_lost_half_way_keeps_what_it_erased_and_the_sweep_finishes_it(
    alice: Any, alices_comments: list[Comment], settings: Any, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(erasure, "ERASE_CHUNK", 2)
    real, calls = erasure.erase_comment, []

    def dies_at_the_fourth(pk: int, **kw: Any) -> Comment:
        calls.append(pk)
        if len(calls) == 4:
            raise RuntimeError("the worker was killed")
        return real(pk, **kw)

    monkeypatch.setattr(erasure, "erase_comment", dies_at_the_fourth)
    with TestCase.captureOnCommitCallbacks(execute=True):
        do_delete_account(alice, confirmation=PASSWORD)
    alice.refresh_from_db()
    assert not alice.is_active  # the account went at once, whatever became of the job
    # Newest first, two to a transaction: the first two stay erased, the second chunk rolled back.
    assert erased(alices_comments) == [False, False, False, True, True]

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert resume_erasures() == 0  # deleted just now: its job may still be on its way
    settings.TOWNSQUARE_SWEEP_AFTER_MINUTES = 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        sweep()
    assert erased(alices_comments) == [True] * 5
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert resume_erasures() == 0  # nothing left to do


def test_the_job_erases_nothing_of_a_reader_who_is_still_here(alice: Any, alices_comments: list[Comment]):
    assert erase_comments(alice.pk) == 0
    assert erased(alices_comments) == [False] * 5
