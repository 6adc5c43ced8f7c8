"""Comments from another system: `townsquare import_comments --site SLUG FILE`.

The file is JSON Lines, one comment per line (the fields are `CommentLine`'s). The command checks
every line first (`check_lines`) and stores nothing if one is bad; otherwise it stages the lines in
the order they will be stored, oldest first and a parent always before its replies, and queues one
`comments.import` job per chunk (`do_queue_import`).

Imported comments keep their text, time and state. They were moderated in the other system, so the
pipeline does not judge them again; each gets one audit row (source "system", action "import"). Their
authors become placeholder accounts (`accounts.actions.do_ensure_placeholder_reader`).

Why the lines wait in the database rather than travel inside the jobs: threads are read in the order
of primary keys, and a reply needs its parent stored first. So each chunk's job stores every line
still waiting before its chunk's end, in order, whichever job comes first. Chunks may then run in
any order, twice, or on several workers at once, and each comment is still stored once and in order.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from townsquare.accounts.actions import (
    DISPLAY_NAME_MAX,
    check_display_name,
    check_email,
    do_ensure_placeholder_reader,
)
from townsquare.comments.actions import ensure_article, new_comment, reply_parent
from townsquare.comments.models import Comment, CommentState, ImportBatch, ImportedComment, ImportLine
from townsquare.errors import InvalidInput
from townsquare.jobs.api import enqueue, register
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.transitions import record_on_comment
from townsquare.sites.models import Site

logger = logging.getLogger(__name__)
JOB = "comments.import"
CHUNK = 500
# A guard against a broken export, not a policy: the other system may have allowed more than
# COMMENT_MAX_LENGTH, and its comments keep their text.
BODY_MAX = 100_000
# Another system's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
DECIDED_BY = "imported"
REMOVED = (CommentState.DELETED, CommentState.REJECTED)
STATE_REASONS = {
    CommentState.HELD: "Held for review in the previous system.",
    CommentState.REJECTED: "Rejected in the previous system.",
    CommentState.DELETED: "Deleted in the previous system.",
}


def _checked(check: Callable[[str], str], value: str) -> str:
    try:
        return check(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from exc


def _id(value: object) -> object:
    # Exports often number their comments: 1042 and "1042" are the same id.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _no_parent(value: object) -> object:
    return None if value == "" else _id(value)


def _url(value: str) -> str:
    value = value.strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except DjangoValidationError as exc:
            raise ValueError("not an http:// or https:// address") from exc
    return value


def _display_name(value: str) -> str:
    # The other system may have allowed longer names: the first DISPLAY_NAME_MAX characters stay.
    return _checked(check_display_name, " ".join(value.split())[:DISPLAY_NAME_MAX])


def _email(value: str) -> str:
    return _checked(check_email, value)


def _body(value: str) -> str:
    text = value.replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    if len(text) > BODY_MAX:
        raise ValueError(f"{len(text)} characters; at most {BODY_MAX} can be imported")
    return text


def _not_ahead(value: datetime) -> datetime:
    if value > timezone.now() + CLOCK_SKEW:
        raise ValueError("this time is in the future")
    return value


def _external_id(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("is empty")
    if len(value) > 200:
        raise ValueError("has more than 200 characters")
    return value


ExternalId = Annotated[str, BeforeValidator(_id), AfterValidator(_external_id)]


class CommentLine(BaseModel):
    """One line of an import file: a comment as the other system had it. Unknown fields are errors
    (a misspelt "parent" must not silently make a reply top-level)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ExternalId
    article: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    article_url: Annotated[str, StringConstraints(max_length=1000), AfterValidator(_url)] = ""
    article_title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    parent_id: Annotated[ExternalId | None, BeforeValidator(_no_parent)] = None
    author: Annotated[str, AfterValidator(_display_name)]
    author_email: Annotated[str, AfterValidator(_email)] = ""
    author_id: Annotated[
        str, BeforeValidator(_id), StringConstraints(strip_whitespace=True, max_length=200)
    ] = ""
    body: Annotated[str, AfterValidator(_body)]
    created_at: Annotated[AwareDatetime, AfterValidator(_not_ahead)]
    state: Literal["published", "held", "rejected", "deleted"] = "published"

    @model_validator(mode="after")
    def _text_unless_deleted(self) -> "CommentLine":
        if not self.body and self.state != "deleted":
            raise ValueError('"body" is empty (only a deleted comment may have no text)')
        return self


@dataclass(frozen=True)
class LineError:
    line_no: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line_no}: {self.message}"


@dataclass
class Plan:
    """What a file would import: its lines in the order of storing, or the errors that stop it."""

    lines: list[tuple[int, CommentLine]] = field(default_factory=list)
    # Lines whose comment this site imported before (from this file or another): skipped.
    known: int = 0
    errors: list[LineError] = field(default_factory=list)


def _message(error: ErrorDetails) -> str:
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f'unknown field "{where}"'
    if error["type"] == "missing":
        return f'"{where}" is missing'
    ctx = error.get("ctx") or {}
    # Our own checks' words, without pydantic's "Value error, " in front.
    text = str(ctx["error"]) if error["type"] == "value_error" and "error" in ctx else error["msg"]
    return f'"{where}": {text}' if where else text


