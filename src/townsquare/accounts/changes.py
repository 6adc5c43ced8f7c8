"""Every change a reader makes to their own account from the account page (and the e-mail links)."""

from django.contrib.auth.models import User

from townsquare.accounts.actions import ensure_profile
from townsquare.accounts.models import Profile


def do_set_reply_emails(user: User, *, on: bool) -> Profile:
    """Whether replies to the reader's comments are e-mailed to them (to a confirmed address only)."""
    profile = ensure_profile(user)
    if profile.reply_emails != on:
        profile.reply_emails = on
        profile.save(update_fields=["reply_emails"])
    return profile
