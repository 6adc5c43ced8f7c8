"""Live updates: open threads follow what the public may see (new, approved, removed) without a reload.

The reader page polls `since` every 15 s for what changed after the point it has (htmx, out of band
swaps): comments made public, and comments taken away (rejected, held again, deleted), which leave
the page or, where they have replies, become the thread's placeholder. When it can, the page keeps
a server-sent-events stream open that only says "there is something new" so the poll runs at once.
The point is the audit log's id of the last such change (`ModerationEvent`), not a comment id, so a
comment a moderator approves long after it was written reaches open threads too. The stream is fed
by Redis pub/sub when REDIS_URL is set, by a two-second look at the database otherwise.

Each open stream holds a web thread, so a process keeps at most TOWNSQUARE_SSE_STREAMS of them,
each for at most TOWNSQUARE_SSE_SECONDS (the browser reconnects); beyond that a reader gets 204
and the 15-second poll alone.
"""

import functools
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from townsquare.comments import actions, threads
from townsquare.comments.models import Article, Comment, CommentState, Report
from townsquare.lib.http import reader_of, whole_number
from townsquare.moderation.models import ModerationEvent

logger = logging.getLogger(__name__)
MAX_NEW = 50
# A quiet stream writes a comment line this often: only a write tells the server that the reader has
# gone, and frees the stream's slot for the next one.
KEEP_ALIVE_SECONDS = 5
_slots = threading.BoundedSemaphore(max(settings.TOWNSQUARE_SSE_STREAMS, 1))


def channel(article_id: int) -> str:
    prefix = str(settings.CACHES["default"].get("KEY_PREFIX", "townsquare"))
    return f"{prefix}:live:article:{article_id}"


def _redis() -> Any:
    """This process's Redis client: its pool is kept, so an announcement costs no new connection."""
    return _client(settings.REDIS_URL)


@functools.cache
def _client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


_PUBLISHED = CommentState.PUBLISHED
# An audit row that makes a comment public (posted, approved, re-checked, imported) or takes it away
# (rejected, held again, deleted): exactly one of its two states is "published".
_CHANGES_VISIBILITY = (Q(to_state=_PUBLISHED) & ~Q(from_state=_PUBLISHED)) | (
    Q(from_state=_PUBLISHED) & ~Q(to_state=_PUBLISHED)
)


def _changes(article: Article) -> "QuerySet[ModerationEvent]":
    """The audit rows that changed which comments of `article` the public sees."""
    # By the audit row's own `article` (indexed with the id): no join over the article's comments.
    return ModerationEvent.objects.filter(_CHANGES_VISIBILITY, article=article)


def last_change_id(article: Article) -> int:
    """Where live updates start from: the id of the article's latest visibility change."""
    last = _changes(article).order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


@receiver(post_save, sender=ModerationEvent, dispatch_uid="live-visibility-changed")
def _announce(sender: type[ModerationEvent], instance: ModerationEvent, **kwargs: Any) -> None:
    shown, was_shown = instance.to_state == _PUBLISHED, instance.from_state == _PUBLISHED
    if not settings.REDIS_URL or not kwargs.get("created") or instance.article_id is None:
        return
    if shown == was_shown:  # an edit of a published comment, a note, a held comment held again
        return
    article_id, comment_id = instance.article_id, instance.comment_id

    def publish() -> None:
        try:
            _redis().publish(channel(article_id), str(comment_id))
        except Exception:
            # Live updates are a nicety: the 15-second poll still delivers the comment.
            logger.warning("live: could not announce comment %s", comment_id, exc_info=True)

    transaction.on_commit(publish)


def _after(request: HttpRequest) -> int | None:
    """The page's live point (`?after=`), or None when it has none."""
    raw = request.GET.get("after", "")
    return whole_number(raw)


