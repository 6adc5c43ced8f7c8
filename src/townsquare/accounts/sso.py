"""Publisher single sign-on: the publisher signs a short-lived token for its signed-in reader.

The token is a JWT signed with the site's `sso_secret` (HS256, verified with PyJWT):
`{"sub": "<the publisher's user id>", "name": "<display name>", "email": "<optional>", "exp": ...}`.
The publisher's page passes it to embed.js as `data-sso-token`; the reader page exchanges it for a
session and drops it from the address. Each token signs in once: its use is written (`SsoTokenUse`, in
the database every web process shares) in the sign-in's transaction, so a token that leaked after its
use (a log, a shared link, a referrer) is refused until it expires, and after that by its `exp`. The
reader page lets the very reader a used token names, still signed in, through: that is their browser
restoring the page.
"""

import hashlib
from datetime import UTC, datetime
from typing import Any

import jwt
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.accounts.actions import check_display_name, check_email, clean_display_name, record_rename
from townsquare.accounts.models import SSO_PREFIX, Profile, SsoTokenUse
from townsquare.accounts.tombstones import reapply_sanctions
from townsquare.errors import Conflict, InvalidInput
from townsquare.lib.text import storable
from townsquare.moderation.models import ModerationEvent
from townsquare.sites.models import Site

MAX_LIFETIME_SECONDS = 3600
LEEWAY_SECONDS = 30  # clocks of the publisher's servers and ours differ a little


class SsoTokenUsed(Conflict):
    """The token signed a reader in already. `username` is the account it names: the reader page
    tells that reader's own browser, restoring the page, from anyone else who holds the token."""

    def __init__(self, username: str) -> None:
        super().__init__("This sign-in link was already used; reload the page.", code="sso_token_used")
        self.username = username


def _claims(site: Site, token: str) -> dict[str, Any]:
    if not site.sso_secret:
        raise InvalidInput("This site does not use single sign-on.", code="sso_not_configured")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            site.sso_secret,
            algorithms=["HS256"],
            options={"require": ["sub", "exp", "iat"]},
            leeway=LEEWAY_SECONDS,
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidInput("The sign-in link has expired; reload the page.", code="sso_expired") from exc
    except jwt.InvalidTokenError as exc:
        raise InvalidInput("The sign-in token is not valid.", code="sso_invalid") from exc
    try:  # PyJWT accepts "1700000000" as a time too
        lifetime = int(claims["exp"]) - int(claims["iat"])
    except (TypeError, ValueError) as exc:
        raise InvalidInput("The sign-in token's times are not numbers.", code="sso_invalid") from exc
    if lifetime > MAX_LIFETIME_SECONDS:
        raise InvalidInput("Sign-in tokens may live at most an hour.", code="sso_invalid")
    if not isinstance(claims["sub"], str) or not claims["sub"].strip():
        raise InvalidInput("The sign-in token names no reader.", code="sso_invalid")
    if not all(storable(str(claims.get(k) or "")) for k in ("sub", "name", "email")):
        raise InvalidInput("The sign-in token holds characters that are not text.", code="sso_invalid")
    return claims


def _spend(site: Site, token: str, claims: dict[str, Any], username: str) -> None:
    """Write the token's use, or SsoTokenUsed if it was used. Call inside the sign-in's transaction."""
    # Known by what it signs: PyJWT accepts one signature spelled more than one way (a padding "="),
    # and under the site's one secret the signature follows from the signed part.
    digest = hashlib.sha256(token.rpartition(".")[0].encode()).hexdigest()
    expires_at = datetime.fromtimestamp(int(claims["exp"]) + LEEWAY_SECONDS, tz=UTC)
    try:
        with transaction.atomic():  # a savepoint: the sign-in's transaction is still usable after
            SsoTokenUse.objects.create(site=site, digest=digest, expires_at=expires_at)
    except IntegrityError as exc:
        raise SsoTokenUsed(username) from exc


def purge_spent_tokens() -> int:
    """Forget the uses of tokens that have expired (their `exp` refuses them now); returns how many."""
    deleted, _ = SsoTokenUse.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def _free_name(name: str, user_id: int | None) -> str:
    base, candidate, n = name[:54], name, 1
    while Profile.objects.filter(display_name__iexact=candidate).exclude(user_id=user_id or 0).exists():
        n += 1
        candidate = f"{base} {n}"
    return candidate


def is_sso_reader(user: User | None, site: Site) -> bool:
    """Whether `user` is the account this site's publisher signed in (made by `do_sso_sign_in`)."""
    return user is not None and user.username.startswith(f"{SSO_PREFIX}{site.pk}-")


def do_sso_sign_in(site: Site, token: str) -> User:
    """The reader the token names, created on first sign-in (with the measures their deleted account
    was under, `accounts.tombstones`), their display name kept in step.
    Raises SsoTokenUsed for a token that signed someone in already (the account it names there)."""
    claims = _claims(site, token)
    external_id = claims["sub"].strip()
    username = f"{SSO_PREFIX}{site.pk}-{external_id}"
    if len(username) > 150:
        # Cut to fit, two long ids sharing their first characters would share one account.
        most = 150 - len(username) + len(external_id)
        raise InvalidInput(
            f"The sign-in token's reader id is longer than {most} characters.", code="sso_invalid"
        )
    # The publisher's names and addresses are taken as they come where they can be: the reader could
    # not correct them here. A name too long is cut, its invisible characters dropped; an address that
    # is not one is left out.
    name = check_display_name(
        clean_display_name(str(claims.get("name") or "")) or clean_display_name(f"Reader {external_id}")
    )
    email = str(claims.get("email") or "").strip()
    try:
        email = check_email(email)
    except InvalidInput:
        email = ""
    with transaction.atomic():
        _spend(site, token, claims, username)
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            # A reader who deleted an account under a ban is signed in again as this new account.
            reapply_sanctions(site, external_id, user)
        elif user.has_usable_password():
            # Not an account this sign-in made: someone chose the name (before names were reserved).
            raise Conflict(
                "This reader's account cannot be signed into from this site; ask the publisher.",
                code="sso_account_conflict",
            )
        profile = Profile.objects.filter(user=user).first()
        if profile is None:
            profile = Profile.objects.create(
                user=user, display_name=_free_name(name, None), external_id=external_id, confirmed_email=email
            )
        elif profile.display_name != name:
            old, profile.display_name = profile.display_name, _free_name(name, user.pk)
            profile.save(update_fields=["display_name"])
            record_rename(user, old, profile.display_name, source=ModerationEvent.Source.PUBLISHER)
        if email and user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        # The publisher vouches for its signed-in reader's address: no confirmation link is needed.
        if email and profile.confirmed_email != email:
            profile.confirmed_email = email
            profile.save(update_fields=["confirmed_email"])
    return user
