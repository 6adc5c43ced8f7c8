"""The authentication backend: Django's, loading the reader's profile with the account.

Every signed-in request loads the user; the comment API then needs the profile (its display name, its
trust). One query with a join instead of two.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User


class ReaderBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
