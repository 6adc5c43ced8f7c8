"""The moderation hook every new or edited comment goes through.

`moderate()` returns a `Decision`; it never raises for a comment's content.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from townsquare.comments.models import CommentState

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from townsquare.comments.models import Article, Comment


@dataclass(frozen=True)
class Submission:
    text: str
    article: "Article"
    author: "User | None"
    parent: "Comment | None" = None
    ip_hash: str = ""
    is_edit: bool = False
    # The reader saw the nudge for this text and chose to post anyway.
    nudge_acknowledged: bool = False


@dataclass
class Decision:
    state: str
    reasons: list[dict[str, Any]] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    decided_by: str = ""
    phase: str = ""
    # Reasons to show the reader before the first submit goes through (see the nudge).
    nudge: list[dict[str, Any]] = field(default_factory=list)


def moderate(submission: Submission) -> Decision:
    article = submission.article
    if article.premoderate or article.site.policy_value("premoderate_all"):
        reason = {
            "code": "premoderation",
            "text": "Comments here are reviewed before they appear.",
            "span": None,
        }
        return Decision(CommentState.HELD, [reason], decided_by="premoderation", phase="premoderation")
    return Decision(CommentState.PUBLISHED)
