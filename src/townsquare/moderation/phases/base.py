"""What a phase is: a small class with one method that returns a verdict or abstains.

A phase reads a `Context` (the text and its normalised forms, the author and their history, the
article, the parent comment, the site's policy) and never writes anything.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

from townsquare.moderation.detectors.base import Finding
from townsquare.moderation.text import NormalisedText, normalise

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from townsquare.comments.models import Article, Comment
    from townsquare.sites.models import Site

Action = Literal["publish", "hold", "reject"]
# Decisions that wait for the `moderation.recheck` job, not for a person: a check failed or ran out of
# time, or the slower model tier was deferred off the web request (ModelScores' `defer`).
CHECK_UNAVAILABLE = "check_unavailable"
MODEL_PENDING = "model_pending"
WAITING_FOR_JOB = (CHECK_UNAVAILABLE, MODEL_PENDING)
# Content phases judge the text alone; the dry run (`townsquare moderate`) runs only these.
Kind = Literal["content", "reader", "context"]


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    span: tuple[int, int] | None = None
    phase: str = ""
    action: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text,
            "span": list(self.span) if self.span else None,
            "phase": self.phase,
            "action": self.action,
        }


@dataclass
class Verdict:
    """`action` None means the phase abstains; its reasons and scores are still kept."""

    action: Action | None
    reasons: list[Reason] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


# How many of the reader's latest comments the reader phases look at (repeats, history, new reader).
RECENT_OWN = 20


class OwnComment(NamedTuple):
    body: str
    state: str
    created_at: datetime


class Context:
    """Everything a phase may read about one submission. Reader facts are loaded lazily, once."""

    def __init__(
        self,
        *,
        text: str,
        site: "Site",
        article: "Article | None" = None,
        author: "User | None" = None,
        parent: "Comment | None" = None,
        ip_hash: str = "",
        comment_id: int | None = None,
        parent_text: str = "",
        dry_run: bool = False,
    ) -> None:
        self.text, self.site, self.article, self.author, self.parent = text, site, article, author, parent
        self.parent_text = parent_text or (parent.body if parent is not None else "")
        self.ip_hash, self.comment_id, self.dry_run = ip_hash, comment_id, dry_run

    @cached_property
    def normalised(self) -> NormalisedText:
        return normalise(self.text)

    @cached_property
    def recent_own(self) -> list[OwnComment]:
        """The author's latest `RECENT_OWN` comments on this site, newest first (not this one): one query
        shared by the phases that read the reader's record."""
        if self.author is None:
            return []
        from townsquare.comments.models import Comment

        rows = (
            Comment.objects.filter(author_id=self.author.pk, article__site=self.site)
            .exclude(pk=self.comment_id or 0)
            .order_by("-pk")
            .values_list("body", "state", "created_at")[:RECENT_OWN]
        )
        return [OwnComment(*row) for row in rows]

    def policy(self, key: str) -> Any:
        return self.site.policy_value(key)


class Phase:
    """Subclasses set `kind` and implement `check`. Options come from the settings entry's OPTIONS.

    `override`: a decisive verdict of this phase replaces an earlier one (normally the first wins).
    `isolated`: run in a worker thread so the time budget can cut it off (only for phases that do
    not touch the database).
    """

    kind: ClassVar[Kind] = "content"
    isolated: ClassVar[bool] = False
    # Whether a hold from this phase may first be shown to the reader as a nudge.
    nudgeable: ClassVar[bool] = False
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, name: str, **options: Any) -> None:
        unknown = set(options) - set(self.defaults) - {"override"}
        if unknown:
            raise ValueError(f"{type(self).__name__} has no option {', '.join(sorted(unknown))}")
        self.name = name
        self.override = bool(options.pop("override", False))
        self.options = {**self.defaults, **options}

    def prepare(self) -> None:
        """Load what the phase needs (outside the time budget). Called once per process."""

    def check(self, ctx: Context) -> Verdict | None:
        raise NotImplementedError

    def reason(self, code: str, text: str, span: tuple[int, int] | None = None, action: str = "") -> Reason:
        return Reason(code=code, text=text, span=span, phase=self.name, action=action)

    def from_findings(self, findings: list[Finding]) -> Verdict | None:
        """Reject if any finding rejects, else hold if any holds; reasons for all of them."""
        if not findings:
            return None
        reasons = [self.reason(f.code, f.text, f.span, f.action) for f in findings]
        actions = {f.action for f in findings}
        action: Action | None = "reject" if "reject" in actions else "hold" if "hold" in actions else None
        return Verdict(action, reasons)
