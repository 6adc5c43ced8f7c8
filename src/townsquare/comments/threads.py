"""Reading a thread: one page of top-level comments and their replies, in a fixed number of queries.

Top-level comments are paged with a keyset cursor (never OFFSET), so page 200 of a 10,000-comment
thread costs what page 1 does. Replies come in one windowed query, at most `REPLIES_PER_ROOT` per
thread; the rest is paged per root with the same cursor.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from townsquare.comments.models import Article, Comment, CommentState, Reaction
from townsquare.errors import InvalidInput

SORTS = ("newest", "oldest", "top")
CURSOR_MAX = 200


@dataclass
class Node:
    comment: Comment
    status: str
    mine: bool
    can_edit: bool
    my_reactions: set[str] = field(default_factory=set)
    replies: list["Node"] = field(default_factory=list)
    more_replies: str | None = None


@dataclass
class Page:
    nodes: list[Node]
    next_cursor: str | None
    total: int | None = None


def encode_cursor(values: list[int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[int]:
    """The numbers `encode_cursor` wrote; InvalidInput for anything else (a cursor is a few numbers,
    so a long one is refused before it is parsed: JSON nested thousands deep would not parse)."""
    invalid = InvalidInput("That page cursor is not valid.", code="cursor_invalid")
    if len(cursor) > CURSOR_MAX:
        raise invalid
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise invalid from exc
    if not isinstance(values, list) or not values or not all(_cursor_number(v) for v in values):
        raise invalid
    return values


def _cursor_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON's true is an int to Python


def visible_q(viewer: User | None) -> Q:
    """Published comments, placeholders for removed ones that have replies, and one's own held ones."""
    q = Q(state=CommentState.PUBLISHED) | Q(
        state__in=[CommentState.DELETED, CommentState.REJECTED], reply_count__gt=0
    )
    if viewer is not None and viewer.is_authenticated:
        q |= Q(author_id=viewer.pk, state=CommentState.HELD)
    return q


def status_of(comment: Comment) -> str:
    return {
        CommentState.PUBLISHED: "published",
        CommentState.HELD: "awaiting_review",
        CommentState.REJECTED: "removed",
        CommentState.DELETED: "deleted",
    }[CommentState(comment.state)]


def _base(article: Article, viewer: User | None) -> QuerySet[Comment]:
    return Comment.objects.filter(article=article).filter(visible_q(viewer)).select_related("author__profile")


def _order(qs: QuerySet[Comment], sort: str, cursor: str | None) -> QuerySet[Comment]:
    if sort not in SORTS:
        raise InvalidInput(f"Sort by one of {', '.join(SORTS)}.", code="sort_invalid")
    values = decode_cursor(cursor) if cursor else None
    if sort == "newest":
        if values:
            qs = qs.filter(pk__lt=values[-1])
        return qs.order_by("-pk")
    if sort == "oldest":
        if values:
            qs = qs.filter(pk__gt=values[-1])
        return qs.order_by("pk")
    if values:
        if len(values) != 2:
            raise InvalidInput("That page cursor is not valid.", code="cursor_invalid")
        count, pk = values
        qs = qs.filter(Q(reaction_count__lt=count) | Q(reaction_count=count, pk__lt=pk))
    return qs.order_by("-reaction_count", "-pk")


def _cursor_for(comment: Comment, sort: str) -> str:
    if sort == "top":
        return encode_cursor([comment.reaction_count, comment.pk])
    return encode_cursor([comment.pk])


def _node(comment: Comment, viewer: User | None, now: datetime, reacted: dict[int, set[str]]) -> Node:
    mine = viewer is not None and viewer.is_authenticated and comment.author_id == viewer.pk
    window = timedelta(seconds=settings.EDIT_WINDOW_SECONDS)
    editable = comment.state in (CommentState.PUBLISHED, CommentState.HELD)
    return Node(
        comment=comment,
        status=status_of(comment),
        mine=mine,
        can_edit=mine and editable and now - comment.created_at <= window,
        my_reactions=reacted.get(comment.pk, set()),
    )


def _reactions_of(viewer: User | None, ids: list[int]) -> dict[int, set[str]]:
    if viewer is None or not viewer.is_authenticated or not ids:
        return {}
    reacted: dict[int, set[str]] = {}
    for comment_id, kind in Reaction.objects.filter(user_id=viewer.pk, comment_id__in=ids).values_list(
        "comment_id", "kind"
    ):
        reacted.setdefault(comment_id, set()).add(kind)
    return reacted


def _attach(roots: list[Node], replies: list[Comment], make: "NodeFactory") -> None:
    by_id: dict[int, Node] = {node.comment.pk: node for node in roots}
    for reply in replies:  # ordered by pk: a parent always comes before its replies
        node = make(reply)
        by_id[reply.pk] = node
        parent = by_id.get(reply.parent_id or 0) or by_id.get(reply.root_id or 0)
        if parent is not None:
            parent.replies.append(node)


