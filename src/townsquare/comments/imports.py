"""Comments from another system: `townsquare import_comments --site SLUG FILE`.

The file is JSON Lines, one comment per line (the fields are `importlines.CommentLine`'s), or another
system's export that `comments.importers` reads as such lines. The command checks every line first
(`importlines.check_records`) and stores nothing if one is bad; otherwise it stages the lines in the
order they will be stored, oldest first and a parent always before its replies, and queues one
`comments.import` job per chunk (`do_queue_import`).

Imported comments keep their text, time and state, and a thread closed there is closed here. They were
moderated in the other system, so the pipeline does not judge them again; each gets one audit row
(source "system", action "import"). Their authors become placeholder accounts
(`accounts.actions.do_ensure_placeholder_reader`).

Why the lines wait in the database rather than travel inside the jobs: threads are read in the order of
primary keys, and a reply needs its parent stored first. So each chunk's job stores every line still
waiting before its chunk's end, in order, whichever job comes first. Chunks may then run in any order,
twice, or on several workers at once, and each comment is still stored once and in order.
"""

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from townsquare.accounts.actions import do_ensure_placeholder_reader
from townsquare.comments import pagecache
from townsquare.comments.actions import ensure_article, new_comment, reply_parent
from townsquare.comments.importlines import CommentLine, Plan
from townsquare.comments.models import (
    Article,
    Comment,
    CommentState,
    ImportBatch,
    ImportedComment,
    ImportLine,
)
from townsquare.errors import InvalidInput
from townsquare.jobs.api import enqueue, register
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.transitions import record_on_comment
from townsquare.sites.models import Site

logger = logging.getLogger(__name__)
JOB = "comments.import"
CHUNK = 500
DECIDED_BY = "imported"
REMOVED = (CommentState.DELETED, CommentState.REJECTED)
STATE_REASONS = {
    CommentState.HELD: "Held for review in the previous system.",
    CommentState.REJECTED: "Rejected in the previous system.",
    CommentState.DELETED: "Deleted in the previous system.",
}


