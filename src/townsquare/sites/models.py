from typing import Any

from django.conf import settings
from django.db import models


def default_policy() -> dict[str, Any]:
    return {}


class Site(models.Model):
    """A publisher. Its policy holds per-site settings; `policy_value` fills in the defaults."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    allowed_origins = models.JSONField(
        default=list, blank=True, help_text="Origins allowed to embed the comments, e.g. https://news.example"
    )
    policy = models.JSONField(default=default_policy, blank=True)
    # Shared with the publisher, who signs single sign-on tokens for its readers with it (HS256).
    sso_secret = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def policy_value(self, key: str) -> Any:
        from townsquare.sites.policy import DEFAULT_POLICY

        return self.policy.get(key, DEFAULT_POLICY[key])


class SiteRole(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Site administrator"
        MODERATOR = "moderator", "Moderator"
        STAFF = "staff", "Staff commenter"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_roles")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "user"], name="one_role_per_site")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.site}"