def _without_empty_placeholders(nodes: list[Node]) -> list[Node]:
    """A removed comment stays as a placeholder only above replies this viewer sees: its
    `reply_count` also counts replies that wait for a moderator, which only their authors see."""
    kept = []
    for node in nodes:
        node.replies = _without_empty_placeholders(node.replies)
        removed = node.status in ("deleted", "removed")
        if not removed or node.replies or node.more_replies:
            kept.append(node)
    return kept


class NodeFactory:
    def __init__(
        self, viewer: User | None, reacted: dict[int, set[str]], article: Article | None = None
    ) -> None:
        self.viewer, self.reacted, self.now, self.article = viewer, reacted, timezone.now(), article

    def __call__(self, comment: Comment) -> Node:
        node = _node(comment, self.viewer, self.now, self.reacted)
        if node.can_edit:  # the reader's own comment: editable while the article takes comments
            node.can_edit = (self.article or comment.article).is_open
        return node


def node_for(comment: Comment, viewer: User | None) -> Node:
    """One comment as `viewer` sees it (with their reactions), without its replies."""
    return NodeFactory(viewer, _reactions_of(viewer, [comment.pk]))(comment)


def thread_page(
    article: Article,
    viewer: User | None,
    *,
    sort: str = "newest",
    cursor: str | None = None,
    limit: int | None = None,
) -> Page:
    """One page of the thread: top-level comments with up to REPLIES_PER_ROOT replies each."""
    limit = min(max(limit or settings.THREAD_PAGE_SIZE, 1), 100)
    tops = list(_order(_base(article, viewer).filter(parent__isnull=True), sort, cursor)[: limit + 1])
    has_more = len(tops) > limit
    tops = tops[:limit]
    per_root = settings.REPLIES_PER_ROOT
    replies: list[Comment] = []
    if tops:
        ranked = (
            _base(article, viewer)
            .filter(root_id__in=[c.pk for c in tops])
            .annotate(rank=Window(RowNumber(), partition_by=[F("root_id")], order_by=F("pk").asc()))
            .filter(rank__lte=per_root + 1)
            .order_by("pk")
        )
        replies = list(ranked)
    reacted = _reactions_of(viewer, [c.pk for c in tops] + [c.pk for c in replies])
    make = NodeFactory(viewer, reacted, article)
    roots = [make(c) for c in tops]
    overflow = {c.root_id for c in replies if getattr(c, "rank", 0) > per_root}
    shown = [c for c in replies if getattr(c, "rank", 0) <= per_root]
    _attach(roots, shown, make)
    last_shown = {c.root_id: c.pk for c in shown}
    for node in roots:
        if node.comment.pk in overflow:
            node.more_replies = encode_cursor([last_shown[node.comment.pk]])
    next_cursor = _cursor_for(tops[-1], sort) if has_more else None
    return Page(_without_empty_placeholders(roots), next_cursor)


def replies_page(
    article: Article,
    viewer: User | None,
    root: Comment,
    *,
    cursor: str | None,
    limit: int | None = None,
) -> Page:
    """Further replies of one thread, oldest first, after the cursor (a flat list: the API's
    readers nest them by `parent_id`)."""
    rows, next_cursor = _reply_rows(article, viewer, root, cursor, limit)
    make = NodeFactory(viewer, _reactions_of(viewer, [c.pk for c in rows]), article)
    return Page([make(c) for c in rows], next_cursor)


def replies_tree(article: Article, viewer: User | None, root: Comment, *, cursor: str | None) -> Page:
    """The thread's replies shown so far (up to the cursor) and the next page of them, as a tree: the
    reader page's "More replies" draws the thread's list again, so that a reply to a reply shown on
    an earlier page still sits under it."""
    rows, next_cursor = _reply_rows(article, viewer, root, cursor, None)
    shown_until = decode_cursor(cursor)[-1] if cursor else 0
    rows = list(_base(article, viewer).filter(root=root, pk__lte=shown_until).order_by("pk")) + rows
    make = NodeFactory(viewer, _reactions_of(viewer, [c.pk for c in rows]), article)
    top = make(root)
    _attach([top], rows, make)
    return Page(_without_empty_placeholders(top.replies), next_cursor)


def _reply_rows(
    article: Article, viewer: User | None, root: Comment, cursor: str | None, limit: int | None
) -> tuple[list[Comment], str | None]:
    limit = min(max(limit or settings.REPLIES_PER_ROOT, 1), 200)
    qs = _order(_base(article, viewer).filter(root=root), "oldest", cursor)
    rows = list(qs[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor([rows[-1].pk]) if has_more and rows else None
