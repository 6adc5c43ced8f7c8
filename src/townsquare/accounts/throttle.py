"""Failed sign-ins, counted per user name and per client address in fixed windows of the cache.

`ReaderBackend.authenticate` consults it, so our sign-in page and Django's admin login are throttled
alike. A user name is counted whether or not an account has it: the refusal tells nobody which
names exist. The address limit is higher, as a newsroom or a campus may share one address.
"""

import logging
import math
import time
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from townsquare.core import counters
from townsquare.lib.http import client_ip

logger = logging.getLogger(__name__)
# Where the backend leaves its refusal for the sign-in view (as django-axes marks a locked-out request).
REQUEST_ATTRIBUTE = "townsquare_signin_throttled"


@dataclass(frozen=True)
class Throttled:
    per: Literal["account", "address"]  # which limit was reached
    seconds: int  # until the window ends

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.seconds / 60))
        when = "1 minute" if minutes == 1 else f"{minutes} minutes"
        source = "for this account" if self.per == "account" else "from your address"
        return f"Too many failed sign-ins {source}; try again in {when}."


class SignInThrottled(PermissionDenied):
    """Raised by the backend: Django's `authenticate` then stops and answers None."""


@dataclass(frozen=True)
class _Window:
    name_key: str
    address_key: str
    seconds_left: int


def _hashed(kind: str, value: str) -> str:
    # Keys of a fixed length and alphabet, whatever a user name holds; no address is kept in clear.
    return salted_hmac(f"townsquare.accounts.signin.{kind}", value).hexdigest()[:32]


def _window(request: HttpRequest | None, username: str) -> _Window:
    length = settings.SIGNIN_WINDOW_SECONDS
    now = int(time.time())
    index = now // length
    address = client_ip(request) if request is not None else ""
    return _Window(
        name_key=f"signin:name:{_hashed('name', username.casefold())}:{index}",
        address_key=f"signin:ip:{_hashed('ip', address)}:{index}" if address else "",
        seconds_left=length - now % length,
    )


def check(request: HttpRequest | None, username: str) -> None:
    """Raise SignInThrottled, and mark the request, when the name or the address has failed too often."""
    window = _window(request, username)
    keys = [k for k in (window.name_key, window.address_key) if k]
    counts = caches["default"].get_many(keys)
    throttled = None
    if counts.get(window.name_key, 0) >= settings.SIGNIN_FAILURES_PER_NAME:
        throttled = Throttled("account", window.seconds_left)
    elif window.address_key and counts.get(window.address_key, 0) >= settings.SIGNIN_FAILURES_PER_ADDRESS:
        throttled = Throttled("address", window.seconds_left)
    if throttled is not None:
        if request is not None:
            setattr(request, REQUEST_ATTRIBUTE, throttled)
        raise SignInThrottled(throttled.message)


def failed(request: HttpRequest | None, username: str) -> None:
    window = _window(request, username)
    keys = [k for k in (window.name_key, window.address_key) if k]
    try:
        counters.count([(key, settings.SIGNIN_WINDOW_SECONDS) for key in keys])
    except ValueError:
        # The cache is down: sign-ins go on unthrottled rather than nobody signing in (see core.cache).
        logger.warning("sign-in failure not counted: cache unreachable")


def succeeded(request: HttpRequest | None, username: str) -> None:
    """The name's count starts again; the address's does not, or an attacker with one account of their
    own could wipe it between guesses at others."""
    caches["default"].delete(_window(request, username).name_key)


def refused(request: HttpRequest) -> Throttled | None:
    """What the backend refused for this request, if it refused for too many failures."""
    found = getattr(request, REQUEST_ATTRIBUTE, None)
    return found if isinstance(found, Throttled) else None
