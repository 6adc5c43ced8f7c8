import hashlib

from django.conf import settings
from django.db import models

from townsquare.sites.models import Site


class Article(models.Model):
    """A page of the publisher's that carries a thread, known by the publisher's own key (id or URL)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="articles")
    key = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True, default="")
    title = models.CharField(max_length=500, blank=True, default="")
    is_open = models.BooleanField(default=True)
    premoderate = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "key"], name="article_key_per_site")]

    def __str__(self) -> str:
        return self.title or self.key


class CommentState(models.TextChoices):
    """A comment is in exactly one of these; `moderation.transitions` says which moves are allowed."""

    PUBLISHED = "published", "Published"
    HELD = "held", "Held for review"
    REJECTED = "rejected", "Rejected"
    DELETED = "deleted", "Deleted by its author"


class Comment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    # The top-level comment of the thread this one belongs to (itself for a top-level comment is None).
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="descendants"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(help_text="As the reader wrote it.")
    # `fingerprint.fingerprint(body)`: finds copies of a text by index (the repeat checks).
    fingerprint = models.CharField(max_length=16, blank=True, default="")
    html = models.TextField(help_text="Rendered from the body and sanitised.")
    state = models.CharField(max_length=16, choices=CommentState.choices, db_index=True)
    # The code of the reason that decided the state (e.g. "premoderation", "banned_word"), for queues.
    decided_by = models.CharField(max_length=64, blank=True, default="")
    reasons = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    # A keyed hash of the poster's address, for rate limits only. Never the address itself.
    ip_hash = models.CharField(max_length=64, blank=True, default="")
    reaction_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["article", "parent", "state", "-created_at"], name="comment_thread_idx"),
            models.Index(fields=["article", "parent", "state", "-reaction_count"], name="comment_top_idx"),
            models.Index(fields=["root", "created_at"], name="comment_root_idx"),
            models.Index(fields=["state", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
            models.Index(fields=["fingerprint", "created_at"], name="comment_fingerprint_idx"),
            # The moderators' queue counts: held by reason, and comments with open reports.
            models.Index(fields=["state", "decided_by"], name="comment_decided_idx"),
            models.Index(
                fields=["state", "-created_at"],
                condition=models.Q(report_count__gt=0),
                name="comment_reported_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} by {self.author_id} ({self.state})"

    @property
    def is_visible_to_all(self) -> bool:
        return self.state == CommentState.PUBLISHED

    @property
    def version(self) -> str:
        """What a moderator saw of the comment, its state and its text, as a short token: a decision
        sent with an older one is refused (see `moderation.actions.check_seen`)."""
        digest = hashlib.blake2s(f"{self.state}\0{self.body}".encode(), digest_size=6)
        return digest.hexdigest()


class CommentRevision(models.Model):
    """The body before an edit: the edit history moderators can read."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"revision of #{self.comment_id}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        INSIGHTFUL = "insightful", "Insightful"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user", "kind"], name="one_reaction_each")]

    def __str__(self) -> str:
        return f"{self.kind} on #{self.comment_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        ABUSE = "abuse", "Abusive or hateful"
        HARASSMENT = "harassment", "Attacks another reader"
        SPAM = "spam", "Spam or advertising"
        PERSONAL_DATA = "personal_data", "Reveals personal information"
        OFF_TOPIC = "off_topic", "Off topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=32, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True, default="")
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader")]

    def __str__(self) -> str:
        return f"{self.reason} report on #{self.comment_id}"


class ImportBatch(models.Model):
    """One run of `townsquare import_comments`: a file of comments from another system.

    Its lines wait as `ImportLine` rows until a `comments.import` job stores them; the batch is
    finished once none is left.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="import_batches")
    source = models.CharField(max_length=500, help_text="The file it came from.")
    lines = models.PositiveIntegerField(help_text="Lines queued (lines imported before are not).")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"import #{self.pk} of {self.source}"


class ImportLine(models.Model):
    """A validated line waiting to be stored; the job that stores it deletes it in the same transaction."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="pending")
    # The order of storing: oldest first, a parent always before its replies.
    seq = models.PositiveIntegerField()
    line_no = models.PositiveIntegerField()
    record = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "seq"], name="import_line_order")]

    def __str__(self) -> str:
        return f"line {self.line_no} of import #{self.batch_id}"


class ImportedComment(models.Model):
    """Which comment an external id became: importing the same comment again never stores it twice."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(max_length=200)
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="imported_as")
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "external_id"], name="imported_comment_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.external_id} -> #{self.comment_id}"
