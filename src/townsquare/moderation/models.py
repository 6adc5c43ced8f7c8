from django.conf import settings
from django.db import models

from townsquare.comments.models import Article, Comment
from townsquare.sites.models import Site


class ModerationEvent(models.Model):
    """The audit row: one for every change of a comment's state and every moderator action.

    Written in the same transaction as the change it records.
    """

    class Source(models.TextChoices):
        PIPELINE = "pipeline", "Moderation pipeline"
        MODERATOR = "moderator", "Moderator"
        READER = "reader", "Reader"
        SYSTEM = "system", "System job"
        # What a publisher's single sign-on changes (a reader's name) when it signs its reader in.
        PUBLISHER = "publisher", "Publisher"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="moderation_events")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    # The comment's article, kept on the row so an article's latest visibility change is one index
    # lookup (live updates start from it).
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The reader an action is about (a ban, a note) when it is not about one comment.
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32)
    phase = models.CharField(max_length=100, blank=True, default="")
    from_state = models.CharField(max_length=16, blank=True, default="")
    to_state = models.CharField(max_length=16, blank=True, default="")
    reasons = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["site", "-created_at"], name="event_site_idx"),
            models.Index(fields=["target_user", "-created_at"], name="event_user_idx"),
            models.Index(fields=["article", "-id"], name="event_article_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}->{self.to_state} by {self.source}"


class ReaderSanction(models.Model):
    """A moderator's measure against a reader on one site; active while `until` is empty or ahead."""

    class Kind(models.TextChoices):
        WARN = "warn", "Warning"
        SUSPEND = "suspend", "Suspension"
        BAN = "ban", "Ban"
        PREMODERATE = "premoderate", "Always pre-moderate"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="sanctions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.TextField(blank=True, default="")
    until = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["site", "user", "kind"], name="sanction_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id} on {self.site_id}"
