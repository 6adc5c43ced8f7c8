"""What goes in and out of the public API. Outputs are allowlists: nothing else can leak."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from townsquare.comments.threads import Node


class AuthorOut(Schema):
    display_name: str


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: AuthorOut | None
    html: str
    status: Literal["published", "awaiting_review", "removed", "deleted"]
    created_at: datetime
    edited: bool
    reaction_count: int
    reply_count: int
    mine: bool
    can_edit: bool
    my_reactions: list[str]
    replies: list["CommentOut"] = []
    more_replies_cursor: str | None = None


class ThreadOut(Schema):
    article_id: int
    sort: str
    comments: list[CommentOut]
    next_cursor: str | None


class CommentIn(Schema):
    body: str = Field(..., description="Markdown subset: emphasis, links, code, quotes, lists.")
    parent_id: int | None = None
    nudge_acknowledged: bool = Field(
        False, description="Set on the second submit, after the reader saw the nudge and chose to post."
    )


class EditIn(Schema):
    body: str


class ReactionIn(Schema):
    kind: str = "like"


class ReportIn(Schema):
    reason: str
    note: str = ""


class ReasonOut(Schema):
    code: str
    text: str


class PostOut(Schema):
    outcome: Literal["published", "awaiting_review", "rejected", "nudge"]
    message: str
    comment: CommentOut | None
    # Only for the nudge: which parts of the text may break the guidelines.
    nudge: list[ReasonOut] = []


class ReactionOut(Schema):
    reacted: bool
    reaction_count: int


class OkOut(Schema):
    ok: bool = True


def comment_out(node: Node) -> CommentOut:
    comment = node.comment
    hidden = node.status in ("removed", "deleted")
    profile = getattr(comment.author, "profile", None)
    return CommentOut(
        id=comment.pk,
        parent_id=comment.parent_id,
        author=None if hidden or profile is None else AuthorOut(display_name=profile.display_name),
        html="" if hidden else comment.html,
        status=node.status,  # type: ignore[arg-type]
        created_at=comment.created_at,
        edited=comment.edited_at is not None,
        reaction_count=comment.reaction_count,
        reply_count=comment.reply_count,
        mine=node.mine,
        can_edit=node.can_edit,
        my_reactions=sorted(node.my_reactions),
        replies=[comment_out(child) for child in node.replies],
        more_replies_cursor=node.more_replies,
    )
