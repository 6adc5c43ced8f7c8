from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models

# Accounts that Townsquare makes for others (publisher sign-on, imported authors) are named with
# these prefixes; nobody may sign up with one, or they would be given those readers' comments.
SSO_PREFIX = "sso-"
IMPORT_PREFIX = "import-"
# A deleted account keeps its row under a user name and a display name that say so (`accounts.erasure`);
# nobody may take either.
DELETED_PREFIX = "deleted-"
DELETED_NAME = "Deleted reader"


def publisher_site_id(user: User) -> int | None:
    """The site whose single sign-on made `user` (named `sso-<site id>-<their id>` by `accounts.sso`,
    with no password here), or None for an account with a password of its own."""
    name = user.get_username()
    if not name.startswith(SSO_PREFIX) or user.has_usable_password():
        return None
    site_id, dash, _ = name.removeprefix(SSO_PREFIX).partition("-")
    return int(site_id) if dash and site_id.isascii() and site_id.isdigit() else None


class Profile(models.Model):
    """What a reader shows of themselves, and how far the pipeline trusts them.

    `trust` rises with published comments and falls with rejected ones (see moderation).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=60, unique=True)
    trust = models.IntegerField(default=0)
    # Set for readers who come through a publisher's single sign-on.
    external_id = models.CharField(max_length=200, blank=True, default="")
    # The address the reader showed they receive mail at (a confirmation link; for single sign-on, the
    # publisher's word). Kept beside the account's address rather than as a flag, so any change of that
    # address, by whatever path, leaves it unconfirmed until confirmed again.
    confirmed_email = models.EmailField(max_length=254, blank=True, default="")
    # Whether a reply to the reader's comment is e-mailed to them (once the address is confirmed);
    # turned off on the account page or by the one-click link in every such e-mail. A default in the
    # database too, so processes still running the code before this field can make profiles.
    reply_emails = models.BooleanField(default=True, db_default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.display_name

    @property
    def email_confirmed(self) -> bool:
        """Whether Townsquare may mail the account's address (reply notifications)."""
        return bool(self.confirmed_email) and self.confirmed_email == self.user.email


class SsoTokenUse(models.Model):
    """A publisher's sign-on token that was exchanged for a session: each is good once (`accounts.sso`).

    In the database, not the cache: every web process sees it, and a store that is away refuses the
    sign-in rather than letting a replay through. Kept until the token itself has expired
    (`expires_at`, with the leeway its `exp` is read with), then purged by the sweep.
    """

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    # sha256 (hex) of what the token signs; the token itself is never stored.
    digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "digest"], name="sso_token_used_once")]

    def __str__(self) -> str:
        return f"sign-on token {self.digest[:12]} on {self.site_id}"


class SanctionTombstone(models.Model):
    """A measure in force on a site (a ban, a suspension, pre-moderation) against a reader whom their
    publisher signs in, kept when they deleted their account, and put back on the new account the
    publisher's next sign-in of them makes (`accounts.tombstones`, which says why).

    The reader is known only by `subject`, a keyed hash of the publisher's site and its id for them.
    """

    # Where the measure applies, which need not be the site whose publisher signs the reader in.
    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=16)  # a `ReaderSanction.Kind`
    until = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, default="")
    # The measure on the deleted account, which stays listed on the moderators' desk: lifting it there
    # lifts it for the returning reader too.
    sanction = models.ForeignKey(
        "moderation.ReaderSanction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} kept on {self.site_id}"

    def in_force(self, now: datetime) -> bool:
        lifted = self.sanction is not None and self.sanction.revoked
        return not lifted and (self.until is None or self.until > now)
