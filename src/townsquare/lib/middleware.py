from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from townsquare.errors import TownsquareError


class TownsquareErrorMiddleware:
    """Pages answer a `TownsquareError` with its message and status (the API has its own handler)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TownsquareError):
            return None
        if request.path.startswith("/api/"):
            body = {"error": {"code": exception.code, "message": exception.message}}
            return JsonResponse(body, status=exception.status)
        context = {"code": exception.code, "message": exception.message}
        template = "townsquare/_error.html" if request.headers.get("HX-Request") else "townsquare/error.html"
        return render(request, template, context, status=exception.status)
