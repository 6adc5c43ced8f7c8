"""What a reader can read of their own here: their comments page by page, in every state, and
everything Townsquare holds about them as one download (GDPR Articles 15 and 20)."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from townsquare.accounts.actions import ensure_profile
from townsquare.accounts.models import publisher_site_id
from townsquare.comments.models import Comment, CommentState, Reaction, Report
from townsquare.comments.threads import decode_cursor, encode_cursor
from townsquare.sites.models import Site

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


def account_data(user: User) -> dict[str, Any]:
    """The reader's account, comments (with earlier versions of edited ones), reactions and reports,
    as plain data for a JSON file. Only what they wrote or chose: not the text of others' comments
    they reacted to or reported, nor moderators' notes and scores."""
    profile = ensure_profile(user)
    site_id = publisher_site_id(user)
    publisher = Site.objects.filter(pk=site_id).values_list("name", flat=True).first() if site_id else None
    comments = (
        Comment.objects.filter(author=user)
        .select_related("article__site")
        .prefetch_related("revisions")
        .order_by("pk")
    )
    return {
        "exported_at": timezone.now(),
        "account": {
            "user_name": user.get_username(),
            "display_name": profile.display_name,
            "email": user.email,
            "email_confirmed": profile.email_confirmed,
            "reply_emails": profile.reply_emails,
            "signed_up_at": user.date_joined,
            "last_signed_in_at": user.last_login,
            "signs_in_through": publisher,
        },
        "comments": [_comment_data(c) for c in comments],
        "reactions": [
            {"comment_id": r.comment_id, "kind": r.kind, "created_at": r.created_at}
            for r in Reaction.objects.filter(user=user).order_by("pk")
        ],
        "reports": [
            {"comment_id": r.comment_id, "reason": r.reason, "note": r.note, "created_at": r.created_at}
            for r in Report.objects.filter(reporter=user).order_by("pk")
        ],
    }


def _comment_data(comment: Comment) -> dict[str, Any]:
    article = comment.article
    return {
        "id": comment.pk,
        "site": article.site.name,
        "article": {"title": article.title, "address": article.url, "key": article.key},
        "in_reply_to": comment.parent_id,
        "body": comment.body,
        "state": comment.state,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "earlier_versions": [
            {"body": r.body, "replaced_at": r.created_at}
            for r in sorted(comment.revisions.all(), key=lambda r: r.pk)
        ],
    }