def _parse(line_no: int, text: str, plan: Plan) -> tuple[str | None, CommentLine | None]:
    """The line's id as written (None without one) and the line, or None after noting its errors."""
    try:
        data = json.loads(text.strip())
    except json.JSONDecodeError as exc:
        plan.errors.append(LineError(line_no, f"not valid JSON ({exc.msg} at column {exc.colno})"))
        return None, None
    if not isinstance(data, dict):
        plan.errors.append(LineError(line_no, f"expected a JSON object, not {type(data).__name__}"))
        return None, None
    raw = _id(data.get("id"))
    key = raw.strip() if isinstance(raw, str) and raw.strip() else None
    try:
        return key, CommentLine.model_validate(data)
    except ValidationError as exc:
        plan.errors.extend(LineError(line_no, _message(e)) for e in exc.errors())
        return key, None


def _imported(site: Site, ids: Iterable[str]) -> dict[str, str]:
    """Of `ids`, those this site imported before, with their article's key."""
    wanted = sorted(ids)
    found: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        found.update(
            ImportedComment.objects.filter(site=site, external_id__in=wanted[i : i + 500]).values_list(
                "external_id", "comment__article__key"
            )
        )
    return found


def _in_order(todo: list[tuple[int, CommentLine]]) -> tuple[list[tuple[int, CommentLine]], list[int]]:
    """Oldest first, except that a reply never comes before its parent (another system's clocks may
    disagree); returns the order and the line numbers that can never come (loops of replies)."""
    in_file = {line.id for _, line in todo}
    done: set[str] = set()
    waiting: dict[str, list[tuple[int, CommentLine]]] = {}
    ordered: list[tuple[int, CommentLine]] = []
    for item in sorted(todo, key=lambda item: (item[1].created_at, item[0])):
        parent = item[1].parent_id
        if parent is not None and parent in in_file and parent not in done:
            waiting.setdefault(parent, []).append(item)
            continue
        stack = [item]
        while stack:
            line_no, line = stack.pop()
            ordered.append((line_no, line))
            done.add(line.id)
            stack.extend(reversed(waiting.pop(line.id, [])))
    return ordered, sorted(line_no for items in waiting.values() for line_no, _ in items)


def _parent_errors(
    good: dict[str, tuple[int, CommentLine]], known: dict[str, str], seen: dict[str, int]
) -> list[LineError]:
    """A reply's parent must be in the file or imported before, and under the same article."""
    errors = []
    for line_no, line in good.values():
        parent = line.parent_id
        if parent is None:
            continue
        if parent == line.id:
            errors.append(LineError(line_no, "a comment cannot reply to itself"))
            continue
        if parent in good:
            parent_article = good[parent][1].article
        elif parent in known:
            parent_article = known[parent]
        elif parent in seen:
            continue  # the parent's line has errors of its own, reported there
        else:
            errors.append(
                LineError(line_no, f'the parent "{parent}" is neither in this file nor imported before')
            )
            continue
        if parent_article != line.article:
            errors.append(
                LineError(
                    line_no,
                    f'the parent "{parent}" is under the article "{parent_article}", '
                    f'this reply under "{line.article}"',
                )
            )
    return errors


def check_lines(site: Site, texts: Iterable[str]) -> Plan:
    """Check every line of an import file for `site` and plan the order of storing; writes nothing."""
    plan = Plan()
    good: dict[str, tuple[int, CommentLine]] = {}
    seen: dict[str, int] = {}  # every id written on a line, good or bad: the line it is on
    for line_no, text in enumerate(texts, start=1):
        if not text.strip():
            continue
        key, line = _parse(line_no, text, plan)
        if key is not None and key in seen:
            plan.errors.append(LineError(line_no, f'the id "{key}" is already used on line {seen[key]}'))
            continue
        if key is not None:
            seen[key] = line_no
        if line is not None:
            good[line.id] = (line_no, line)
    known = _imported(site, set(good) | {line.parent_id for _, line in good.values() if line.parent_id})
    refused = _parent_errors(good, known, seen)
    plan.errors += refused
    bad_lines = {error.line_no for error in refused}
    todo = [(n, line) for n, line in good.values() if line.id not in known and n not in bad_lines]
    plan.known = sum(1 for line_id in good if line_id in known)
    plan.lines, looped = _in_order(todo)
    plan.errors += [LineError(n, "its chain of parents loops back on itself") for n in looped]
    plan.errors.sort(key=lambda error: error.line_no)
    if plan.errors:
        plan.lines = []
    return plan


def _queue(batch: ImportBatch, seqs: Iterable[int], chunk: int) -> int:
    ends = sorted({(seq // chunk + 1) * chunk for seq in seqs})
    for until in ends:
        enqueue(JOB, batch_id=batch.pk, until=until)
    return len(ends)


def do_queue_import(site: Site, plan: Plan, *, source: str, chunk: int = CHUNK) -> tuple[ImportBatch, int]:
    """Stage the plan's lines and queue a job per `chunk` of them, all once this transaction commits.
    Returns the batch and the number of jobs. Refuses a plan with errors: nothing is half-imported."""
    if plan.errors:
        raise InvalidInput(
            f"{len({e.line_no for e in plan.errors})} lines have errors; nothing was imported.",
            code="import_invalid",
        )
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


def _store(site: Site, line: CommentLine) -> Comment:
    article = ensure_article(site, line.article, url=line.article_url, title=line.article_title)
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
