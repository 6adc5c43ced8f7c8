"""A phase that raises or outlasts the budget never publishes: the comment is held and re-checked."""

import pytest

from townsquare.comments.actions import do_post_comment
from townsquare.comments.models import Comment, CommentState
from townsquare.moderation import jobs
from townsquare.moderation.models import ModerationEvent

T = "townsquare.moderation.tests.phases_for_tests"


@pytest.fixture
def flaky(settings):
    def configure(cls, **options):
        settings.MODERATION_PIPELINE = [
            {"NAME": f"{T}.Abstains"},
            {"NAME": f"{T}.{cls}", "ID": "flaky", "OPTIONS": options},
            {"NAME": f"{T}.Abstains", "ID": "after"},
        ]

    return configure


def healthy_again(settings):
    settings.MODERATION_PIPELINE = [{"NAME": f"{T}.Abstains"}]


@pytest.mark.parametrize("cls", ["Raises", "SleepsIsolated", "Sleeps"])
def test_a_failing_or_slow_phase_holds_the_comment_and_queues_a_recheck(
    cls, flaky, settings, article, alice, django_capture_on_commit_callbacks, monkeypatch
):
    from townsquare.jobs import api as job_api

    flaky(cls, **({} if cls == "Raises" else {"seconds": 0.3}))
    settings.MODERATION_BUDGET_MS = 50
    settings.MODERATION_RECHECK_BUDGET_MS = 50
    enqueued = []
    monkeypatch.setattr(job_api, "run_now", lambda name, **kwargs: enqueued.append((name, kwargs)))
    with django_capture_on_commit_callbacks(execute=True):
        result = do_post_comment(reader=alice, article=article, body="A perfectly civil remark")
    comment = result.comment
    assert comment.state == CommentState.HELD
    assert comment.decided_by == "check_unavailable"
    assert comment.reasons[0]["code"] == "check_unavailable"
    assert ("moderation.recheck", {"comment_id": comment.pk}) in enqueued, (
        "the re-check is queued after commit"
    )
    assert ModerationEvent.objects.filter(comment=comment).count() == 1

    # The job runs while the check is still broken: the comment stays held, nothing is lost.
    with pytest.raises(jobs.StillUnavailable):
        jobs.recheck(comment.pk)
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD

    healthy_again(settings)
    jobs.recheck(comment.pk)  # the queued job, once the check works again
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED
    event = ModerationEvent.objects.filter(comment=comment).latest("pk")
    assert (event.source, event.action, event.from_state, event.to_state) == (
        "system",
        "recheck",
        "held",
        "published",
    )

    jobs.recheck(comment.pk)  # twice is harmless
    assert ModerationEvent.objects.filter(comment=comment).count() == 2


def test_a_decisive_reject_before_the_failure_stands(settings, article, alice):
    settings.MODERATION_PIPELINE = [
        {"NAME": f"{T}.Says", "OPTIONS": {"action": "reject", "code": "banned_word"}},
        {"NAME": f"{T}.Raises"},
    ]
    comment = do_post_comment(reader=alice, article=article, body="text").comment
    assert comment.state == CommentState.REJECTED
    assert {r["code"] for r in comment.reasons} == {"banned_word", "check_unavailable"}


def test_a_moderator_decision_meanwhile_is_not_overwritten(flaky, settings, article, alice, maria):
    from django.db import transaction

    from townsquare.moderation.transitions import transition

    flaky("Raises")
    comment = do_post_comment(reader=alice, article=article, body="civil").comment
    with transaction.atomic():
        transition(comment, CommentState.REJECTED, source="moderator", actor=maria, action="reject")
    healthy_again(settings)
    jobs.recheck(comment.pk)
    assert Comment.objects.get(pk=comment.pk).state == CommentState.REJECTED


def test_a_recheck_never_publishes_text_it_did_not_check(flaky, settings, article, alice, monkeypatch):
    """The re-check judges the text it read; if the reader edited meanwhile (and that edit's own check
    was unavailable too), the edit's re-check decides, not this one."""
    from townsquare.moderation import pipeline

    flaky("Raises")
    comment = do_post_comment(reader=alice, article=article, body="A perfectly civil remark").comment
    healthy_again(settings)
    moderate = pipeline.moderate

    def edited_while_checking(submission, **kwargs):
        decision = moderate(submission, **kwargs)
        Comment.objects.filter(pk=comment.pk).update(body="What an absolute sh1tshow")
        return decision

    monkeypatch.setattr(pipeline, "moderate", edited_while_checking)
    jobs.recheck(comment.pk)
    comment.refresh_from_db()
    assert (comment.state, comment.decided_by) == (CommentState.HELD, "check_unavailable")
    assert not ModerationEvent.objects.filter(comment=comment, action="recheck").exists()
