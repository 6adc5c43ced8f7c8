"""The moderators' JSON API under /api/v1/moderate: the same actions and permission checks as the desk.

Outputs are for moderators, so they carry reasons and scores, but never e-mail addresses or IP hashes.
"""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from townsquare.comments.models import Comment
from townsquare.lib.apiauth import signed_in_reader
from townsquare.lib.http import signed_in
from townsquare.moderation import actions, queues
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