def _queue(batch: ImportBatch, seqs: Iterable[int], chunk: int) -> int:
    ends = sorted({(seq // chunk + 1) * chunk for seq in seqs})
    for until in ends:
        enqueue(JOB, batch_id=batch.pk, until=until)
    return len(ends)


def do_queue_import(site: Site, plan: Plan, *, source: str, chunk: int = CHUNK) -> tuple[ImportBatch, int]:
    """Stage the plan's lines and queue a job per `chunk` of them, all once this transaction commits.
    Returns the batch and the number of jobs. Refuses a plan with errors: nothing is half-imported."""
    if plan.errors:
        raise InvalidInput(f"{plan.refusal()}; nothing was imported.", code="import_invalid")
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            site=site,
            source=source[:500],
            lines=len(plan.lines),
            finished_at=None if plan.lines else timezone.now(),
        )
        ImportLine.objects.bulk_create(
            (
                ImportLine(batch=batch, seq=seq, line_no=line_no, record=line.model_dump(mode="json"))
                for seq, (line_no, line) in enumerate(plan.lines)
            ),
            batch_size=1000,
        )
        jobs = _queue(batch, range(len(plan.lines)), chunk)
    return batch, jobs


def do_resume_imports(site: Site, *, chunk: int = CHUNK) -> int:
    """Queue again the waiting lines of the site's unfinished imports (a job lost with its worker, or
    one that gave up); returns the number of jobs."""
    jobs = 0
    with transaction.atomic():
        for batch in ImportBatch.objects.filter(site=site, finished_at__isnull=True).order_by("pk"):
            seqs = list(ImportLine.objects.filter(batch=batch).values_list("seq", flat=True))
            if seqs:
                jobs += _queue(batch, seqs, chunk)
            else:
                _finish(batch)
    return jobs


class ParentNotStored(Exception):
    """A reply's parent is not stored (its comment was removed since the check): the line waits, and
    the job fails to be retried or resumed. Later lines of the batch wait behind it, keeping order."""


@register(JOB, soft_time_limit=300, time_limit=330, max_retries=8, retry_backoff=10)
def import_chunk(batch_id: int, until: int) -> int:
    """Store every line of the batch still waiting before `until`, in order; returns how many this
    run stored. Safe to run twice, and in any order with the batch's other chunks."""
    batch = ImportBatch.objects.select_related("site").filter(pk=batch_id).first()
    if batch is None:
        return 0
    stored, after = 0, -1
    while True:
        page = list(
            ImportLine.objects.filter(batch=batch, seq__gt=after, seq__lt=until).order_by("seq")[:CHUNK]
        )
        if not page:
            break
        for line in page:
            stored += _store_line(batch, line)
        after = page[-1].seq
    _finish(batch)
    logger.info("import #%s: stored %d comments (lines before %d)", batch_id, stored, until)
    return stored


def _finish(batch: ImportBatch) -> None:
    if not ImportLine.objects.filter(batch=batch).exists():
        ImportBatch.objects.filter(pk=batch.pk, finished_at__isnull=True).update(finished_at=timezone.now())


def _store_line(batch: ImportBatch, waiting: ImportLine) -> bool:
    with transaction.atomic():
        # Whoever deletes the waiting line stores it. A run that comes second waits on the row (or on
        # SQLite's write lock) and finds it gone; if the first run fails, its delete rolls back too.
        if not ImportLine.objects.filter(pk=waiting.pk).delete()[0]:
            return False
        line = CommentLine.model_validate(waiting.record)
        if ImportedComment.objects.filter(site_id=batch.site_id, external_id=line.id).exists():
            return False  # another import stored it meanwhile
        comment = _store(batch.site, line)
        ImportedComment.objects.create(site=batch.site, external_id=line.id, comment=comment, batch=batch)
    return True


def author_username(site: Site, line: CommentLine) -> str:
    """The placeholder account of the line's author: one per author of the other system and site,
    found again on every import. Authors known only by name share the account of that name."""
    if line.author_id:
        key = f"id:{line.author_id}"
    elif line.author_email:
        key = f"email:{line.author_email.lower()}"
    else:
        key = f"name:{line.author}"
    return f"import-{site.pk}-{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def _parent(site: Site, line: CommentLine) -> Comment | None:
    if line.parent_id is None:
        return None
    mapped = (
        ImportedComment.objects.select_related("comment__parent")
        .filter(site=site, external_id=line.parent_id)
        .first()
    )
    if mapped is None:
        raise ParentNotStored(f'comment "{line.id}": its parent "{line.parent_id}" is not stored yet')
    return reply_parent(mapped.comment)  # as for a reader's reply


def _close_if_closed_there(article: Article, line: CommentLine) -> None:
    """A thread closed in the other system is closed here when the import brings its first comments.
    After that the desk decides: an article a moderator opens again stays open, whatever a later
    import of the same thread says."""
    if not line.article_closed or not article.is_open:
        return
    if ImportedComment.objects.filter(comment__article=article).exists():
        return
    Article.objects.filter(pk=article.pk).update(is_open=False)
    article.is_open = False
    pagecache.bump(article.pk)
    ModerationEvent.objects.create(
        site_id=article.site_id,
        article=article,
        source=ModerationEvent.Source.SYSTEM,
        action="close_article",
        note="imported: closed to comments in the previous system",
    )


def _store(site: Site, line: CommentLine) -> Comment:
    article = ensure_article(site, line.article, url=line.article_url, title=line.article_title)
    _close_if_closed_there(article, line)
    parent = _parent(site, line)
    if parent is not None and parent.article_id != article.pk:
        raise InvalidInput(f'comment "{line.id}" is not under its parent\'s article', code="import_invalid")
    author = do_ensure_placeholder_reader(
        username=author_username(site, line),
        display_name=line.author,
        email=line.author_email,
        external_id=line.author_id,
    )
    why = STATE_REASONS.get(CommentState(line.state))
    reasons: list[dict[str, Any]] = [{"code": DECIDED_BY, "text": why, "span": None}] if why else []
    comment = new_comment(
        article, parent, author, line.body, state=line.state, decided_by=DECIDED_BY, reasons=reasons
    )
    comment.save()
    # `created_at` is stamped on insert; the comment keeps the time it was written.
    Comment.objects.filter(pk=comment.pk).update(created_at=line.created_at)
    comment.created_at = line.created_at
    # Not `transition()`: its rules are for moves made here (a new post is never deleted), while an
    # import records the state a comment reached in the other system, whichever it is.
    record_on_comment(
        comment,
        source=ModerationEvent.Source.SYSTEM,
        action="import",
        from_state="",
        to_state=line.state,
        reasons=reasons,
        note=f'imported: "{line.id}" in the previous system',
    )
    _count_in_parents(comment)
    return comment


def _count_in_parents(comment: Comment) -> None:
    """Count a stored reply in its parent's `reply_count`, as `actions._drop_from_parents` leaves
    counts: a removed comment without replies is not counted, and one that gains its first reply
    is counted in its own parent in turn, so every placeholder that leads to a reply shows."""
    if comment.state in REMOVED:
        return  # a removed comment has no replies yet: they are stored after it
    parent_id = comment.parent_id
    while parent_id is not None:
        parent = Comment.objects.only("parent_id", "state", "reply_count").get(pk=parent_id)
        Comment.objects.filter(pk=parent_id).update(reply_count=F("reply_count") + 1)
        if parent.reply_count > 0 or parent.state not in REMOVED:
            return
        parent_id = parent.parent_id
