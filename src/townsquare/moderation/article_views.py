"""The desk's Articles page: find an article, close it or pre-moderate it, correct its title."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from townsquare.errors import InvalidInput, TownsquareError
from townsquare.lib.http import whole_number
from townsquare.moderation import articles
from townsquare.moderation.permissions import access_site_for_moderator
from townsquare.moderation.views import _site_context, moderator_view
from townsquare.sites.models import Site


def _page(request: HttpRequest, user: User, site: Site, error: str = "", status: int = 200) -> HttpResponse:
    search = request.GET.get("q", "") or request.POST.get("q", "")
    page = articles.articles_page(site, search, whole_number(request.GET.get("cursor", "")))
    ctx = {**_site_context(user, site, "articles"), "page": page, "search": search, "error": error}
    return render(request, "moderation/articles.html", ctx, status=status)


@require_GET
@moderator_view
def article_list(request: HttpRequest, user: User, site_slug: str) -> HttpResponse:
    return _page(request, user, access_site_for_moderator(user, site_slug))


DONE = {
    "close": "Comments are closed on “{}”.",
    "open": "Comments are open again on “{}”.",
    "premoderate": "Every new comment on “{}” waits for a moderator.",
    "stop_premoderating": "New comments on “{}” go through the usual checks again.",
    "edit": "“{}” is saved.",
}


@require_POST
@moderator_view
def article_change(request: HttpRequest, user: User, site_slug: str, article_id: int) -> HttpResponse:
    site = access_site_for_moderator(user, site_slug)
    article = articles.access_article(user, site, article_id)
    change, note = request.POST.get("change", ""), request.POST.get("note", "")
    try:
        if change in ("close", "open"):
            article = articles.do_set_article_open(user, article, is_open=change == "open", note=note)
        elif change in ("premoderate", "stop_premoderating"):
            on = change == "premoderate"
            article = articles.do_set_article_premoderation(user, article, premoderate=on, note=note)
        elif change == "edit":
            title, url = request.POST.get("title", ""), request.POST.get("url", "")
            article = articles.do_edit_article(user, article, title=title, url=url)
        else:
            raise InvalidInput(
                "Choose close, open, premoderate, stop_premoderating or edit.", code="change_invalid"
            )
    except TownsquareError as exc:
        return _page(request, user, site, exc.message, exc.status)
    messages.success(request, DONE[change].format(article))
    search = request.POST.get("q", "")  # back to the list the moderator was looking at
    back = reverse("moderation:articles", args=[site.slug])
    return HttpResponseRedirect(f"{back}?{urlencode({'q': search})}" if search else back)
