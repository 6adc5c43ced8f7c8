"""Every write to readers' accounts."""

import time
import unicodedata

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from townsquare.accounts.models import DELETED_NAME, DELETED_PREFIX, IMPORT_PREFIX, SSO_PREFIX, Profile
from townsquare.accounts.notifications import queue_confirmation, read_confirmation_token
from townsquare.comments.models import Comment, Report
from townsquare.core import counters
from townsquare.errors import Conflict, InvalidInput, RateLimited
from townsquare.moderation.models import ModerationEvent, ReaderSanction

DISPLAY_NAME_MAX = 60
EMAIL_MAX = 254  # Django's EmailField
# Nobody may sign up with the name of an account Townsquare makes for others (accounts.models).
RESERVED_PREFIXES = (SSO_PREFIX, IMPORT_PREFIX, DELETED_PREFIX)
# Confirmation e-mails: a reader asks again when one is lost, but nobody may use Townsquare to flood an
# address, through one account or many.
CONFIRMATIONS_PER_ACCOUNT_HOUR = 3
CONFIRMATIONS_PER_ADDRESS_DAY = 5


# Letters that show nothing (Hangul fillers, a combining grapheme joiner, Khmer inherent vowels, the
# blank Braille pattern): "Moda\u3164" would pass for "Moda" as a format character would.
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def _invisible(ch: str) -> bool:
    # Format characters (Cf) show nothing or reorder what follows: "Moda\u200b" would pass for "Moda",
    # "\u202eadoM" shows as "Moda". Among them are the joiners of emoji sequences and of some scripts'
    # words; a display name does without them.
    return unicodedata.category(ch) == "Cf" or ch in INVISIBLE


def check_display_name(display_name: str) -> str:
    """The name as stored and compared: NFKC (fullwidth, ligature and other compatibility forms become
    the letters they look like), spaces collapsed. Raises InvalidInput for what cannot be shown."""
    name = " ".join(unicodedata.normalize("NFKC", display_name).split())
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
    if any(_invisible(ch) for ch in name):
        raise InvalidInput(
            "A display name cannot contain invisible or text-direction characters.",
            code="display_name_invalid",
        )
    return name


def check_display_name_free(name: str, *, user: User | None = None) -> None:
    """Conflict if another reader has the name (any case), InvalidInput if it is one kept for deleted
    accounts: nobody may pass for one. `name` is as `check_display_name` returns it."""
    if name.casefold().startswith(DELETED_NAME.casefold()):
        raise InvalidInput(
            f'Display names starting with "{DELETED_NAME}" are kept for deleted accounts.',
            code="display_name_reserved",
        )
    taken = Profile.objects.filter(display_name__iexact=name)
    if user is not None:
        taken = taken.exclude(user=user)
    if taken.exists():
        raise Conflict("That display name is taken.", code="display_name_taken")


def clean_display_name(display_name: str) -> str:
    """A name from another system (a publisher's sign-on, an import), which its reader cannot correct
    here: invisible and text-direction characters dropped, cut to length, rather than refused. Pass the
    result to `check_display_name`; it may be empty."""
    name = "".join(ch for ch in unicodedata.normalize("NFKC", display_name) if not _invisible(ch))
    return " ".join(name.split())[:DISPLAY_NAME_MAX].strip()


def check_username(username: str) -> str:
    # NFKC as Django stores it (`normalize_username`): names are compared in the form they are kept.
    username = unicodedata.normalize("NFKC", username.strip())
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
            check_display_name_free(name)
            user = user_model.objects.create_user(username=username, password=password, email=email)
            profile = Profile.objects.create(user=user, display_name=name)
            if email and may_send_confirmation(user):
                queue_confirmation(user)
            return profile
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


def reader_sites(user: User) -> set[int]:
    """The sites with anything of the reader: comments, reports, sanctions, audit rows. Their
    moderators are the ones a change to the whole account (a new name, its deletion) concerns."""
    return (
        set(Comment.objects.filter(author=user).values_list("article__site_id", flat=True))
        | set(Report.objects.filter(reporter=user).values_list("comment__article__site_id", flat=True))
        | set(ReaderSanction.objects.filter(user=user).values_list("site_id", flat=True))
        | set(ModerationEvent.objects.filter(target_user=user).values_list("site_id", flat=True))
    )


def record_rename(user: User, old: str, new: str, *, source: str, actor: User | None = None) -> None:
    """A `rename` audit row on each of the reader's sites (`reader_sites`), naming the old and the new
    display name: a troll cannot shed a name the moderators know, or take on one they would trust,
    unseen. `actor` is None when the publisher renames. Nothing when the name is the same.
    Precondition: the caller holds the rename's transaction."""
    if old == new:
        return
    note = f'"{old}" → "{new}"'
    ModerationEvent.objects.bulk_create(
        ModerationEvent(
            site_id=site, target_user=user, actor=actor, source=source, action="rename", note=note
        )
        for site in sorted(reader_sites(user))
    )


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


def may_send_confirmation(user: User) -> bool:
    now = int(time.time())
    address = salted_hmac("townsquare.accounts.confirm_email", user.email.casefold()).hexdigest()[:32]
    windows = [(f"confirm:u{user.pk}:h{now // 3600}", 3600), (f"confirm:e{address}:d{now // 86400}", 86400)]
    try:
        per_account, per_address = counters.count(windows)
    except ValueError:  # the cache is down: mail rather than leave the reader without a link
        return True
    return per_account <= CONFIRMATIONS_PER_ACCOUNT_HOUR and per_address <= CONFIRMATIONS_PER_ADDRESS_DAY


def do_request_confirmation(user: User) -> bool:
    """Mail the reader a new link to confirm their address (the first one came at sign-up); False when
    it is confirmed already."""
    profile = ensure_profile(user)
    if not user.email:
        raise InvalidInput("Your account has no e-mail address.", code="email_missing")
    if profile.email_confirmed:
        return False
    if not may_send_confirmation(user):
        raise RateLimited(
            "Several links were sent to this address already. Look for them, or ask again later.",
            code="confirmation_throttled",
        )
    queue_confirmation(user)
    return True


def check_confirmation(token: str) -> Profile:
    """The profile whose address the link confirms; InvalidInput if it is changed, old or outdated."""
    user_id, email = read_confirmation_token(token)
    profile = Profile.objects.select_related("user").filter(user_id=user_id, user__is_active=True).first()
    if profile is None:
        raise InvalidInput("This confirmation link is not valid.", code="confirmation_invalid")
    if profile.user.email != email:
        raise InvalidInput(
            "This link was sent to an address the account no longer uses.", code="confirmation_outdated"
        )
    return profile


def do_confirm_email(token: str) -> Profile:
    """Confirm the address a link was mailed to: from now on replies are mailed there."""
    with transaction.atomic():
        profile = check_confirmation(token)
        if not profile.email_confirmed:
            profile.confirmed_email = profile.user.email
            profile.save(update_fields=["confirmed_email"])
    return profile
