"""Queued moderation work: checking again a comment whose check was unavailable, or whose slower model
tier was deferred off the web request (`model_pending`)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from townsquare.comments.models import Comment, CommentState
from townsquare.jobs.api import register
from townsquare.moderation import pipeline
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.phases.base import WAITING_FOR_JOB
from townsquare.moderation.transitions import apply_decision


class StillUnavailable(Exception):
    """The re-check failed again; the comment stays held and the job is retried."""


@register("moderation.recheck")
def recheck(comment_id: int) -> None:
    """Run the pipeline again for a comment held with "check unavailable" or "model pending" (the full
    model tier scores it this time). Safe to run twice."""
    comment = (
        Comment.objects.select_related("article__site", "author", "parent").filter(pk=comment_id).first()
    )
    if comment is None or not _waiting(comment):
        return
    submission = pipeline.Submission(
        text=comment.body,
        article=comment.article,
        author=comment.author,
        parent=comment.parent,
        ip_hash=comment.ip_hash,
        comment_id=comment.pk,
    )
    decision = pipeline.moderate(submission, budget_ms=settings.MODERATION_RECHECK_BUDGET_MS)
    if decision.recheck:
        # Touching the row tells the sweeper this comment was just tried, so retries stay spaced out.
        Comment.objects.filter(pk=comment_id).update(updated_at=timezone.now())
        raise StillUnavailable(f"comment {comment_id}: {decision.reasons[0]['text']}")
    with transaction.atomic():
        locked = Comment.objects.select_for_update().select_related("article").get(pk=comment_id)
        if not _waiting(locked):  # a moderator or another run decided meanwhile
            return
        if locked.body != comment.body:  # edited meanwhile: the edit queued a re-check of its own text
            return
        apply_decision(locked, decision, source=ModerationEvent.Source.SYSTEM, action="recheck")


def _waiting(comment: Comment) -> bool:
    return comment.state == CommentState.HELD and comment.decided_by in WAITING_FOR_JOB
