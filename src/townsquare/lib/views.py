"""Refusals in Townsquare's words: a `TownsquareError` (through `lib.middleware`), what Django
refuses itself (a stale CSRF token, a body too large to read), a database that cannot answer now, and
the last resort, a server error."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

UNAVAILABLE_MESSAGE = "The comments are busy or unavailable for a moment. Try again shortly."
# What a reader is told to wait before trying again, in seconds (SQLite's busy timeout is five).
RETRY_AFTER = "5"
SERVER_ERROR_MESSAGE = "Something went wrong on our side. Try again; if it keeps happening, tell the site."

CSRF_MESSAGE = (
    "This page is out of date (you signed in or out in another tab). Copy any text you wrote, "
    "then reload the page."
)


def refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """A refusal in the form the caller reads: JSON for the API, a fragment for htmx (the reader page
    shows it beside the form, keeping what was typed), a page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    template = "townsquare/_error.html" if request.headers.get("HX-Request") else "townsquare/error.html"
    return render(request, template, {"code": code, "message": message}, status=status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW."""
    return refusal(request, 403, "csrf_failed", CSRF_MESSAGE)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's handler400: what it refuses before any view runs (a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields), said as the API and the pages say refusals."""
    if isinstance(exception, RequestDataTooBig):
        limit = f"a comment has at most {settings.COMMENT_MAX_LENGTH} characters"
        return refusal(request, 413, "request_too_large", f"The request is too large: {limit}.")
    return refusal(request, 400, "bad_request", "The request could not be read.")


def unavailable(request: HttpRequest) -> HttpResponse:
    """A 503 for a database that could not answer (SQLite busy past its timeout, PostgreSQL away):
    the request's transaction rolled back, and the reader may simply try again."""
    response = refusal(request, 503, "temporarily_unavailable", UNAVAILABLE_MESSAGE)
    response["Retry-After"] = RETRY_AFTER
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, JSON under /api/ like every other refusal there. Rendered without the
    request's context processors: what failed may be the database they read."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "server_error", "message": SERVER_ERROR_MESSAGE}}
        return JsonResponse(body, status=500)
    template = "townsquare/_error.html" if request.headers.get("HX-Request") else "townsquare/error.html"
    html = render_to_string(template, {"code": "server_error", "message": SERVER_ERROR_MESSAGE})
    return HttpResponse(html, status=500)
