"""The moderator's desk: server-rendered pages, enhanced with htmx and a small keyboard script.

Each view parses the request, calls one action or query, and renders. Permission checks live in
`permissions.access_*`; a moderator of another site gets a 403 from every view here.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import update_wrapper
from typing import Concatenate, ParamSpec
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.comments.models import CommentState
from townsquare.errors import Forbidden, InvalidInput, TownsquareError
from townsquare.lib.http import reader_of, whole_number
from townsquare.moderation import actions, audit, context, forms, queues
from townsquare.moderation.models import ModerationEvent, ReaderSanction
from townsquare.moderation.permissions import (
    access_comment_for_moderator,
    access_site_for_admin,
    access_site_for_moderator,
    is_site_admin,
    moderated_sites,
)
from townsquare.moderation.policy_rules import reject_reasons
from townsquare.sites.models import Site

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, User, P], HttpResponseBase]


def moderator_view(view: View[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Anonymous visitors go to the sign-in page and come back; the view gets the signed-in user."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        user = reader_of(request)
        if user is None:
            target = reverse("accounts:signin") + "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return view(request, user, *args, **kwargs)

    update_wrapper(wrapper, view)
    return wrapper


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = default
    return HttpResponseRedirect(target or default)


def _site_context(user: User, site: Site, section: str) -> dict[str, object]:
    return {
        "site": site,
        "sites": moderated_sites(user),
        "is_admin": is_site_admin(user, site),
        "section": section,
    }


@require_GET
@moderator_view
def index(request: HttpRequest, user: User) -> HttpResponse:
    sites = list(moderated_sites(user))
    if not sites:
        raise Forbidden("You do not moderate any site.", code="not_a_moderator")
    if len(sites) == 1:
        return HttpResponseRedirect(reverse("moderation:queue", args=[sites[0].slug]))
    return render(request, "moderation/index.html", {"sites": sites})


@require_GET
@moderator_view
def queue(request: HttpRequest, user: User, site_slug: str) -> HttpResponse:
    site = access_site_for_moderator(user, site_slug)
    query = queues.check_query(request.GET)
    page = queues.queue_page(site, query)
    ctx = {
        **_site_context(user, site, "queue"),
        "page": page,
        "query": query,
        "tabs": queues.queue_tabs(site),
        "articles": queues.site_articles(site),
        "reject_reasons": reject_reasons(site),
        "reason_codes": sorted({i.comment.decided_by for i in page.items if i.comment.decided_by}),
    }
    if _is_htmx(request) and query.cursor:
        return render(request, "moderation/_items.html", ctx)
    return render(request, "moderation/queue.html", ctx)


@require_GET
@moderator_view
def counts(request: HttpRequest, user: User, site_slug: str) -> HttpResponse:
    """The tabs' badges, each to be swapped by its id: the poll must not touch anything else."""
    site = access_site_for_moderator(user, site_slug)
    return render(request, "moderation/_counts.html", {"tabs": queues.queue_tabs(site)})


def _decided(request: HttpRequest, event: ModerationEvent, site: Site) -> HttpResponse:
    if not _is_htmx(request):
        return _back(request, reverse("moderation:queue", args=[site.slug]))
    return render(request, "moderation/_decided.html", {"event": event, "comment": event.comment})


def _seen(request: HttpRequest) -> str:
    """The version of the comment the moderator's page showed (`Comment.version`)."""
    return request.POST.get("seen", "")


@require_POST
@moderator_view
def approve(request: HttpRequest, user: User, comment_id: int) -> HttpResponse:
    comment = access_comment_for_moderator(user, comment_id)
    event = actions.do_approve(user, comment, note=request.POST.get("note", ""), seen=_seen(request))
    return _decided(request, event, comment.article.site)


@require_POST
@moderator_view
def reject(request: HttpRequest, user: User, comment_id: int) -> HttpResponse:
    comment = access_comment_for_moderator(user, comment_id)
    reason = request.POST.get("reason", "")
    event = actions.do_reject(user, comment, reason, note=request.POST.get("note", ""), seen=_seen(request))
    return _decided(request, event, comment.article.site)


@require_POST
@moderator_view
def resolve(request: HttpRequest, user: User, comment_id: int) -> HttpResponse:
    comment = access_comment_for_moderator(user, comment_id)
    event = actions.do_resolve_reports(user, comment, note=request.POST.get("note", ""), seen=_seen(request))
    return _decided(request, event, comment.article.site)


@require_POST
@moderator_view
def bulk(request: HttpRequest, user: User, site_slug: str) -> HttpResponse:
    site = access_site_for_moderator(user, site_slug)
    parsed = [whole_number(i) for i in request.POST.getlist("ids")]
    ids = [i for i in parsed if i is not None]
    if len(ids) != len(parsed):
        raise InvalidInput("Select comments from the queue.", code="ids_invalid")
    seen = {i: request.POST.get(f"seen_{i}", "") for i in ids}
    verb = request.POST.get("action", "")
    if verb == "approve":
        done = actions.do_bulk_approve(user, site, ids, seen=seen)
    elif verb == "reject":
        done = actions.do_bulk_reject(user, site, ids, request.POST.get("reason", ""), seen=seen)
    else:
        raise InvalidInput("Choose approve or reject.", code="bulk_action_invalid")
    past = "Approved" if verb == "approve" else "Rejected"
    messages.success(request, f"{past} {len(done)} comment{'s' if len(done) != 1 else ''}.")
    return _back(request, reverse("moderation:queue", args=[site.slug]))


