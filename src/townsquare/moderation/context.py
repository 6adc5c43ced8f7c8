"""What a moderator reads before deciding: the thread around a comment and the reader's history."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Q

from townsquare.accounts.models import Profile
from townsquare.comments.models import Comment, CommentState
from townsquare.moderation.models import ModerationEvent, ReaderSanction
from townsquare.moderation.queues import active_sanctions_q
from townsquare.sites.models import Site

REPLIES_SHOWN = 20
RECENT_SHOWN = 10
EVENTS_SHOWN = 20


@dataclass
class CommentContext:
    comment: Comment
    parent: Comment | None
    replies: list[Comment]
    more_replies: int


@dataclass
class ReaderHistory:
    site: Site
    reader: User
    profile: Profile | None
    recent: list[Comment]
    counts: dict[str, int]
    total: int
    rejected_share: float
    sanctions: list[ReaderSanction]
    active: list[ReaderSanction]
    events: list[ModerationEvent]


def comment_context(comment: Comment) -> CommentContext:
    """The parent and the first direct replies, whatever their state (moderators see all)."""
    parent = None
    if comment.parent_id:
        parent = Comment.objects.select_related("author__profile").filter(pk=comment.parent_id).first()
    replies = list(
        Comment.objects.filter(parent=comment)
        .select_related("author__profile")
        .order_by("pk")[: REPLIES_SHOWN + 1]
    )
    more = max(comment.reply_count - REPLIES_SHOWN, 0) if len(replies) > REPLIES_SHOWN else 0
    return CommentContext(comment, parent, replies[:REPLIES_SHOWN], more)


def reader_history(site: Site, reader: User) -> ReaderHistory:
    """The reader's record on this site only: another site's moderators see nothing of it here."""
    on_site = Comment.objects.filter(article__site=site, author=reader)
    recent = list(on_site.select_related("article").order_by("-pk")[:RECENT_SHOWN])
    counts = on_site.aggregate(
        total=Count("pk"),
        **{state: Count("pk", filter=Q(state=state)) for state in CommentState.values},
    )
    total = int(counts.pop("total") or 0)
    decided = int(counts[CommentState.PUBLISHED] or 0) + int(counts[CommentState.REJECTED] or 0)
    sanctions = list(ReaderSanction.objects.filter(site=site, user=reader).order_by("-created_at"))
    active_ids = set(
        ReaderSanction.objects.filter(active_sanctions_q(), site=site, user=reader).values_list(
            "pk", flat=True
        )
    )
    # The moderators' actions, and the reader's renames: a name they know may be a new one here.
    told = Q(source=ModerationEvent.Source.MODERATOR) | Q(action="rename")
    events = list(
        ModerationEvent.objects.filter(told, site=site, target_user=reader)
        .select_related("actor__profile")
        .order_by("-pk")[:EVENTS_SHOWN]
    )
    return ReaderHistory(
        site=site,
        reader=reader,
        profile=Profile.objects.filter(user=reader).first(),
        recent=recent,
        counts={k: int(v or 0) for k, v in counts.items()},
        total=total,
        rejected_share=(int(counts[CommentState.REJECTED] or 0) / decided) if decided else 0.0,
        sanctions=sanctions,
        active=[s for s in sanctions if s.pk in active_ids],
        events=events,
    )
