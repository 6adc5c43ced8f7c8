"""Every write to readers' accounts."""

import unicodedata

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from townsquare.accounts.models import Profile
from townsquare.errors import Conflict, InvalidInput

DISPLAY_NAME_MAX = 60
EMAIL_MAX = 254  # Django's EmailField
# Accounts that Townsquare makes for others (publisher sign-on, imported authors) are named with
# these prefixes; nobody may sign up with one, or they would be given those readers' comments.
SSO_PREFIX = "sso-"
IMPORT_PREFIX = "import-"
RESERVED_PREFIXES = (SSO_PREFIX, IMPORT_PREFIX)


def check_display_name(display_name: str) -> str:
    name = " ".join(display_name.split())
    if not name:
        raise InvalidInput("Choose a display name.", code="display_name_required")
    if len(name) > DISPLAY_NAME_MAX:
        raise InvalidInput(
            f"A display name has at most {DISPLAY_NAME_MAX} characters.", code="display_name_long"
        )
    # NUL and other control characters cannot be stored by PostgreSQL or shown to anyone, nor can
    # a lone surrogate (Cs) be stored at all.
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):
        raise InvalidInput("A display name cannot contain control characters.", code="display_name_invalid")
    return name


def check_username(username: str) -> str:
    username = username.strip()
    if not username or len(username) > 150:
        raise InvalidInput("Choose a user name of 1 to 150 characters.", code="username_invalid")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise InvalidInput(
            "A user name may contain only letters, digits and @ . + - _", code="username_invalid"
        ) from exc
    return username


def check_email(email: str) -> str:
    email = email.strip()
    if len(email) > EMAIL_MAX:
        raise InvalidInput("That e-mail address is too long.", code="email_invalid")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput("That e-mail address is not valid.", code="email_invalid") from exc
    return email


def do_create_reader(*, username: str, password: str, display_name: str, email: str = "") -> Profile:
    """Create a reader with a profile. Raises InvalidInput or Conflict and then creates nothing."""
    user_model = get_user_model()
    username = check_username(username)
    if username.lower().startswith(RESERVED_PREFIXES):
        raise InvalidInput(
            f"User names starting with {' or '.join(RESERVED_PREFIXES)} are kept for accounts made here.",
            code="username_reserved",
        )
    name = check_display_name(display_name)
    email = check_email(email)
    try:
        password_validation.validate_password(password)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="password_weak") from exc
    try:
        with transaction.atomic():
            if user_model.objects.filter(username__iexact=username).exists():
                raise Conflict("That user name is taken.", code="username_taken")
            if Profile.objects.filter(display_name__iexact=name).exists():
                raise Conflict("That display name is taken.", code="display_name_taken")
            user = user_model.objects.create_user(username=username, password=password, email=email)
            return Profile.objects.create(user=user, display_name=name)
    except IntegrityError as exc:
        raise Conflict("That user name or display name is taken.", code="account_taken") from exc


def ensure_profile(user: User) -> Profile:
    """The reader's profile, created on first use for accounts made outside the sign-up form."""
    try:
        # Loaded with the account on signed-in requests (accounts.backends), else one query.
        return user.profile
    except Profile.DoesNotExist:
        pass
    name = unused_display_name(check_display_name(user.get_username())[:50])
    profile = Profile.objects.create(user=user, display_name=name)
    user.profile = profile  # later reads of `user.profile` need no query
    return profile


def unused_display_name(name: str) -> str:
    """`name`, or else `name 2`, `name 3`...: the first that no profile uses (they are unique)."""
    base, candidate, n = name[:50], name, 1
    while Profile.objects.filter(display_name__iexact=candidate).exists():
        n += 1
        candidate = f"{base} {n}"
    return candidate


def do_ensure_placeholder_reader(
    *, username: str, display_name: str, email: str = "", external_id: str = ""
) -> User:
    """The account of someone known only from another system (an imported comment's author),
    created on first use and found again by `username`.

    It has no usable password and is inactive: nobody can sign in as them, and no reply notification
    e-mails someone who never signed up here. Precondition: the caller holds a transaction.
    """
    user, created = User.objects.get_or_create(
        username=check_username(username), defaults={"email": check_email(email), "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Profile.objects.create(
            user=user,
            display_name=unused_display_name(check_display_name(display_name)),
            external_id=external_id[:200],
        )
    return user