@require_GET
@moderator_view
def comment_context(request: HttpRequest, user: User, comment_id: int) -> HttpResponse:
    comment = access_comment_for_moderator(user, comment_id)
    return render(request, "moderation/_context.html", {"ctx": context.comment_context(comment)})


def _history_response(request: HttpRequest, user: User, site: Site, reader_id: int) -> HttpResponse:
    history = context.reader_history(site, actions.access_reader(site, reader_id))
    comment_id = request.GET.get("comment") or request.POST.get("comment_id") or ""
    ctx = {
        **_site_context(user, site, "queue"),
        "history": history,
        "kinds": ReaderSanction.Kind.choices,
        "comment_id": comment_id if whole_number(comment_id) is not None else "",
    }
    template = "moderation/_history.html" if _is_htmx(request) else "moderation/reader.html"
    return render(request, template, ctx)


@require_GET
@moderator_view
def reader(request: HttpRequest, user: User, site_slug: str, reader_id: int) -> HttpResponse:
    return _history_response(request, user, access_site_for_moderator(user, site_slug), reader_id)


def _days(value: str) -> int:
    days = whole_number(value)
    if days is None or not 1 <= days <= 3650:
        raise InvalidInput("Suspend for 1 to 3650 days.", code="suspension_days_invalid")
    return days


@require_POST
@moderator_view
def sanction(request: HttpRequest, user: User, site_slug: str, reader_id: int) -> HttpResponse:
    site = access_site_for_moderator(user, site_slug)
    target = actions.access_reader(site, reader_id)
    kind, reason = request.POST.get("kind", ""), request.POST.get("reason", "")
    if kind == ReaderSanction.Kind.SUSPEND:
        until = timezone.now() + timedelta(days=_days(request.POST.get("days", "")))
        actions.do_suspend(user, site, target, until=until, reason=reason)
    elif kind in (ReaderSanction.Kind.WARN, ReaderSanction.Kind.BAN, ReaderSanction.Kind.PREMODERATE):
        measure = {
            "warn": actions.do_warn,
            "ban": actions.do_ban,
            "premoderate": actions.do_always_premoderate,
        }
        measure[kind](user, site, target, reason=reason)
    else:
        raise InvalidInput("Choose warn, suspend, ban or premoderate.", code="sanction_kind_invalid")
    return _history_response(request, user, site, reader_id)


@require_POST
@moderator_view
def revoke(request: HttpRequest, user: User, site_slug: str, sanction_id: int) -> HttpResponse:
    site = access_site_for_moderator(user, site_slug)
    done = actions.do_revoke_sanction(user, sanction_id, reason=request.POST.get("reason", ""))
    return _history_response(request, user, site, done.user_id)


@require_POST
@moderator_view
def note(request: HttpRequest, user: User, site_slug: str, reader_id: int) -> HttpResponse:
    site = access_site_for_moderator(user, site_slug)
    comment_id = whole_number(request.POST.get("comment_id", ""))
    comment = access_comment_for_moderator(user, comment_id) if comment_id is not None else None
    actions.do_add_note(
        user, site, actions.access_reader(site, reader_id), request.POST.get("text", ""), comment=comment
    )
    return _history_response(request, user, site, reader_id)


@require_http_methods(["GET", "POST"])
@moderator_view
def site_settings(request: HttpRequest, user: User, site_slug: str) -> HttpResponse:
    site = access_site_for_admin(user, site_slug)
    values, error = forms.settings_initial(site), ""
    if request.method == "POST":
        try:
            actions.do_update_policy(user, site, forms.policy_changes(request.POST, site))
        except TownsquareError as exc:
            values, error = forms.settings_from_post(request.POST, site), exc.message
        else:
            messages.success(request, "Settings saved.")
            return HttpResponseRedirect(reverse("moderation:settings", args=[site.slug]))
    ctx = {**_site_context(user, site, "settings"), "values": values, "error": error}
    return render(request, "moderation/settings.html", ctx, status=400 if error else 200)


@require_GET
@moderator_view
def audit_log(request: HttpRequest, user: User, site_slug: str) -> HttpResponse:
    site = access_site_for_moderator(user, site_slug)
    query = audit.check_audit_query(request.GET)
    events, next_cursor = audit.audit_page(site, query)
    ctx = {
        **_site_context(user, site, "audit"),
        "events": events,
        "next_cursor": next_cursor,
        "query": query,
        "sources": ModerationEvent.Source.choices,
        "states": CommentState.choices,
    }
    return render(request, "moderation/audit.html", ctx)


@require_GET
@moderator_view
def audit_csv(request: HttpRequest, user: User, site_slug: str) -> StreamingHttpResponse:
    site = access_site_for_moderator(user, site_slug)
    query = audit.check_audit_query(request.GET)
    response = StreamingHttpResponse(
        audit.audit_csv_lines(site, query), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{site.slug}-{stamp}.csv"'
    return response
