"""Every write to articles, comments, reactions and reports.

`do_*` functions change state atomically and write their audit rows; `check_*` validate and raise
`TownsquareError` before anything is written; `access_*` fetch an object with its permission check.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from townsquare.comments.fingerprint import fingerprint
from townsquare.comments.models import Article, Comment, CommentRevision, CommentState, Reaction, Report
from townsquare.comments.render import render_body
from townsquare.core import counters
from townsquare.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from townsquare.jobs import api as jobs
from townsquare.lib.text import check_storable, storable
from townsquare.moderation import pipeline
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.transitions import apply_decision, record_on_comment, transition
from townsquare.sites.models import Site

MAX_DEPTH = 6


@dataclass(frozen=True)
class PostResult:
    """The comment as stored, or, when the reader is nudged first, no comment and the nudge."""

    comment: Comment | None
    decision: pipeline.Decision

    @property
    def nudged(self) -> bool:
        return self.comment is None


def hash_ip(ip: str | None) -> str:
    """A keyed hash for rate limits; the address itself is never stored."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]


def ensure_article(site: Site, key: str, *, url: str = "", title: str = "") -> Article:
    key = check_storable(key.strip(), "The article key")
    if not key or len(key) > 500:
        raise InvalidInput("An article needs a key of 1 to 500 characters.", code="article_key_invalid")
    url, title = check_storable(url, "The article address"), check_storable(title, "The title")
    article, created = Article.objects.get_or_create(
        site=site, key=key, defaults={"url": url[:1000], "title": title[:500]}
    )
    # An address or a title is filled in when first known, and then kept.
    missing = {
        f: v for f, v in (("url", url[:1000]), ("title", title[:500])) if v and not getattr(article, f)
    }
    if not created and missing:
        Article.objects.filter(pk=article.pk).update(**missing)
        for field, value in missing.items():
            setattr(article, field, value)
    return article


NEW_ARTICLES_PER_HOUR = 60


def embed_article(site: Site, key: str, *, url: str, title: str, ip: str) -> Article:
    """The article a page embeds, made on its first visit. A visit is all it takes, so one address
    may make at most `NEW_ARTICLES_PER_HOUR` of them: a script inventing keys cannot fill the table."""
    key = check_storable(key.strip(), "The article key")
    if not Article.objects.filter(site=site, key=key).exists():
        hour = int(time.time()) // 3600
        try:
            (made,) = counters.count([(f"new-articles:{site.pk}:{hash_ip(ip)}:h{hour}", 3600)])
        except ValueError:  # the cache is down: the page opens rather than fail its readers
            made = 0
        if made > NEW_ARTICLES_PER_HOUR:
            raise RateLimited(
                "Too many new article pages from your address; try again in an hour.",
                code="new_articles_rate_limited",
            )
    return ensure_article(site, key, url=url, title=title)


def access_article(article_id: int) -> Article:
    article = Article.objects.select_related("site").filter(pk=article_id).first()
    if article is None:
        raise NotFound("There is no such article.", code="unknown_article")
    return article


def access_comment(comment_id: int) -> Comment:
    comment = Comment.objects.select_related("article__site", "author").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound("There is no such comment.", code="unknown_comment")
    return comment


def access_own_comment(reader: User, comment_id: int) -> Comment:
    comment = access_comment(comment_id)
    if comment.author_id != reader.pk:
        raise Forbidden("You can only change your own comments.", code="not_your_comment")
    if comment.state == CommentState.DELETED:
        raise Conflict("This comment was deleted.", code="comment_deleted")
    return comment


def check_body(body: object) -> str:
    if not isinstance(body, str):
        raise InvalidInput("A comment must be text.", code="body_invalid")
    text = body.replace("\r\n", "\n").strip()
    # Zero-width spaces and other invisible characters alone say nothing either.
    if not any(ch.isprintable() and not ch.isspace() for ch in text):
        raise InvalidInput("Write something before posting.", code="body_empty")
    if len(text) > settings.COMMENT_MAX_LENGTH:
        raise InvalidInput(
            f"A comment has at most {settings.COMMENT_MAX_LENGTH} characters; this one has {len(text)}.",
            code="body_too_long",
        )
    if not storable(text):
        raise InvalidInput(
            "A comment cannot contain NUL characters or broken characters.", code="body_invalid"
        )
    return text


