from django.conf import settings
from django.db import models


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
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.display_name

    @property
    def email_confirmed(self) -> bool:
        """Whether Townsquare may mail the account's address (reply notifications)."""
        return bool(self.confirmed_email) and self.confirmed_email == self.user.email
