"""Small request helpers shared by pages and the API."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse

from townsquare.errors import TownsquareError

if TYPE_CHECKING:
    from townsquare.sites.models import Site


class NotSignedIn(TownsquareError):
    code = "not_signed_in"
    status = 401


def allow_framing(response: HttpResponse, site: "Site") -> HttpResponse:
    """Allow the page in a frame on the site's own origins only (CSP frame-ancestors)."""
    response._csp_replace = {"frame-ancestors": ["'self'", *site.allowed_origins]}  # type: ignore[attr-defined]
    response.xframe_options_exempt = True
    return response


def reader_of(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def signed_in(request: HttpRequest) -> User:
    """The signed-in user, or NotSignedIn (401) for anyone else."""
    user = reader_of(request)
    if user is None:
        raise NotSignedIn("Sign in first.")
    return user


def client_ip(request: HttpRequest) -> str:
    """The client's address; behind a proxy, the last hop the operator said to trust."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded.split(",")[-1].strip())
    return str(request.META.get("REMOTE_ADDR", ""))
