"""What the reader is told about their comment: plain language from the site's policy, no scores."""

from typing import Literal

from townsquare.comments.actions import PostResult
from townsquare.comments.models import CommentState
from townsquare.moderation.phases.base import MODEL_PENDING
from townsquare.sites.models import Site

NUDGE_TEXT = (
    "Parts of your comment may break our community guidelines. You can rephrase it, or post it as it is."
)


Outcome = Literal["published", "awaiting_review", "rejected", "nudge"]


def reader_message(site: Site, result: PostResult) -> tuple[Outcome, str]:
    """(outcome, message) for a post or edit."""
    texts: dict[str, str] = site.policy_value("reason_texts")
    decision = result.decision
    if result.nudged:
        return "nudge", texts.get("nudge", NUDGE_TEXT)
    code = decision.decided_by
    if decision.state == CommentState.PUBLISHED:
        return "published", "Your comment is published."
    if decision.state == CommentState.HELD and code == MODEL_PENDING and MODEL_PENDING not in texts:
        return "awaiting_review", "Your comment is being checked and will appear in a moment if it is fine."
    if decision.state == CommentState.HELD:
        return "awaiting_review", texts.get(code) or texts.get(
            "default_hold"
        ) or "Your comment awaits review."
    return "rejected", texts.get(code) or texts.get("default_reject") or "Your comment was not published."
