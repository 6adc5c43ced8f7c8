"""Where an account page goes back to, and whether it may show inside the comments frame.

Sign-in, sign-up and the account pages open inside the publisher's comments frame (a cross-origin
frame keeps its own cookies, so a page opened in a new tab might not be signed in) and carry `next`,
the reader page to return to.
"""

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from townsquare.lib.http import allow_framing
from townsquare.sites.models import Site


def next_url(request: HttpRequest) -> str:
    """`next` from the form or the address when it is a page of this host, else "/"."""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else "/"


def in_frame(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Framable by the publisher whose comments frame leads here (`next` is its reader page), as the
    reader page is: otherwise a cross-origin frame could not show the form at all."""
    try:
        match = resolve(urlsplit(next_url(request)).path)
    except Resolver404:
        return response
    if match.url_name != "embed":
        return response
    site = Site.objects.filter(slug=match.kwargs["site_slug"]).first()
    return allow_framing(response, site) if site is not None else response
