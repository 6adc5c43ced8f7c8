"""Pages Django itself answers with, in Townsquare's words."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

CSRF_MESSAGE = (
    "This page is out of date (you signed in or out in another tab). Copy any text you wrote, "
    "then reload the page."
)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: a refusal the reader can act on, in the page's own form (a
    fragment for htmx, which the reader page shows beside the form, keeping what was typed)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "csrf_failed", "message": CSRF_MESSAGE}}, status=403)
    template = "townsquare/_error.html" if request.headers.get("HX-Request") else "townsquare/error.html"
    return render(request, template, {"code": "csrf_failed", "message": CSRF_MESSAGE}, status=403)
