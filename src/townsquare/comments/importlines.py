"""The lines of an import file (`townsquare import_comments`): their fields and the checks that plan an
import. Nothing here writes; `comments.imports` stages and stores what a `Plan` holds.

Every line is checked before anything is stored, and a file with one bad line stores nothing: each
error names its line, so the export can be fixed and imported again. Another system's export is
first read into `Record`s by a converter (`comments.importers`), and checked here like a line.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
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

from townsquare.accounts.actions import check_display_name, check_email, clean_display_name
from townsquare.comments.models import ImportedComment
from townsquare.errors import InvalidInput
from townsquare.sites.models import Site

# A guard against a broken export, not a policy: the other system may have allowed more than
# COMMENT_MAX_LENGTH, and its comments keep their text.
BODY_MAX = 100_000
# Another system's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


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
    # The other system may have allowed longer names, or invisible characters in them: the first
    # DISPLAY_NAME_MAX characters stay, the invisible ones go (the author cannot correct them here).
    return _checked(check_display_name, clean_display_name(value))


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
    # The thread was closed to new comments in the other system (`imports._close_if_closed_there`).
    article_closed: bool = False

    @model_validator(mode="after")
    def _text_unless_deleted(self) -> "CommentLine":
        if not self.body and self.state != "deleted":
            raise ValueError('"body" is empty (only a deleted comment may have no text)')
        return self


@dataclass(frozen=True)
class LineError:
    line_no: int
    message: str
    # What `line_no` counts: a line of the file, or for a database the comment's number in it.
    unit: str = "line"

    def __str__(self) -> str:
        return f"{self.unit} {self.line_no}: {self.message}"


@dataclass(frozen=True)
class Record:
    """One comment as read from a file, before its checks: the fields of a `CommentLine` (a JSON
    line's object, or what a converter made of another system's export), or why it could not be
    read at all (`problems`; `data` then holds what could be, its "id" at least when known)."""

    line_no: int
    data: Mapping[str, object]
    problems: tuple[str, ...] = ()


@dataclass
class Plan:
    """What a file would import: its lines in the order of storing, or the errors that stop it."""

    lines: list[tuple[int, CommentLine]] = field(default_factory=list)
    # Lines whose comment this site imported before (from this file or another): skipped.
    known: int = 0
    errors: list[LineError] = field(default_factory=list)

    def refusal(self) -> str:
        """How many lines (or comments) have errors: "1 line has errors"."""
        bad = len({error.line_no for error in self.errors})
        unit = self.errors[0].unit if self.errors else "line"
        return f"{bad} {unit} has errors" if bad == 1 else f"{bad} {unit}s have errors"


def _message(error: ErrorDetails, names: Mapping[str, str]) -> str:
    where = ".".join(str(part) for part in error["loc"])
    where = names.get(where, where)
    if error["type"] == "extra_forbidden":
        return f'unknown field "{where}"'
    if error["type"] == "missing":
        return f'"{where}" is missing'
    ctx = error.get("ctx") or {}
    # Our own checks' words, without pydantic's "Value error, " in front.
    text = str(ctx["error"]) if error["type"] == "value_error" and "error" in ctx else error["msg"]
    return f'"{where}": {text}' if where else text


def json_records(texts: Iterable[str]) -> Iterator[Record]:
    """The records of a JSON Lines file, numbered by line; blank lines are skipped."""
    for line_no, text in enumerate(texts, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text.strip())
        except json.JSONDecodeError as exc:
            yield Record(line_no, {}, (f"not valid JSON ({exc.msg} at column {exc.colno})",))
            continue
        if not isinstance(data, dict):
            yield Record(line_no, {}, (f"expected a JSON object, not {type(data).__name__}",))
            continue
        yield Record(line_no, data)


def _validate(record: Record, names: Mapping[str, str]) -> tuple[str | None, CommentLine | None, list[str]]:
    """The record's id as written (None without one), and its line or the reasons it is refused."""
    raw = _id(record.data.get("id"))
    key = raw.strip() if isinstance(raw, str) and raw.strip() else None
    if record.problems:
        return key, None, list(record.problems)
    try:
        return key, CommentLine.model_validate(record.data), []
    except ValidationError as exc:
        return key, None, [_message(e, names) for e in exc.errors()]


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
    """Check every line of a JSON Lines import file for `site` and plan the order of storing; writes
    nothing."""
    return check_records(site, json_records(texts))


def check_records(
    site: Site, records: Iterable[Record], *, unit: str = "line", names: Mapping[str, str] | None = None
) -> Plan:
    """Check every record for `site` and plan the order of storing; writes nothing. `unit` names what
    a record's number counts, `names` the source's own names for `CommentLine`'s fields, so an
    error speaks of the field as the export writes it."""
    plan = Plan()
    good: dict[str, tuple[int, CommentLine]] = {}
    seen: dict[str, int] = {}  # every id written on a record, good or bad: the record it is on
    for record in records:
        line_no = record.line_no
        key, line, problems = _validate(record, names or {})
        plan.errors += [LineError(line_no, problem) for problem in problems]
        if key is not None and key in seen:
            plan.errors.append(LineError(line_no, f'the id "{key}" is already used on {unit} {seen[key]}'))
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
    plan.errors = sorted((replace(error, unit=unit) for error in plan.errors), key=lambda e: e.line_no)
    if plan.errors:
        plan.lines = []
    return plan
