"""The moderators' JSON API under /api/v1/moderate: the same actions and permission checks as the desk.

Outputs are for moderators, so they carry reasons and scores, but never e-mail addresses or IP hashes.
"""

from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema

from townsquare.comments.models import Article, Comment
from townsquare.lib.apiauth import signed_in_reader
from townsquare.lib.http import signed_in
from townsquare.moderation import actions, articles, queues
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.permissions import access_comment_for_moderator, access_site_for_moderator

router = Router(tags=["moderation"], auth=signed_in_reader)


class ReasonOut(Schema):
    code: str
    text: str
    span: list[int] | None = None
    phase: str = ""


class QueueCommentOut(Schema):
    id: int
    article_id: int
    parent_id: int | None
    author: str
    body: str
    state: str
    decided_by: str
    reasons: list[ReasonOut]
    scores: dict[str, float]
    report_count: int
    created_at: datetime
    version: str = Field(
        description="Send it back as `seen` with a decision: refused if the comment changed."
    )


class DecisionOut(Schema):
    comment_id: int
    state: str
    action: str
    event_id: int


SEEN = "The comment's `version` when you read it: the decision is refused (409) if it changed since."


class RejectIn(Schema):
    reason: str = Field(..., description="A code from the site's policy `reject_reasons`.")
    note: str = ""
    seen: str = Field("", description=SEEN)


class ApproveIn(Schema):
    note: str = ""
    seen: str = Field("", description=SEEN)


class BulkIn(Schema):
    action: Literal["approve", "reject"]
    ids: list[int] = Field(..., max_length=actions.MAX_BULK)
    reason: str = ""
    seen: dict[int, str] = Field(default_factory=dict, description="Comment id to its `version`. " + SEEN)


class BulkOut(Schema):
    decisions: list[DecisionOut]


class QueueOut(Schema):
    queue: str
    counts: dict[str, int]
    comments: list[QueueCommentOut]
    next_cursor: str | None


def _reasons(raw: Any) -> list[ReasonOut]:
    out = []
    for r in raw if isinstance(raw, list) else []:
        if isinstance(r, dict):
            span = r.get("span")
            out.append(
                ReasonOut(
                    code=str(r.get("code", "")),
                    text=str(r.get("text", "")),
                    span=list(span) if isinstance(span, list | tuple) and len(span) == 2 else None,
                    phase=str(r.get("phase", "")),
                )
            )
    return out


def _comment_out(c: Comment) -> QueueCommentOut:
    profile = getattr(c.author, "profile", None)
    return QueueCommentOut(
        id=c.pk,
        article_id=c.article_id,
        parent_id=c.parent_id,
        author=profile.display_name if profile else c.author.get_username(),
        body=c.body,
        state=c.state,
        decided_by=c.decided_by,
        reasons=_reasons(c.reasons),
        scores={str(k): float(v) for k, v in (c.scores or {}).items() if isinstance(v, int | float)},
        report_count=c.report_count,
        created_at=c.created_at,
        version=c.version,
    )


def _decision(event: ModerationEvent) -> DecisionOut:
    assert event.comment_id is not None
    return DecisionOut(
        comment_id=event.comment_id, state=event.to_state, action=event.action, event_id=event.pk
    )


@router.get("/sites/{site_slug}/queue", response=QueueOut, url_name="moderation_queue")
def queue(
    request: HttpRequest,
    site_slug: str,
    queue: str = "held",
    order: str = "newest",
    q: str = "",
    cursor: str | None = None,
    limit: int = queues.DEFAULT_LIMIT,
) -> QueueOut:
    site = access_site_for_moderator(signed_in(request), site_slug)
    params = {"queue": queue, "order": order, "q": q, "cursor": cursor or "", "limit": str(limit)}
    page = queues.queue_page(site, queues.check_query(params))
    return QueueOut(
        queue=queue,
        counts=queues.queue_counts(site),
        comments=[_comment_out(i.comment) for i in page.items],
        next_cursor=page.next_cursor,
    )


