"""Phases about who posts, where and how often. Skipped by the dry run, which judges text alone."""

import time
from datetime import timedelta
from typing import Any, ClassVar

from django.db.models import Q
from django.utils import timezone

from townsquare.comments.fingerprint import fingerprint, fold
from townsquare.comments.models import Comment, CommentState
from townsquare.core import counters
from townsquare.moderation.models import ReaderSanction
from townsquare.moderation.phases.base import Context, Kind, Phase, Verdict

PREMODERATION_CODES = ("premod_site", "premod_article", "premod_reader", "new_reader")


class ArticleClosed(Phase):
    kind: ClassVar[Kind] = "context"

    def check(self, ctx: Context) -> Verdict | None:
        if ctx.article is not None and not ctx.article.is_open:
            return Verdict("reject", [self.reason("article_closed", "Comments on this article are closed.")])
        return None


class ReaderStanding(Phase):
    """Bans and suspensions reject; "always pre-moderate" holds."""

    kind: ClassVar[Kind] = "reader"

    def check(self, ctx: Context) -> Verdict | None:
        if ctx.author is None:
            return None
        now = timezone.now()
        sanctions = ReaderSanction.objects.filter(site_id=ctx.site.pk, user_id=ctx.author.pk, revoked=False)
        # Which of them are still running is decided here: the query stays one simple lookup.
        running = sanctions.values_list("kind", "until")
        kinds = {kind for kind, until in running if until is None or until > now}
        if ReaderSanction.Kind.BAN in kinds:
            return Verdict("reject", [self.reason("reader_banned", "The reader is banned from this site.")])
        if ReaderSanction.Kind.SUSPEND in kinds:
            return Verdict("reject", [self.reason("reader_suspended", "The reader is suspended.")])
        if ReaderSanction.Kind.PREMODERATE in kinds:
            text = "A moderator asked to review every comment of this reader."
            return Verdict("hold", [self.reason("premod_reader", text)])
        return None


class RateLimits(Phase):
    """Fixed windows counted in the cache (Redis when configured), per reader and per hashed address."""

    kind: ClassVar[Kind] = "reader"
    defaults: ClassVar[dict[str, Any]] = {"per_reader_minute": 5, "per_reader_hour": 40, "per_ip_minute": 20}

    def check(self, ctx: Context) -> Verdict | None:
        if ctx.comment_id is not None:  # a re-check of a stored comment is not a new post
            return None
        now = int(time.time())
        limits: list[tuple[str, int, int]] = []
        if ctx.author is not None:
            limits += [
                (f"u{ctx.author.pk}:m{now // 60}", 60, self.options["per_reader_minute"]),
                (f"u{ctx.author.pk}:h{now // 3600}", 3600, self.options["per_reader_hour"]),
            ]
        if ctx.ip_hash:
            limits.append((f"ip{ctx.ip_hash}:m{now // 60}", 60, self.options["per_ip_minute"]))
        try:
            # Every window counts the attempt, in one round trip to the cache.
            counts = counters.count([(f"ratelimit:{ctx.site.pk}:{key}", ttl) for key, ttl, _ in limits])
        except ValueError:
            # The cache cannot count (Redis is down). Holding the comment "check unavailable" would let
            # the re-check, which skips this phase, publish it: a flood would go through. The stored
            # comments say the same, slower; only while the cache is away.
            counts = self._counted_in_database(ctx, limits)
        if any(n > limit for n, (_, _, limit) in zip(counts, limits, strict=True)):
            text = "Too many comments in a short time. Please wait a little before posting again."
            return Verdict("reject", [self.reason("rate_limited", text)])
        return None

    @staticmethod
    def _counted_in_database(ctx: Context, limits: list[tuple[str, int, int]]) -> list[int]:
        """This attempt and the site's comments (every state: a refused attempt counts too) in each
        window, by the same reader or the same hashed address, from the comments table."""
        on_site = Comment.objects.filter(article__site_id=ctx.site.pk)
        counts = []
        for key, seconds, _ in limits:
            since = timezone.now() - timedelta(seconds=seconds)
            by_reader = key.startswith("u") and ctx.author is not None
            mine = Q(author_id=ctx.author.pk) if by_reader and ctx.author else Q(ip_hash=ctx.ip_hash)
            counts.append(on_site.filter(mine, created_at__gte=since).count() + 1)
        return counts


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    if len(words) < 3:
        return {tuple(words)}
    return set(zip(words, words[1:], words[2:], strict=False))


