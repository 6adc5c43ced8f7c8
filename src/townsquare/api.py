"""The JSON API at /api/v1/, with its OpenAPI schema at /api/v1/openapi.json and docs at /api/v1/docs."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

from townsquare.accounts.api import router as accounts_router
from townsquare.comments.api import router as comments_router
from townsquare.errors import TownsquareError
from townsquare.moderation.api import router as moderation_router


class ObjectParser(Parser):
    """Every request body of this API is a JSON object. django-ninja reads `[]`, `42` or `null` as a
    body that gives no fields, so an endpoint whose fields all have defaults (approve) would act on it;
    here anything but an object is refused as malformed before the endpoint runs."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError(f"a JSON {type(data).__name__}, not an object")
        return data


api = NinjaAPI(title="Townsquare API", version="1", urls_namespace="api", parser=ObjectParser())
api.add_router("/", comments_router)
api.add_router("/", accounts_router)
api.add_router("/moderate", moderation_router)


def error(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"error": {"code": code, "message": message, **extra}}, status=status)


@api.exception_handler(TownsquareError)
def on_townsquare_error(request: HttpRequest, exc: TownsquareError) -> HttpResponse:
    return error(request, exc.status, exc.code, exc.message)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error(request, 422, "invalid_request", "The request is not valid.", details=exc.errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "not_signed_in", "Sign in first.")


# django-ninja raises a bare HttpError for a body it cannot parse and for a failed CSRF check;
# each gets a stable code and a message a person can act on.
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("malformed_request", "The request body must be a JSON object."),
    403: ("csrf_failed", "The CSRF token is missing or wrong: reload the page and try again."),
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = HTTP_ERRORS.get(exc.status_code, ("http_error", str(exc)))
    return error(request, exc.status_code, code, message)
