"""The reader page inside the publisher's iframe: server-rendered, progressively enhanced with htmx.

Each view parses, calls one action and renders. Without JavaScript the forms still post and redirect.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from townsquare.accounts.actions import ensure_profile
from townsquare.accounts.sso import SsoTokenUsed, do_sso_sign_in, is_sso_reader
from townsquare.comments import actions, pagecache, threads
from townsquare.comments.models import Article, Comment, Report
from townsquare.comments.outcome import reader_message
from townsquare.errors import InvalidInput, TownsquareError
from townsquare.lib.http import allow_framing, client_ip, reader_of, signed_in
from townsquare.sites.models import Site


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _thread_context(
    request: HttpRequest, article: Article, sort: str, cursor: str | None
) -> dict[str, object]:
    context: dict[str, object] = {
        "article": article,
        "site": article.site,
        "sort": sort,
        "sorts": threads.SORTS,
        "report_reasons": Report.Reason.choices,
    }
    viewer = reader_of(request)

    def render_page() -> bytes:
        page = threads.thread_page(article, viewer, sort=sort, cursor=cursor)
        return render_to_string("comments/_page.html", {**context, "page": page}, request).encode()

    if viewer is None:
        # The same list for everyone not signed in: rendered once per version (comments.pagecache).
        html = pagecache.cached_page(article.pk, ("html", sort, cursor), render_page).decode()
        context["page_html"] = mark_safe(html)  # noqa: S308  (rendered by our own template)
    else:
        context["page"] = threads.thread_page(article, viewer, sort=sort, cursor=cursor)
    return context


def _sso_sign_in(request: HttpRequest, site: Site, token: str) -> None:
    try:
        reader = do_sso_sign_in(site, token)
    except SsoTokenUsed as used:
        viewer = reader_of(request)
        if viewer is not None and viewer.get_username() == used.username:
            return  # the reader's own browser restoring the page: they are signed in already
        raise
    login(request, reader, backend=settings.AUTHENTICATION_BACKENDS[0])


@require_GET
def embed(request: HttpRequest, site_slug: str) -> HttpResponse:
    site = get_object_or_404(Site, slug=site_slug)
    key = request.GET.get("key", "").strip()
    url = request.GET.get("url", "").strip()
    if url and _origin(url) not in site.allowed_origins:
        raise InvalidInput(
            "This page is not on one of the site's allowed origins.", code="origin_not_allowed"
        )
    # A title comes with the page it heads: embed.js always sends the page's address, checked above
    # against the site's origins. A bare link to the reader page cannot name the article.
    title = request.GET.get("title", "") if url else ""
    article = actions.embed_article(site, key or url, url=url, title=title, ip=client_ip(request))
    if "sso" in request.GET:
        if request.GET["sso"]:
            _sso_sign_in(request, site, request.GET["sso"])
        elif is_sso_reader(reader_of(request), site):
            logout(request)  # signed out at the publisher: signed out here
        query = request.GET.copy()
        del query["sso"]  # the token is used once and kept out of the address bar and logs
        return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
    sort = request.GET.get("sort", "newest")
    context = _thread_context(request, article, sort, None)
    viewer = reader_of(request)
    if viewer is not None:
        context["profile"] = ensure_profile(viewer)
    return allow_framing(render(request, "comments/thread.html", context), site)


@require_GET
def thread_fragment(request: HttpRequest, article_id: int) -> HttpResponse:
    article = actions.access_article(article_id)
    context = _thread_context(request, article, request.GET.get("sort", "newest"), request.GET.get("cursor"))
    if "page_html" in context:
        return allow_framing(HttpResponse(context["page_html"]), article.site)
    return allow_framing(render(request, "comments/_page.html", context), article.site)


@require_GET
def replies_fragment(request: HttpRequest, comment_id: int) -> HttpResponse:
    root = actions.access_comment(comment_id)
    page = threads.replies_tree(root.article, reader_of(request), root, cursor=request.GET.get("cursor"))
    context = {"article": root.article, "page": page, "root": root, "report_reasons": Report.Reason.choices}
    return allow_framing(render(request, "comments/_replies.html", context), root.article.site)


def _back(article: Article) -> str:
    return reverse("comments:embed", args=[article.site.slug]) + "?" + urlencode({"key": article.key})


SIGNED_OUT = "You were signed out. Your text is kept here: copy it, sign in again, then post it."


@require_POST
def post(request: HttpRequest, article_id: int) -> HttpResponse:
    article = actions.access_article(article_id)
    reader = reader_of(request)
    parent_id = request.POST.get("parent_id") or None
    body = request.POST.get("body", "")
    form = {"body": body, "parent_id": parent_id}
    if reader is None and _is_htmx(request):
        # Signed out meanwhile (the session ended, or in another tab): the text stays in the form.
        context = {"article": article, "form": form, "error": SIGNED_OUT}
        return render(request, "comments/_form.html", context, status=401)
    if reader is None:
        return HttpResponseRedirect(reverse("accounts:signin") + "?" + urlencode({"next": _back(article)}))
    ensure_profile(reader)
    try:
        if parent_id is not None and not parent_id.isdecimal():
            # Never fall back to a top-level comment: the reader meant to reply to someone.
            raise InvalidInput("You can only reply to a comment under this article.", code="parent_invalid")
        result = actions.do_post_comment(
            reader=reader,
            article=article,
            body=body,
            parent_id=int(parent_id) if parent_id is not None else None,
            ip=client_ip(request),
            nudge_acknowledged=request.POST.get("nudge_acknowledged") == "1",
        )
    except TownsquareError as exc:
        context = {"article": article, "form": form, "error": exc.message}
        return render(request, "comments/_form.html", context, status=exc.status)
    outcome, message = reader_message(article.site, result)
    if result.nudged:
        context = {"article": article, "form": form, "nudge": result.decision.nudge, "message": message}
        return render(request, "comments/_form.html", context)
    if not _is_htmx(request):
        return HttpResponseRedirect(_back(article))
    if outcome == "rejected":
        # The text stays in the form, with the reason beside it, so the reader can rephrase it.
        return render(request, "comments/_form.html", {"article": article, "form": form, "error": message})
    assert result.comment is not None
    node = threads.NodeFactory(reader_of(request), {})(result.comment)
    context = {
        "article": article,
        "node": node,
        "outcome": outcome,
        "message": message,
        "report_reasons": Report.Reason.choices,
    }
    return render(request, "comments/_posted.html", context)


def _comment_response(
    request: HttpRequest, comment: Comment, outcome: tuple[str, str] | None = None
) -> HttpResponse:
    """The comment again; with `outcome` (an edit's), its message goes to the page's live region too."""
    if not _is_htmx(request):
        return HttpResponseRedirect(_back(comment.article))
    comment.refresh_from_db()
    node = threads.node_for(comment, reader_of(request))
    context = {"node": node, "article": comment.article, "report_reasons": Report.Reason.choices}
    if outcome is not None:
        context |= {"outcome": outcome[0], "message": outcome[1]}
    return render(request, "comments/_changed.html", context)


@require_POST
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    result = actions.do_edit_comment(
        reader=signed_in(request),
        comment_id=comment_id,
        body=request.POST.get("body", ""),
        ip=client_ip(request),
    )
    assert result.comment is not None
    return _comment_response(request, result.comment, reader_message(result.comment.article.site, result))


@require_POST
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = actions.do_delete_comment(reader=signed_in(request), comment_id=comment_id)
    return _comment_response(request, comment)


@require_POST
def react(request: HttpRequest, comment_id: int) -> HttpResponse:
    actions.do_react(reader=signed_in(request), comment_id=comment_id, kind=request.POST.get("kind", "like"))
    return _comment_response(request, actions.access_comment(comment_id))


@require_POST
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    actions.do_report(
        reader=signed_in(request),
        comment_id=comment_id,
        reason=request.POST.get("reason", ""),
        note=request.POST.get("note", ""),
    )
    if _is_htmx(request):
        return render(request, "comments/_reported.html")
    return HttpResponseRedirect(_back(actions.access_comment(comment_id).article))
