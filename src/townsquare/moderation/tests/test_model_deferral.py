"""The slower model tier off the web request: a comment the linear tier is unsure of waits for the job."""

import pytest

from townsquare.comments.actions import do_post_comment
from townsquare.comments.models import Comment, CommentState
from townsquare.comments.outcome import reader_message
from townsquare.jobs import sweeper
from townsquare.moderation import pipeline
from townsquare.moderation.actions import do_approve
from townsquare.moderation.jobs import recheck
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.phases.base import Context
from townsquare.moderation.phases.scores import ModelScores

SURE = "Thanks for the thorough reporting, the council should publish the budget figures too."
# Civil, but the linear tier alone cannot tell (the full tier publishes it).
UNSURE_CIVIL = "My grandparents went back to their village after the war and rebuilt the school."
TROLL = "Nobody cares about your worthless opinion, loser"  # no listed word: only the model objects


@pytest.fixture
def deferring(gazette):
    gazette.policy = {**gazette.policy, "pipeline": {"ModelScores": {"OPTIONS": {"defer": True}}}}
    gazette.save()
    return gazette


@pytest.fixture
def queued(monkeypatch):
    """The jobs queued after commit, kept instead of run."""
    from townsquare.jobs import api as job_api

    out = []
    monkeypatch.setattr(job_api, "run_now", lambda name, **kwargs: out.append((name, kwargs)))
    return out


def post(article, reader, text, capture):
    with capture(execute=True):
        result = do_post_comment(reader=reader, article=article, body=text, nudge_acknowledged=False)
    assert result.comment is not None, result.decision
    return result


def test_a_comment_the_linear_tier_is_sure_of_is_published_at_once(
    deferring, article, alice, queued, django_capture_on_commit_callbacks
):
    result = post(article, alice, SURE, django_capture_on_commit_callbacks)
    assert result.comment.state == CommentState.PUBLISHED, result.decision
    assert result.comment.scores["model_full_tier"] == 0.0
    assert not queued


@pytest.mark.parametrize(("text", "final"), [(UNSURE_CIVIL, "published"), (TROLL, "held")])
def test_an_unsure_comment_waits_for_the_full_tier_in_the_job(
    text, final, deferring, article, bob, queued, django_capture_on_commit_callbacks
):
    result = post(article, bob, text, django_capture_on_commit_callbacks)
    comment = result.comment
    assert (comment.state, comment.decided_by) == (CommentState.HELD, pipeline.MODEL_PENDING)
    assert not result.nudged  # the reader is told the outcome once the job is done, not nudged now
    outcome, message = reader_message(article.site, result)
    assert outcome == "awaiting_review" and "being checked" in message
    assert queued == [("moderation.recheck", {"comment_id": comment.pk})]
    recheck(comment.pk)
    comment.refresh_from_db()
    assert comment.state == final
    assert comment.scores["model_full_tier"] == 1.0
    if final == "held":
        assert comment.decided_by.startswith("model_")
    actions = list(
        ModerationEvent.objects.filter(comment=comment).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["post", "recheck"]


def test_a_moderator_deciding_first_wins_over_the_job(
    deferring, article, bob, maria, queued, django_capture_on_commit_callbacks
):
    result = post(article, bob, TROLL, django_capture_on_commit_callbacks)
    do_approve(maria, result.comment)
    recheck(result.comment.pk)
    result.comment.refresh_from_db()
    assert result.comment.state == CommentState.PUBLISHED
    assert result.comment.decided_by != pipeline.MODEL_PENDING


def test_a_lost_job_is_queued_again_by_the_sweeper(
    deferring, article, bob, settings, queued, django_capture_on_commit_callbacks
):
    settings.TOWNSQUARE_SWEEP_AFTER_MINUTES = 0
    result = post(article, bob, UNSURE_CIVIL, django_capture_on_commit_callbacks)
    assert list(sweeper.stuck_comments()) == [result.comment]


def test_auto_defers_only_with_workers(settings, gazette):
    phase = ModelScores("ModelScores")
    new = Context(text="x", site=gazette)
    settings.TOWNSQUARE_JOBS = "inline"
    assert not phase.defers(new)
    settings.TOWNSQUARE_JOBS = "celery"
    assert phase.defers(new)
    assert not phase.defers(Context(text="x", site=gazette, comment_id=1))  # the re-check scores it
    assert not phase.defers(Context(text="x", site=gazette, dry_run=True))
    assert Comment.objects.count() == 0
