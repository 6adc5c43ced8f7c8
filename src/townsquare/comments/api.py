"""The public comments API: thin endpoints that parse, call one action and shape the answer."""

import json

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.responses import NinjaJSONEncoder

from townsquare.accounts.actions import ensure_profile
from townsquare.comments import actions, pagecache, threads
from townsquare.comments.outcome import reader_message
from townsquare.comments.schemas import (
    CommentIn,
    EditIn,
    OkOut,
    PostOut,
    ReactionIn,
    ReactionOut,
    ReasonOut,
    ReportIn,
    ThreadOut,
    comment_out,
)
from townsquare.errors import InvalidInput
from townsquare.lib.apiauth import signed_in_reader
from townsquare.lib.http import client_ip, reader_of, signed_in
from townsquare.sites.models import Site

router = Router(tags=["comments"])


@router.get("/articles/{article_id}/comments", response=ThreadOut, url_name="thread")
def list_thread(
    request: HttpRequest,
    article_id: int,
    sort: str = "newest",
    cursor: str | None = None,
    limit: int | None = None,
    root: int | None = None,
) -> ThreadOut | HttpResponse:
    """One page of the thread; with `root`, the next page of that top-level comment's replies."""
    viewer = reader_of(request)

    def build() -> ThreadOut:
        article = actions.access_article(article_id)
        if root is not None:
            root_comment = actions.access_comment(root)
            if root_comment.article_id != article.pk or root_comment.parent_id is not None:
                raise InvalidInput("That is not a top-level comment of this article.", code="root_invalid")
            page = threads.replies_page(article, viewer, root_comment, cursor=cursor, limit=limit)
        else:
            page = threads.thread_page(article, viewer, sort=sort, cursor=cursor, limit=limit)
        return ThreadOut(
            article_id=article.pk,
            sort=sort,
            comments=[comment_out(n) for n in page.nodes],
            next_cursor=page.next_cursor,
        )

    if viewer is not None:
        return build()
    # Everyone not signed in sees the same page: serve it from the cache (see comments.pagecache).
    # A cached page answers without touching the database; an unknown article is never cached.
    body = pagecache.cached_page(
        article_id,
        ("api", sort, cursor, limit, root),
        lambda: json.dumps(build().model_dump(), cls=NinjaJSONEncoder).encode(),
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _post_out(request: HttpRequest, site: Site, result: actions.PostResult) -> PostOut:
    outcome, message = reader_message(site, result)
    comment = None
    if result.comment is not None:
        comment = comment_out(threads.NodeFactory(reader_of(request), {})(result.comment))
    nudge = (
        [ReasonOut(code=r["code"], text=r["text"]) for r in result.decision.nudge] if result.nudged else []
    )
    return PostOut(outcome=outcome, message=message, comment=comment, nudge=nudge)


@router.post("/articles/{article_id}/comments", response={201: PostOut, 200: PostOut}, auth=signed_in_reader)
def post_comment(request: HttpRequest, article_id: int, payload: CommentIn) -> Status[PostOut]:
    article = actions.access_article(article_id)
    ensure_profile(signed_in(request))
    result = actions.do_post_comment(
        reader=signed_in(request),
        article=article,
        body=payload.body,
        parent_id=payload.parent_id,
        ip=client_ip(request),
        nudge_acknowledged=payload.nudge_acknowledged,
    )
    return Status(200 if result.nudged else 201, _post_out(request, article.site, result))


@router.patch("/comments/{comment_id}", response=PostOut, auth=signed_in_reader)
def edit_comment(request: HttpRequest, comment_id: int, payload: EditIn) -> PostOut:
    result = actions.do_edit_comment(
        reader=signed_in(request),
        comment_id=comment_id,
        body=payload.body,
        ip=client_ip(request),
    )
    assert result.comment is not None
    return _post_out(request, result.comment.article.site, result)


@router.delete("/comments/{comment_id}", response=OkOut, auth=signed_in_reader)
def delete_comment(request: HttpRequest, comment_id: int) -> OkOut:
    actions.do_delete_comment(reader=signed_in(request), comment_id=comment_id)
    return OkOut()


@router.post("/comments/{comment_id}/reactions", response=ReactionOut, auth=signed_in_reader)
def react(request: HttpRequest, comment_id: int, payload: ReactionIn) -> ReactionOut:
    reacted, count = actions.do_react(reader=signed_in(request), comment_id=comment_id, kind=payload.kind)
    return ReactionOut(reacted=reacted, reaction_count=count)


@router.post("/comments/{comment_id}/reports", response={201: OkOut}, auth=signed_in_reader)
def report(request: HttpRequest, comment_id: int, payload: ReportIn) -> Status[OkOut]:
    actions.do_report(
        reader=signed_in(request), comment_id=comment_id, reason=payload.reason, note=payload.note
    )
    return Status(201, OkOut())
