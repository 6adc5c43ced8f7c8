"""The e-mail that confirms a reader's address: a signed link that expires.

Until a reader follows it, Townsquare mails them nothing else (reply notifications): anyone can type
someone else's address at sign-up. The link names the account and the address it was sent to, so it
confirms nothing once the account's address has changed. Sent by the job "accounts.confirm_email",
at most once per request (a `JobReceipt` guards redeliveries).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from townsquare.errors import InvalidInput
from townsquare.jobs.api import enqueue, register
from townsquare.jobs.receipts import claim

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
