import time
from typing import Any

import jwt
import pytest

from townsquare.accounts.sso import do_sso_sign_in
from townsquare.sites.models import Site

SSO_SECRET = "gazette-shared-secret-of-enough-length"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Every persona is a real account; a slow password hash would be most of the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def karine(gazette: Site) -> Any:
    """A reader of The Gazette whom the Gazette signs in (single sign-on): no password here, and an
    address the publisher vouches for."""
    gazette.sso_secret = SSO_SECRET
    gazette.save()
    now = int(time.time())
    claims = {"sub": "reader-991", "name": "Karine from Lyon", "email": "karine@example.org"}
    token = jwt.encode({**claims, "iat": now, "exp": now + 300}, SSO_SECRET, algorithm="HS256")
    return do_sso_sign_in(gazette, token)
