"""The one place a comment changes state, and where its audit row is written.

Callers hold a transaction: the state change and its `ModerationEvent` commit together or not at all.
"""

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db import transaction

from townsquare.comments.models import Comment, CommentState
from townsquare.comments.notifications import queue_reply_notification
from townsquare.errors import Conflict
from townsquare.moderation.models import ModerationEvent

if TYPE_CHECKING:
    from townsquare.moderation.pipeline import Decision

S = CommentState
# A new comment starts from "" (it had no state before the pipeline decided).
ALLOWED: dict[str, frozenset[str]] = {
    "": frozenset({S.PUBLISHED, S.HELD, S.REJECTED}),
    S.PUBLISHED: frozenset({S.PUBLISHED, S.HELD, S.REJECTED, S.DELETED}),
    S.HELD: frozenset({S.PUBLISHED, S.HELD, S.REJECTED, S.DELETED}),
    S.REJECTED: frozenset({S.PUBLISHED, S.HELD, S.REJECTED, S.DELETED}),
    S.DELETED: frozenset(),
}


def transition(
    comment: Comment,
    to_state: str,
    *,
    source: str,
    action: str,
    from_state: str | None = None,
    actor: User | None = None,
    phase: str = "",
    reasons: list[dict[str, Any]] | None = None,
    scores: dict[str, float] | None = None,
    note: str = "",
) -> ModerationEvent:
    """Move `comment` to `to_state`, save it and write the audit row. Raises Conflict if not allowed."""
    assert transaction.get_connection().in_atomic_block, "state changes need a transaction"
    before = comment.state if from_state is None else from_state
    if to_state not in ALLOWED[before]:
        raise Conflict(f"A {before or 'new'} comment cannot become {to_state}.", code="invalid_transition")
    comment.state = to_state
    if reasons is not None:
        comment.reasons = reasons
    if scores is not None:
        comment.scores = scores
    comment.save()
    if to_state == S.PUBLISHED and before != S.PUBLISHED:
        # However it got there (posted, approved, re-checked): the parent's author hears of it once.
        queue_reply_notification(comment)
    return record_on_comment(
        comment,
        source=source,
        actor=actor,
        action=action,
        phase=phase,
        from_state=before,
        to_state=to_state,
        reasons=reasons if reasons is not None else comment.reasons,
        scores=scores if scores is not None else comment.scores,
        note=note,
    )


def apply_decision(
    comment: Comment,
    decision: "Decision",
    *,
    source: str,
    action: str,
    from_state: str | None = None,
    note: str = "",
) -> ModerationEvent:
    """`transition` to the pipeline's decision: its state, phase, reasons and scores, and who decided."""
    comment.decided_by = decision.decided_by
    return transition(
        comment,
        decision.state,
        source=source,
        action=action,
        from_state=from_state,
        phase=decision.phase,
        reasons=decision.reasons,
        scores=decision.scores,
        note=note,
    )


def record_on_comment(
    comment: Comment, *, source: str, action: str, actor: User | None = None, **fields: Any
) -> ModerationEvent:
    """An audit row about one comment, with or without a change of state: its site and the reader it
    concerns come from the comment."""
    return ModerationEvent.objects.create(
        site_id=comment.article.site_id,
        comment=comment,
        article_id=comment.article_id,
        target_user_id=comment.author_id,
        source=source,
        actor=actor,
        action=action,
        **fields,
    )
