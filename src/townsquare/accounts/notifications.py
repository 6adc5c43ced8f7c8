"""The e-mails about a reader's account: the link that confirms their address, and the password reset.

The confirmation link is signed and expires. Until a reader follows it, Townsquare mails them nothing
else (reply notifications, password resets): anyone can type someone else's address at sign-up. The
link names the account and the address it was sent to, so it confirms nothing once the account's
address has changed. Sent by the job "accounts.confirm_email", at most once per request (a
`JobReceipt` guards redeliveries), as the reset is by "accounts.password_reset".
"""

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from townsquare.accounts.models import Profile, publisher_site_id
from townsquare.errors import InvalidInput
from townsquare.jobs.api import enqueue, register
from townsquare.jobs.receipts import claim
from townsquare.sites.models import Site

JOB = "accounts.confirm_email"
SALT = "townsquare.accounts.confirm_email"
MAX_AGE = timedelta(days=3)


def confirmation_token(user: User) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"u": user.pk, "e": user.email})


def read_confirmation_token(token: str) -> tuple[int, str]:
    """The account id and address a token was made for; InvalidInput for a changed or old token."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvalidInput(
            "This confirmation link has expired. Ask for a new one from the comments.",
            code="confirmation_expired",
        ) from exc
    except signing.BadSignature as exc:
        raise InvalidInput(
            "This confirmation link is not valid. Check that it was copied whole, or ask for a new one.",
            code="confirmation_invalid",
        ) from exc
    if not (isinstance(value, dict) and isinstance(value.get("u"), int) and isinstance(value.get("e"), str)):
        raise InvalidInput("This confirmation link is not valid.", code="confirmation_invalid")
    return value["u"], value["e"]


def queue_confirmation(user: User) -> None:
    """Mail `user` a link to confirm their address, once the caller's transaction commits."""
    enqueue(JOB, user_id=user.pk, request=uuid.uuid4().hex)


@register(JOB, soft_time_limit=30, time_limit=45, max_retries=6, retry_backoff=30)
def send_confirmation(user_id: int, request: str) -> None:
    user = User.objects.select_related("profile").filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not hasattr(user, "profile") or user.profile.email_confirmed:
        return
    link = settings.PUBLIC_URL + reverse("accounts:confirm_email", args=[confirmation_token(user)])
    days = MAX_AGE.days
    with transaction.atomic():
        if not claim(f"{JOB}:{request}"):
            return
        # Sent inside the transaction: a failed send rolls the claim back and the job retries.
        send_mail(
            subject="Confirm your e-mail address for comments",
            message=(
                # Nothing the account's maker typed: the address may be someone else's.
                f"Someone, probably you, gave this address for an account at {settings.PUBLIC_URL}.\n\n"
                f"Confirm it to hear when someone replies to your comments (within {days} days):\n{link}\n\n"
                "If it was not you, ignore this message: nothing more will be sent.\n"
            ),
            from_email=None,
            recipient_list=[user.email],
        )


RESET_JOB = "accounts.password_reset"


class ReaderPasswordResetForm(PasswordResetForm):
    """Django's form (its token, its link), for confirmed addresses only."""

    def get_users(self, email: str) -> Iterator[User]:
        for user in super().get_users(email):
            if isinstance(user, User) and _confirmed(user):
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Django's, except that a failed send raises: Django logs it and carries on, as its view
        sends while the reader waits; in the job, the claim rolls back and the job tries again."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        EmailMessage(subject, render_to_string(email_template_name, context), from_email, [to_email]).send()


def _confirmed(user: User) -> bool:
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return False
    profile.user = user
    return profile.email_confirmed


def queue_password_reset(email: str) -> None:
    """Mail a reset link to each account with this confirmed address, once the caller's transaction
    commits. Queued whatever the address, so the request does the same for one nobody has."""
    enqueue(RESET_JOB, email=email, request=uuid.uuid4().hex)


@register(RESET_JOB, soft_time_limit=30, time_limit=45, max_retries=6, retry_backoff=30)
def send_password_reset(email: str, request: str) -> None:
    form = ReaderPasswordResetForm({"email": email})
    if not form.is_valid():
        return
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    context = {"public_url": settings.PUBLIC_URL, "days": str(days), "plural": "" if days == 1 else "s"}
    with transaction.atomic():
        if not claim(f"{RESET_JOB}:{request}"):
            return
        # Sent inside the transaction: a failed send rolls the claim back and the job retries.
        form.save(
            # Not the request's host (there is no request here): the templates link to public_url.
            domain_override=settings.PUBLIC_URL,
            subject_template_name="accounts/password_reset_subject.txt",
            email_template_name="accounts/password_reset_email.txt",
            extra_email_context=context,
        )
        for user in _publisher_accounts(form.cleaned_data["email"]):
            _send_no_password_here(user)


def _publisher_accounts(email: str) -> Iterator[User]:
    """Accounts with this confirmed address that their publisher signs in: they have no password."""
    for user in User.objects.filter(email__iexact=email, is_active=True):
        if publisher_site_id(user) is not None and _confirmed(user):
            yield user


def _send_no_password_here(user: User) -> None:
    site = Site.objects.filter(pk=publisher_site_id(user) or 0).first()
    where = site.name if site is not None else "the news site"
    send_mail(
        subject="About your password for comments",
        message=(
            f"Someone, probably you, asked to reset the password of your comments account at "
            f"{settings.PUBLIC_URL}.\n\n"
            f"You sign in to comment through your account at {where}, so there is no password here to "
            f"reset: sign in at {where}, or reset your password there.\n\n"
            "If it was not you, ignore this message.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
