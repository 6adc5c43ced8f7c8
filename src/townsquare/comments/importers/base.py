"""What every converter shares: the export it returns, the file error it raises, and how an article's
key, an author and a time are made from another system's fields."""

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

from townsquare.accounts.actions import check_email
from townsquare.comments.importlines import Record
from townsquare.errors import InvalidInput

Key = Literal["url", "path", "id"]
KEYS: tuple[Key, ...] = ("url", "path", "id")
# Some systems allow a comment without a name; a Townsquare author always has one.
NAMELESS = "Anonymous"


class ImportFileError(Exception):
    """The file as a whole cannot be read as the format named: not that format, not well-formed, or
    refused as hostile. Raised while its records are read, before anything is stored."""


@dataclass(frozen=True)
class Options:
    """How a converter keys articles: by the thread's full address (`url`, as embed.js keys a page
    without `data-article`), its path (`path`, with the query if it has one), or the other system's
    own identifier of it (`id`: Disqus's identifier, WordPress's post id). `base_url` completes the
    paths Isso keeps into addresses."""

    key: Key = "url"
    base_url: str = ""


@dataclass
class Export:
    """An export being read: its records (a generator: read once, in the order of the file), what a
    record's number counts, the export's own names for `CommentLine`'s fields (for error messages),
    and, filled in while the records are read, what was left out or changed and how often."""

    records: Iterator[Record]
    unit: str = "line"
    names: Mapping[str, str] = field(default_factory=dict)
    notes: Counter[str] = field(default_factory=Counter)


def article_key(url: str, identifier: str, options: Options) -> tuple[str, str | None]:
    """The article key for a thread at `url` with the other system's `identifier`: the key, or None
    and why there is none."""
    url, identifier = url.strip(), identifier.strip()
    if options.key == "id":
        return (identifier, None) if identifier else ("", "its thread has no identifier (try --key url)")
    if not url:
        return "", "its thread has no address (try --key id)"
    if options.key == "url":
        return url, None
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), None


def author_name(*names: str, notes: Counter[str]) -> str:
    """The first of `names` that is not blank, or NAMELESS (counted in `notes`)."""
    for name in names:
        if name.strip():
            return name
    notes[f'authors without a name, shown as "{NAMELESS}"'] += 1
    return NAMELESS


def author_email(email: str, notes: Counter[str]) -> str:
    """`email`, or nothing if it is not a valid address (counted in `notes`). An imported author is
    never mailed and cannot correct it: the address only tells authors apart, and a typo in another
    system's field must not stop a newsroom's move."""
    try:
        return check_email(email)
    except InvalidInput:
        notes["e-mail addresses that are not valid, left out"] += 1
        return ""


def utc(timestamp: str, layout: str) -> str | None:
    """`timestamp` in `layout`, a time in UTC, as ISO 8601; None if it is not in that layout."""
    try:
        return datetime.strptime(timestamp.strip(), layout).replace(tzinfo=UTC).isoformat()
    except ValueError:
        return None
