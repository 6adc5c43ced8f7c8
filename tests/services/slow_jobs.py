"""A job for the services tests: a re-check that takes its time, loaded by the worker under test
through TOWNSQUARE_JOB_MODULES. It notes each start in a file, so a test sees a redelivery."""

import time
from pathlib import Path

from django.db import transaction

from townsquare.comments.models import Comment, CommentState
from townsquare.jobs.api import register
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.transitions import transition


@register("tests.slow_recheck", soft_time_limit=20, time_limit=25, max_retries=3, retry_backoff=1)
def slow_recheck(comment_id: int, seconds: float, marker: str) -> None:
    with Path(marker).open("a") as f:
        f.write("start\n")
    time.sleep(seconds)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("article").get(pk=comment_id)
        if comment.state != CommentState.HELD:
            return  # done by an earlier delivery: safe to run twice
        comment.decided_by = ""
        transition(comment, CommentState.PUBLISHED, source=ModerationEvent.Source.SYSTEM, action="recheck")