@require_GET
def since(request: HttpRequest, article_id: int) -> HttpResponse:
    """What changed after `after` (comments made public or taken away), as out-of-band swaps, and the new
    `after`."""
    article = actions.access_article(article_id)
    viewer = reader_of(request)
    after = _after(request)
    if after is None:
        return render(request, "comments/_since.html", {"after": last_change_id(article), "nodes": []})
    events = list(
        _changes(article).filter(pk__gt=after).order_by("pk").values_list("pk", "comment_id")[:MAX_NEW]
    )
    new_after = events[-1][0] if events else after
    # Each comment once, where its latest change put it.
    ids = list(reversed(dict.fromkeys(comment_id for _pk, comment_id in reversed(events))))
    by_id = Comment.objects.filter(pk__in=ids).select_related("author__profile").in_bulk()
    comments = [by_id[i] for i in ids if i in by_id]
    own = viewer.pk if viewer is not None else None
    # What a reload would show this reader (their own held comments too, marked as awaiting review).
    shown = threads.visible_q(viewer)
    visible = set(Comment.objects.filter(shown, pk__in=[c.pk for c in comments]).values_list("pk", flat=True))
    make = threads.NodeFactory(viewer, {}, article)
    context = {
        "article": article,
        "after": new_after,
        # In the order they became public, oldest first: each new top-level comment goes on top of the
        # list, each reply below its siblings (a comment approved now after one posted a minute ago).
        # The reader's own are on the page already (shown when they posted them).
        "nodes": [make(c) for c in comments if c.state == _PUBLISHED and c.author_id != own],
        # Taken away: a placeholder where the thread still shows one (it has replies), else gone.
        "withdrawn": [make(c) for c in comments if c.state != _PUBLISHED and c.pk in visible],
        "gone": [c.pk for c in comments if c.state != _PUBLISHED and c.pk not in visible],
        "report_reasons": Report.Reason.choices,
    }
    return render(request, "comments/_since.html", context)


def _events(article: Article, release: Any, after: int | None) -> Iterator[str]:
    deadline = time.monotonic() + settings.TOWNSQUARE_SSE_SECONDS
    yield "retry: 5000\n\n"
    try:
        if settings.REDIS_URL:
            yield from _from_redis(article, deadline, after)
        else:
            yield from _from_database(article, deadline, after)
    finally:
        release()


def _from_redis(article: Article, deadline: float, after: int | None) -> Iterator[str]:
    pubsub = _redis().pubsub(ignore_subscribe_messages=True)
    try:
        pubsub.subscribe(channel(article.pk))
        # Published after the page was rendered but before this subscription: announce it now.
        if after is not None and (newest := last_change_id(article)) > after:
            yield f"event: comment\ndata: {newest}\n\n"
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=1.0)
            if message and message.get("type") == "message":
                yield f"event: comment\ndata: {int(message['data'])}\n\n"
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > KEEP_ALIVE_SECONDS:
                yield ": keep-alive\n\n"
                quiet_since = time.monotonic()
    finally:
        pubsub.close()  # its own connection; the shared client stays open


def _from_database(article: Article, deadline: float, after: int | None) -> Iterator[str]:
    # From the page's own point (`after`), so what was published while the stream connected counts.
    last = last_change_id(article) if after is None else after
    while time.monotonic() < deadline:
        newest = last_change_id(article)
        if newest > last:
            last = newest
            yield f"event: comment\ndata: {newest}\n\n"
        else:
            yield ": keep-alive\n\n"
        time.sleep(2)


@require_GET
def stream(request: HttpRequest, article_id: int) -> HttpResponse | StreamingHttpResponse:
    """Server-sent events for one article, bounded in time; 204 (poll instead) when all slots are busy."""
    article = actions.access_article(article_id)
    if settings.TOWNSQUARE_SSE_STREAMS <= 0 or not _slots.acquire(blocking=False):
        return HttpResponse(status=204)
    released = threading.Event()

    def release() -> None:
        if not released.is_set():
            released.set()
            _slots.release()

    response = StreamingHttpResponse(
        _events(article, release, _after(request)), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    # Closed by the server when the client goes away, even if the stream never started.
    response._resource_closers.append(release)  # type: ignore[attr-defined]
    return response
