"""The one-click link in every reply e-mail that stops them (RFC 8058), working without signing in.

The link is signed with its own salt and names the account and the address it was mailed to; it does
not expire, as a mail client may offer it for as long as the mail is kept. Opening it changes nothing
(mail scanners open links); a POST, from its page's button or from the mail client itself, turns
reply e-mails off. For an address the account no longer uses it changes nothing either: nothing is
mailed there any more.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.urls import reverse

from townsquare.accounts.changes import do_set_reply_emails
from townsquare.accounts.models import Profile
from townsquare.errors import InvalidInput

SALT = "townsquare.accounts.unsubscribe"
# The e-mail headers a mail client reads to offer its own unsubscribe button, which POSTs to the link.
ONE_CLICK = "List-Unsubscribe=One-Click"


def unsubscribe_url(user: User) -> str:
    token = signing.Signer(salt=SALT).sign_object({"u": user.pk, "e": user.email})
    return settings.PUBLIC_URL + reverse("accounts:unsubscribe", args=[token])


def headers(user: User) -> dict[str, str]:
    """The `List-Unsubscribe` headers for an e-mail to `user`."""
    return {"List-Unsubscribe": f"<{unsubscribe_url(user)}>", "List-Unsubscribe-Post": ONE_CLICK}


def check_unsubscribe(token: str) -> tuple[Profile | None, str]:
    """The profile the link may turn reply e-mails off for (None when the account no longer has the
    address, or no longer exists), and the address it was mailed to. InvalidInput if tampered."""
    invalid = InvalidInput(
        "This link is not valid. Check that it was copied whole, or turn reply e-mails off on your "
        "account page.",
        code="unsubscribe_invalid",
    )
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature as exc:
        raise invalid from exc
    if not (isinstance(value, dict) and isinstance(value.get("u"), int) and isinstance(value.get("e"), str)):
        raise invalid
    profile = Profile.objects.select_related("user").filter(user_id=value["u"]).first()
    if profile is None or not profile.user.email or profile.user.email.casefold() != value["e"].casefold():
        return None, value["e"]
    return profile, value["e"]


def do_unsubscribe(token: str) -> str:
    """Turn reply e-mails off for the account the link was mailed to; the address it was mailed to."""
    profile, address = check_unsubscribe(token)
    if profile is not None:
        do_set_reply_emails(profile.user, on=False)
    return address
