"""Every change a reader makes to their own account from the account page (and the e-mail links).

A reader whom their publisher signs in (`accounts.sso`) has their name and address from the
publisher, who sets them again at each sign-in, and no password here: those changes are refused.
Changing the address or the password asks for the password, checked as a sign-in is (counted by
`accounts.throttle`), so a session left open on a shared computer cannot take the account over.
"""

import time

from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from townsquare.accounts import throttle
from townsquare.accounts.actions import (
    check_display_name,
    check_display_name_free,
    check_email,
    ensure_profile,
    may_send_confirmation,
    record_rename,
)
from townsquare.accounts.models import Profile, publisher_site_id
from townsquare.accounts.notifications import queue_confirmation
from townsquare.core import counters
from townsquare.errors import Conflict, Forbidden, InvalidInput, RateLimited
from townsquare.moderation.models import ModerationEvent

# A new name now and then; not a new face in every thread of the day.
NAME_CHANGES_PER_DAY = 3
PASSWORD_FIELDS = {
    "old_password": "Your password now",
    "new_password1": "The new password",
    "new_password2": "The new password again",
}


def check_own_account(user: User, what: str) -> None:
    """Forbidden for `what` (the name, the address, the password) of a publisher's reader."""
    if publisher_site_id(user) is not None:
        raise Forbidden(
            f"Your {what} comes from the news site where you signed in; change it there.",
            code="publisher_account",
        )


def check_own_password(request: HttpRequest | None, user: User, password: str) -> None:
    """InvalidInput unless `password` is the reader's; RateLimited after too many wrong ones."""
    if authenticate(request, username=user.get_username(), password=password) is None:
        refused = throttle.refused(request) if request is not None else None
        if refused is not None:
            raise RateLimited(refused.message, code="signin_throttled")
        raise InvalidInput("That is not your password.", code="password_incorrect")


def do_change_display_name(user: User, display_name: str) -> Profile:
    """The name shown with the reader's comments, through sign-up's checks, and the old and new names in
    the audit log of the reader's sites (`record_rename`). Pages cached for readers who are not signed
    in show the old one until they expire (`THREAD_CACHE_SECONDS`)."""
    check_own_account(user, "display name")
    profile = ensure_profile(user)
    name = check_display_name(display_name)
    if name == profile.display_name:
        return profile
    check_display_name_free(name, user=user)
    _count_name_change(user)
    try:
        with transaction.atomic():
            old, profile.display_name = profile.display_name, name
            profile.save(update_fields=["display_name"])
            record_rename(user, old, name, source=ModerationEvent.Source.READER, actor=user)
    except IntegrityError as exc:
        raise Conflict("That display name is taken.", code="display_name_taken") from exc
    return profile


def _count_name_change(user: User) -> None:
    try:
        (changes,) = counters.count([(f"rename:u{user.pk}:d{int(time.time()) // 86400}", 86400)])
    except ValueError:  # the cache is down: the change goes on
        return
    if changes > NAME_CHANGES_PER_DAY:
        raise RateLimited(
            f"A display name can change {NAME_CHANGES_PER_DAY} times a day; try again tomorrow.",
            code="display_name_throttled",
        )


def do_change_email(user: User, email: str, *, password: str, request: HttpRequest | None) -> Profile:
    """A new address (or none), unconfirmed until its reader follows the link mailed to it: until
    then no reply e-mail goes anywhere. Asks for the password."""
    check_own_account(user, "e-mail address")
    email = check_email(email)
    profile = ensure_profile(user)
    if email == user.email:
        return profile
    check_own_password(request, user, password)
    with transaction.atomic():
        user.email = email
        user.save(update_fields=["email"])
        # Unconfirmed even when it is an address confirmed before: it may be gone since.
        profile.confirmed_email = ""
        profile.save(update_fields=["confirmed_email"])
        if email and may_send_confirmation(user):
            queue_confirmation(user)
    return profile


class ReaderPasswordChangeForm(PasswordChangeForm):
    """Django's form; the old password is checked as a sign-in, so guesses at it are counted."""

    def __init__(self, request: HttpRequest | None, user: User, data: dict[str, str]) -> None:
        super().__init__(user, data)
        self.request = request

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        check_own_password(self.request, self.user, old_password)
        return old_password


def do_change_password(
    user: User, *, old_password: str, new_password1: str, new_password2: str, request: HttpRequest | None
) -> User:
    """Set a new password through Django's PasswordChangeForm (its validators). Every other session
    of the account ends; the caller keeps its own with `update_session_auth_hash`."""
    check_own_account(user, "password")
    data = {"old_password": old_password, "new_password1": new_password1, "new_password2": new_password2}
    form = ReaderPasswordChangeForm(request, user, data)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        message = " ".join(str(e) for e in errors)
        raise InvalidInput(f"{PASSWORD_FIELDS[field]}: {message}", code=f"{field}_invalid")
    return form.save()


def do_set_reply_emails(user: User, *, on: bool) -> Profile:
    """Whether replies to the reader's comments are e-mailed to them (to a confirmed address only)."""
    profile = ensure_profile(user)
    if profile.reply_emails != on:
        profile.reply_emails = on
        profile.save(update_fields=["reply_emails"])
    return profile
