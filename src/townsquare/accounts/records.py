"""What a reader can read of their own here: their comments, page by page, in every state."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.http import urlencode

from townsquare.comments.models import Comment, CommentState
from townsquare.comments.threads import decode_cursor, encode_cursor

PAGE_SIZE = 20
# The reader's own words for where a comment stands (the moderators' are `CommentState` labels).
STATES = {
    CommentState.PUBLISHED: "Published",
    CommentState.HELD: "Held for review",
    CommentState.REJECTED: "Rejected",
    CommentState.DELETED: "Deleted",
}


@dataclass(frozen=True)
class OwnComment:
    comment: Comment
    state: str
    link: str  # the article's page, or its thread here when its address is not known


@dataclass(frozen=True)
class OwnPage:
    comments: list[OwnComment]
    next_cursor: str | None


def article_link(comment: Comment) -> str:
    article = comment.article
    if article.url:
        return article.url
    return reverse("comments:embed", args=[article.site.slug]) + "?" + urlencode({"key": article.key})


def own_comments(user: User, *, cursor: str | None = None) -> OwnPage:
    """One page of the reader's comments, newest first, whatever their state; InvalidInput for a
    cursor that `encode_cursor` did not write. One query, paged by key rather than offset."""
    comments = Comment.objects.filter(author=user).select_related("article__site").order_by("-pk")
    if cursor:
        comments = comments.filter(pk__lt=decode_cursor(cursor)[-1])
    found = list(comments[: PAGE_SIZE + 1])
    shown = [OwnComment(c, STATES[CommentState(c.state)], article_link(c)) for c in found[:PAGE_SIZE]]
    more = len(found) > PAGE_SIZE
    return OwnPage(shown, encode_cursor([found[PAGE_SIZE - 1].pk]) if more else None)
