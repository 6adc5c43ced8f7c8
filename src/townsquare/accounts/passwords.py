"""A forgotten password: a reset link by e-mail, through Django's form, token and views.

Only an address its reader confirmed gets the link (`notifications.ReaderPasswordResetForm`); a
reader whom their publisher signs in has no password here and is told so by e-mail instead. The
answer is the same whether or not an account has the address, so nobody learns who has one here;
requests are counted per address and per client address, so nobody floods an inbox through
Townsquare. The lookup and the mail are the job's: the request does the same work for every address.
(With the inline job runner that job runs before the response goes out, and a known address takes
longer to answer; run workers where that matters.)
"""

import time

from django.utils.crypto import salted_hmac

from townsquare.accounts.notifications import ReaderPasswordResetForm, queue_password_reset
from townsquare.core import counters
from townsquare.errors import InvalidInput, RateLimited

RESETS_PER_ADDRESS_HOUR = 3
RESETS_PER_ADDRESS_DAY = 6
# Higher: a newsroom or a campus may share one address.
RESETS_PER_CLIENT_HOUR = 20


def _count_reset(email: str, ip: str) -> None:
    """Count the request against the e-mail address and the client address; RateLimited past either.
    Counted alike whether or not an account has the address, so the refusal tells nothing either."""
    now = int(time.time())
    address = salted_hmac("townsquare.accounts.reset.email", email.casefold()).hexdigest()[:32]
    windows = [(f"reset:e{address}:h{now // 3600}", 3600), (f"reset:e{address}:d{now // 86400}", 86400)]
    if ip:
        client = salted_hmac("townsquare.accounts.reset.ip", ip).hexdigest()[:32]
        windows.append((f"reset:ip{client}:h{now // 3600}", 3600))
    try:
        hour, day, *per_client = counters.count(windows)
    except ValueError:  # the cache is down: mail rather than leave a reader locked out
        return
    if hour > RESETS_PER_ADDRESS_HOUR or day > RESETS_PER_ADDRESS_DAY:
        raise RateLimited(
            "Several links were sent for this address already. Look for them, or ask again later.",
            code="reset_throttled",
        )
    if per_client and per_client[0] > RESETS_PER_CLIENT_HOUR:
        raise RateLimited(
            "Too many password resets from your address; try again in an hour.", code="reset_throttled"
        )


def do_request_password_reset(email: str, *, ip: str) -> str:
    """Queue a reset link for the accounts with this confirmed address; the address as understood.
    Raises InvalidInput for what is not an address and RateLimited past the limits, and otherwise says
    nothing of whether any account has it."""
    form = ReaderPasswordResetForm({"email": email})
    if not form.is_valid():
        raise InvalidInput("That e-mail address is not valid.", code="email_invalid")
    address: str = form.cleaned_data["email"]
    _count_reset(address, ip)
    queue_password_reset(address)
    return address