class Repeats(Phase):
    """The same or nearly the same text again: by the same reader, or by many readers at once."""

    kind: ClassVar[Kind] = "reader"
    defaults: ClassVar[dict[str, Any]] = {"similarity": 0.8, "recent": 20, "campaign_readers": 3}

    def check(self, ctx: Context) -> Verdict | None:
        folded = fold(ctx.text)
        if ctx.author is None or not folded:
            return None  # text without a word ("👍", "!!!") is nobody's copy
        since = timezone.now() - timedelta(days=1)
        # Only what stands (published, or waiting for a moderator): a comment refused for posting
        # too fast, or rejected, may be sent again, and its content is judged again then.
        standing = (CommentState.PUBLISHED, CommentState.HELD)
        own = [c.body for c in ctx.recent_own if c.created_at >= since and c.state in standing][
            : self.options["recent"]
        ]
        mine = _shingles(folded)
        for body in own:
            other = fold(body)
            if other == folded:
                return Verdict(
                    "reject", [self.reason("duplicate", "The reader posted this same text already.")]
                )
            if len(folded) < 20:
                continue
            theirs = _shingles(other)
            if len(mine & theirs) / len(mine | theirs) >= self.options["similarity"]:
                text = "Nearly the same as another recent comment of this reader."
                return Verdict("hold", [self.reason("near_duplicate", text)])
        if len(folded) >= 30:
            hour = timezone.now() - timedelta(hours=1)
            # By the fingerprint's index: the hour's comments are never read one by one.
            copies = (
                Comment.objects.filter(
                    fingerprint=fingerprint(ctx.text), created_at__gte=hour, article__site_id=ctx.site.pk
                )
                .exclude(author_id=ctx.author.pk)
                .values_list("author_id", flat=True)
                .distinct()
            )
            # The usual answer is "nobody else": stop reading at as many readers as make a campaign,
            # and count them all only for the moderator's reason.
            enough = max(self.options["campaign_readers"] - 1, 0)
            if len(copies[:enough]) >= enough:
                others = copies.count()
                text = f"{others + 1} readers posted this same text within the hour."
                return Verdict("hold", [self.reason("copy_campaign", text)])
        return None


class History(Phase):
    """Readers whose recent comments were mostly rejected wait for a moderator.

    Reads the published and rejected ones among the reader's latest `RECENT_OWN` comments (`window` of them
    at most)."""

    kind: ClassVar[Kind] = "reader"
    defaults: ClassVar[dict[str, Any]] = {"window": 10, "min_comments": 4, "rejected_share": 0.5}

    def check(self, ctx: Context) -> Verdict | None:
        if ctx.author is None:
            return None
        decided = (CommentState.PUBLISHED, CommentState.REJECTED)
        states = [c.state for c in ctx.recent_own if c.state in decided][: self.options["window"]]
        if len(states) < self.options["min_comments"]:
            return None
        share = states.count(CommentState.REJECTED) / len(states)
        if share >= self.options["rejected_share"]:
            text = f"{share:.0%} of this reader's last {len(states)} comments were rejected."
            return Verdict("hold", [self.reason("reader_history", text)], {"rejected_share": round(share, 3)})
        return None


class NewReader(Phase):
    """The first comments of a new reader wait for a moderator (the site's count; 0 turns it off)."""

    kind: ClassVar[Kind] = "reader"

    def check(self, ctx: Context) -> Verdict | None:
        count = int(ctx.policy("new_reader_premoderation_count"))
        if ctx.author is None or count <= 0:
            return None
        if sum(c.state == CommentState.PUBLISHED for c in ctx.recent_own) >= count:
            return None
        published = (
            Comment.objects.filter(
                author_id=ctx.author.pk, article__site=ctx.site, state=CommentState.PUBLISHED
            )
            .exclude(pk=ctx.comment_id or 0)
            .count()
        )
        if published < count:
            text = f"New reader: the first {count} comment(s) are reviewed before they appear."
            return Verdict("hold", [self.reason("new_reader", text)])
        return None


class Premoderation(Phase):
    """Sites or articles where every comment is reviewed first."""

    kind: ClassVar[Kind] = "context"

    def check(self, ctx: Context) -> Verdict | None:
        if ctx.policy("premoderate_all"):
            return Verdict(
                "hold", [self.reason("premod_site", "Every comment on this site is reviewed first.")]
            )
        if ctx.article is not None and ctx.article.premoderate:
            text = "Every comment on this article is reviewed first."
            return Verdict("hold", [self.reason("premod_article", text)])
        return None