def check_parent(article: Article, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = Comment.objects.filter(pk=parent_id).first()
    if parent is None or parent.article_id != article.pk:
        raise InvalidInput("You can only reply to a comment under this article.", code="parent_invalid")
    if parent.state != CommentState.PUBLISHED:
        raise Conflict("That comment is no longer open for replies.", code="parent_unavailable")
    return parent


def reply_parent(parent: Comment) -> Comment:
    """Where a reply to `parent` goes: below MAX_DEPTH, it joins the level above."""
    if parent.depth >= MAX_DEPTH and parent.parent is not None:
        return parent.parent
    return parent


def new_comment(article: Article, parent: Comment | None, author: User, text: str, **fields: Any) -> Comment:
    """An unsaved comment by `author` under `article`, below `parent` (None: top level), its body rendered."""
    return Comment(
        article=article,
        parent=parent,
        root=(parent.root or parent) if parent is not None else None,
        depth=parent.depth + 1 if parent is not None else 0,
        author=author,
        body=text,
        fingerprint=fingerprint(text),
        html=render_body(text),
        **fields,
    )


def do_post_comment(
    *,
    reader: User,
    article: Article,
    body: object,
    parent_id: int | None = None,
    ip: str | None = None,
    nudge_acknowledged: bool = True,
) -> PostResult:
    """Store a new comment in exactly one state with its audit row.

    With `nudge_acknowledged=False` a comment the pipeline would nudge about is not stored: the
    reader sees the nudge and may rephrase; the nudge itself is recorded in the audit log.
    """
    text = check_body(body)
    if not article.is_open:
        raise Conflict("Comments on this article are closed.", code="article_closed")
    parent = check_parent(article, parent_id)
    if parent is not None:
        parent = reply_parent(parent)
    ip_hash = hash_ip(ip)
    submission = pipeline.Submission(
        text=text,
        article=article,
        author=reader,
        parent=parent,
        ip_hash=ip_hash,
        nudge_acknowledged=nudge_acknowledged,
    )
    decision = pipeline.moderate(submission)
    with transaction.atomic():
        if decision.nudge and not nudge_acknowledged:
            ModerationEvent.objects.create(
                site_id=article.site_id,
                target_user_id=reader.pk,
                source=ModerationEvent.Source.PIPELINE,
                action="nudge",
                phase=decision.phase,
                reasons=decision.nudge,
                scores=decision.scores,
                note=text,
            )
            return PostResult(None, decision)
        comment = new_comment(article, parent, reader, text, ip_hash=ip_hash)
        comment.article = article
        apply_decision(
            comment,
            decision,
            from_state="",
            source=ModerationEvent.Source.PIPELINE,
            action="post",
            note="posted after a nudge" if decision.nudge else "",
        )
        if parent is not None:
            Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
        if decision.recheck:
            jobs.enqueue("moderation.recheck", comment_id=comment.pk)
    return PostResult(comment, decision)


def do_edit_comment(*, reader: User, comment_id: int, body: object, ip: str | None = None) -> PostResult:
    """Edit within the window; the new text goes through the pipeline again."""
    comment = access_own_comment(reader, comment_id)
    text = check_body(body)
    window = timedelta(seconds=settings.EDIT_WINDOW_SECONDS)
    if timezone.now() - comment.created_at > window:
        raise Conflict("The time to edit this comment has passed.", code="edit_window_closed")
    if comment.state == CommentState.REJECTED:
        raise Conflict("A rejected comment cannot be edited.", code="comment_rejected")
    if not comment.article.is_open:
        # Before the pipeline: its closed-article check would reject, and remove, the comment.
        raise Conflict("Comments on this article are closed, and so are edits.", code="article_closed")
    _count_edit(reader)
    decision = pipeline.moderate(
        pipeline.Submission(
            text=text,
            article=comment.article,
            author=reader,
            parent=comment.parent,
            is_edit=True,
            comment_id=comment.pk,
        )
    )
    with transaction.atomic():
        # The pipeline ran outside the transaction: if a moderator decided or another edit landed
        # meanwhile, this edit must not overwrite that with the state it read before.
        locked = Comment.objects.select_for_update(of=("self",)).get(pk=comment.pk)
        if (locked.state, locked.body) != (comment.state, comment.body):
            raise Conflict(
                "This comment changed while you were editing it; reload it and edit again.",
                code="comment_changed",
            )
        CommentRevision.objects.create(comment=comment, body=comment.body)
        comment.body = text
        comment.fingerprint = fingerprint(text)
        comment.html = render_body(text)
        comment.edited_at = timezone.now()
        apply_decision(comment, decision, source=ModerationEvent.Source.PIPELINE, action="edit")
        if decision.recheck:
            jobs.enqueue("moderation.recheck", comment_id=comment.pk)
    return PostResult(comment, decision)


EDITS_PER_MINUTE = 5


def _count_edit(reader: User) -> None:
    """Edits skip the pipeline's rate limits (they are not new posts), yet each one runs the whole
    pipeline and keeps a revision: a refused edit changes nothing, so it is refused before either."""
    minute = int(time.time()) // 60
    try:
        (edits,) = counters.count([(f"edits:u{reader.pk}:m{minute}", 60)])
    except ValueError:  # the cache is down: the edit goes on (the pipeline still checks its text)
        return
    if edits > EDITS_PER_MINUTE:
        raise RateLimited(
            "Too many edits in a short time. Please wait a minute before editing again.",
            code="edit_rate_limited",
        )


def do_delete_comment(*, reader: User, comment_id: int) -> Comment:
    """The author deletes: the row stays (audit, replies), the body is hidden from everyone."""
    comment = access_own_comment(reader, comment_id)
    with transaction.atomic():
        transition(
            comment, CommentState.DELETED, source=ModerationEvent.Source.READER, actor=reader, action="delete"
        )
        if comment.reply_count == 0:
            _drop_from_parents(comment)
    return comment


def erase_comment(comment_id: int, *, actor: User, note: str) -> Comment:
    """Erase what a comment says, for its author's deleted account: it becomes DELETED through the
    one transition (its audit row), and its body, rendering, fingerprint, address hash, earlier
    versions and the excerpts its reasons quote are gone. The row stays for its replies and the audit
    log, as a reader's own delete leaves it. Precondition: the caller holds a transaction."""
    comment = Comment.objects.select_for_update(of=("self",)).select_related("article").get(pk=comment_id)
    comment.body = comment.html = comment.fingerprint = comment.ip_hash = ""
    comment.reasons = scrub_reasons(comment.reasons)
    if comment.state == CommentState.DELETED:  # deleted before: it left the thread then
        comment.save()
    else:
        transition(
            comment,
            CommentState.DELETED,
            source=ModerationEvent.Source.READER,
            actor=actor,
            action="delete",
            note=note,
        )
        if comment.reply_count == 0:
            _drop_from_parents(comment)
    CommentRevision.objects.filter(comment=comment).delete()
    return comment


def scrub_reasons(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reasons without what they quote of the text (a phone number, the words a list matched, a
    nudge's excerpt): only their code, phase and action stay."""
    kept = ("code", "phase", "action")
    return [
        {**{k: r[k] for k in kept if k in r}, "text": "", "span": None}
        for r in reasons
        if isinstance(r, dict)
    ]


def _drop_from_parents(comment: Comment) -> None:
    """A deleted comment without replies leaves the thread: its parent has one reply fewer.

    A removed parent stays only as a placeholder for its replies, so when it has none left it goes
    too, and so on up the thread (at most MAX_DEPTH steps).
    """
    parent_id = comment.parent_id
    while parent_id is not None:
        Comment.objects.filter(pk=parent_id, reply_count__gt=0).update(reply_count=F("reply_count") - 1)
        parent = Comment.objects.only("parent_id", "state", "reply_count").get(pk=parent_id)
        if parent.reply_count > 0 or parent.state not in (CommentState.DELETED, CommentState.REJECTED):
            return
        parent_id = parent.parent_id


def check_published(comment: Comment) -> None:
    """Readers react to and report published comments only; anything else is "no such comment"."""
    if comment.state != CommentState.PUBLISHED:
        raise NotFound("There is no such comment.", code="unknown_comment")


def do_react(*, reader: User, comment_id: int, kind: str) -> tuple[bool, int]:
    """Toggle a reaction. Returns (reacted now, the comment's reaction count)."""
    if kind not in Reaction.Kind.values:
        raise InvalidInput(f"Unknown reaction {kind!r}.", code="reaction_invalid")
    comment = access_comment(comment_id)
    check_published(comment)
    with transaction.atomic():
        # One toggle at a time per comment: a double click would otherwise make two inserts race
        # (PostgreSQL; SQLite's IMMEDIATE transactions already take turns).
        Comment.objects.select_for_update().filter(pk=comment.pk).first()
        deleted, _ = Reaction.objects.filter(comment=comment, user_id=reader.pk, kind=kind).delete()
        if deleted:
            Comment.objects.filter(pk=comment.pk).update(reaction_count=F("reaction_count") - 1)
        else:
            Reaction.objects.create(comment=comment, user_id=reader.pk, kind=kind)
            Comment.objects.filter(pk=comment.pk).update(reaction_count=F("reaction_count") + 1)
    comment.refresh_from_db(fields=["reaction_count"])
    return not deleted, comment.reaction_count


def do_report(*, reader: User, comment_id: int, reason: str, note: str = "") -> Report:
    if reason not in Report.Reason.values:
        raise InvalidInput(f"Unknown report reason {reason!r}.", code="report_reason_invalid")
    if len(note) > 500:
        raise InvalidInput("A report note has at most 500 characters.", code="report_note_long")
    check_storable(note, "The note")
    comment = access_comment(comment_id)
    check_published(comment)
    if comment.author_id == reader.pk:
        raise InvalidInput("You cannot report your own comment.", code="report_own")
    with transaction.atomic():
        Comment.objects.select_for_update().filter(pk=comment.pk).first()  # as in do_react
        if Report.objects.filter(comment=comment, reporter_id=reader.pk).exists():
            raise Conflict("You have already reported this comment.", code="already_reported")
        report = Report.objects.create(
            comment=comment, reporter_id=reader.pk, reason=reason, note=note.strip()
        )
        Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
        record_on_comment(
            comment,
            source=ModerationEvent.Source.READER,
            actor=reader,
            action="report",
            reasons=[{"code": f"report_{reason}", "text": Report.Reason(reason).label, "span": None}],
            note=note.strip(),
        )
    return report