@router.post("/comments/{comment_id}/approve", response=DecisionOut, url_name="moderation_approve")
def approve(request: HttpRequest, comment_id: int, payload: ApproveIn | None = None) -> DecisionOut:
    moderator = signed_in(request)
    comment = access_comment_for_moderator(moderator, comment_id)
    note, seen = (payload.note, payload.seen) if payload else ("", "")
    return _decision(actions.do_approve(moderator, comment, note=note, seen=seen))


@router.post("/comments/{comment_id}/reject", response=DecisionOut, url_name="moderation_reject")
def reject(request: HttpRequest, comment_id: int, payload: RejectIn) -> DecisionOut:
    moderator = signed_in(request)
    comment = access_comment_for_moderator(moderator, comment_id)
    return _decision(
        actions.do_reject(moderator, comment, payload.reason, note=payload.note, seen=payload.seen)
    )


@router.post("/sites/{site_slug}/bulk", response=BulkOut, url_name="moderation_bulk")
def bulk(request: HttpRequest, site_slug: str, payload: BulkIn) -> BulkOut:
    moderator = signed_in(request)
    site = access_site_for_moderator(moderator, site_slug)
    if payload.action == "approve":
        events = actions.do_bulk_approve(moderator, site, payload.ids, seen=payload.seen)
    else:
        events = actions.do_bulk_reject(moderator, site, payload.ids, payload.reason, seen=payload.seen)
    return BulkOut(decisions=[_decision(e) for e in events])


class ArticleOut(Schema):
    id: int
    key: str
    title: str
    url: str
    is_open: bool
    premoderate: bool
    comment_count: int | None = None


class ArticlesOut(Schema):
    articles: list[ArticleOut]
    next_cursor: int | None


class ArticleChangeIn(Schema):
    is_open: bool | None = Field(None, description="false closes the article to new comments and edits")
    premoderate: bool | None = Field(None, description="true holds every new comment for a moderator")
    title: str | None = Field(None, description="site administrators only")
    url: str | None = Field(None, description="site administrators only; on one of the site's origins")
    note: str = ""


def _article_out(a: Article) -> ArticleOut:
    count = getattr(a, "comment_count", None)
    return ArticleOut(
        id=a.pk,
        key=a.key,
        title=a.title,
        url=a.url,
        is_open=a.is_open,
        premoderate=a.premoderate,
        comment_count=count,
    )


@router.get("/sites/{site_slug}/articles", response=ArticlesOut, url_name="moderation_articles")
def article_list(request: HttpRequest, site_slug: str, q: str = "", cursor: int | None = None) -> ArticlesOut:
    """Articles with comments or a measure, newest first; with `q`, any whose title, key or address has it."""
    site = access_site_for_moderator(signed_in(request), site_slug)
    page = articles.articles_page(site, q, cursor)
    return ArticlesOut(articles=[_article_out(a) for a in page.articles], next_cursor=page.next_cursor)


@router.patch("/sites/{site_slug}/articles/{article_id}", response=ArticleOut, url_name="moderation_article")
def article_change(
    request: HttpRequest, site_slug: str, article_id: int, payload: ArticleChangeIn
) -> ArticleOut:
    """Close or open, pre-moderate or not, correct the title or address; a field already so is left alone."""
    moderator = signed_in(request)
    site = access_site_for_moderator(moderator, site_slug)
    article = articles.access_article(moderator, site, article_id)
    with transaction.atomic():  # all the changes asked for, or none
        if payload.title is not None or payload.url is not None:
            title = article.title if payload.title is None else payload.title
            url = article.url if payload.url is None else payload.url
            article = articles.do_edit_article(moderator, article, title=title, url=url)
        if payload.is_open is not None and payload.is_open != article.is_open:
            article = articles.do_set_article_open(
                moderator, article, is_open=payload.is_open, note=payload.note
            )
        if payload.premoderate is not None and payload.premoderate != article.premoderate:
            on = payload.premoderate
            article = articles.do_set_article_premoderation(
                moderator, article, premoderate=on, note=payload.note
            )
    return _article_out(article)
