"""The authentication backend: Django's, loading the reader's profile with the account, and refusing
password guesses past the limits of `accounts.throttle`.

Every signed-in request loads the user; the comment API then needs the profile (its display name, its
trust). One query with a join instead of two. Every password sign-in, ours and the admin's, comes
through `authenticate` here, so both are throttled.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.http import HttpRequest

from townsquare.accounts import throttle


class ReaderBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        name = username if username is not None else kwargs.get(User.USERNAME_FIELD)
        if not isinstance(name, str) or password is None:
            return super().authenticate(request, username, password, **kwargs)
        throttle.check(request, name)  # raises SignInThrottled: Django stops and signs nobody in
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            throttle.failed(request, name)
        else:
            throttle.succeeded(request, name)
        return user

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
