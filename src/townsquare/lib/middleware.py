import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from townsquare.errors import TownsquareError
from townsquare.lib.http import allow_framing
from townsquare.lib.views import refusal, unavailable
from townsquare.sites.models import Site

logger = logging.getLogger(__name__)


class TownsquareErrorMiddleware:
    """Pages answer a `TownsquareError` with its message and status (the API has its own handler), and
    both answer a database that could not answer (busy, or away) with a 503 to try again after."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error(
                "the database could not answer %s %s", request.method, request.path, exc_info=exception
            )
            return unavailable(request)  # not framed for the site: that would ask the database again
        if not isinstance(exception, TownsquareError):
            return None
        response = refusal(request, exception.status, exception.code, exception.message)
        if request.path.startswith("/api/"):
            return response
        slug = request.resolver_match.kwargs.get("site_slug") if request.resolver_match else None
        site = Site.objects.filter(slug=slug).first() if slug else None
        # A refusal inside the comments frame is shown in the frame, not as a blank box.
        return allow_framing(response, site) if site is not None else response
