"""How the JSON API knows its caller: Django's session, as django-ninja's `django_auth`."""

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth


class ReaderSession(SessionAuth):
    """`django_auth`, except that a caller who is not signed in hears so (401 `not_signed_in`) instead
    of failing the CSRF check first (403), which no token could have passed: nobody was signed in."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


signed_in_reader = ReaderSession()
