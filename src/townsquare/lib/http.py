"""Small request helpers shared by pages and the API."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse

from townsquare.errors import TownsquareError

if TYPE_CHECKING:
    from townsquare.sites.models import Site


# The largest id a table holds (a 64-bit signed integer in SQLite and PostgreSQL).
ID_MAX = 2**63 - 1


def whole_number(value: str | None) -> int | None:
    """`value` as a whole number if it is written in ASCII digits and fits a database column, else None.

    Not `str.isdigit()` alone: it accepts "²" and other digits that `int()` refuses.
    """
    if not value or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= ID_MAX else None


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
    """The reader's address: behind `TOWNSQUARE_PROXY_HOPS` proxies, the entry of X-Forwarded-For
    that the outermost one added (entries left of it are whatever the client sent)."""
    hops: int = settings.TOWNSQUARE_PROXY_HOPS
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= hops and forwarded[-hops]:
            return str(forwarded[-hops])
    return str(request.META.get("REMOTE_ADDR", ""))
