"""The Disqus export (Moderation, Export: one XML file): `<thread>`s (link, title, identifier) and
`<post>`s (the comments: message HTML, createdAt in UTC, isDeleted, isSpam, author, thread, parent).

As Isso reads it (`isso/migrate.py`), with these differences: the article is keyed as `Options` says
(Isso takes the link's path); every thread is read, also one without an identifier (Disqus makes
such a second thread for a page, and its posts belong to the same article when keyed by address);
a post marked spam is kept as rejected rather than published; a post may come before its thread; a
thread marked closed (`isClosed`) is closed here too.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from townsquare.comments.importers.base import (
    Export,
    Options,
    article_key,
    author_email,
    author_name,
)
from townsquare.comments.importers.htmltext import html_to_body
from townsquare.comments.importers.xmlstream import Elements
from townsquare.comments.importlines import Record

NS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
PREFIX = "disqus:"
NAMES = {
    "id": "dsq:id",
    "article": "thread",
    "article_url": "thread/link",
    "article_title": "thread/title",
    "parent_id": "parent",
    "author": "author/name",
    "author_email": "author/email",
    "author_id": "author/username",
    "body": "message",
    "created_at": "createdAt",
}


CLOSED = "threads closed to comments there, closed here too"


@dataclass(frozen=True)
class Thread:
    link: str
    title: str
    identifier: str
    closed: bool = False


def _field(element: Element, name: str) -> str:
    return element.findtext(f"{NS}{name}") or ""


def _ref(element: Element, name: str) -> str:
    child = element.find(f"{NS}{name}")
    return (child.get(DSQ_ID) or "").strip() if child is not None else ""


def _true(element: Element, name: str) -> bool:
    return _field(element, name).strip().lower() == "true"


def _thread(element: Element) -> Thread:
    return Thread(
        _field(element, "link"),
        _field(element, "title").strip(),
        _field(element, "id"),
        closed=_true(element, "isClosed"),
    )


def _post(post: Element, notes: Counter[str]) -> dict[str, object]:
    """A post's fields, but for its article's."""
    author = post.find(f"{NS}author")
    name, username, email = (
        ((author.findtext(f"{NS}{field}") or "").strip() for field in ("name", "username", "email"))
        if author is not None
        else ("", "", "")
    )
    post_id, parent = (post.get(DSQ_ID) or "").strip(), _ref(post, "parent")
    state = "rejected" if _true(post, "isSpam") else "deleted" if _true(post, "isDeleted") else "published"
    data: dict[str, object] = {
        "author": author_name(name, username, notes=notes),
        "author_email": author_email(email, notes),
        "author_id": f"{PREFIX}{username}" if username else "",
        "body": html_to_body(_field(post, "message")),
        "created_at": _field(post, "createdAt").strip(),
        "state": state,
    }
    if post_id:
        data["id"] = f"{PREFIX}{post_id}"
    if parent:
        data["parent_id"] = f"{PREFIX}{parent}"
    return data


def _record(
    line_no: int, data: dict[str, object], ref: str, thread: Thread | None, options: Options
) -> Record:
    if thread is None:
        return Record(line_no, data, (f'its thread (dsq:id "{ref}") is not in the file',))
    key, problem = article_key(thread.link, thread.identifier, options)
    data |= {"article": key, "article_url": thread.link.strip(), "article_title": thread.title}
    if thread.closed:
        data["article_closed"] = True
    return Record(line_no, data, (problem,) if problem else ())


def read(path: Path, options: Options) -> Export:
    export = Export(iter(()), names=NAMES)
    export.records = _records(path, options, export.notes)
    return export


def _records(path: Path, options: Options, notes: Counter[str]) -> Iterator[Record]:
    elements = Elements(
        path,
        root=f"{NS}disqus",
        what="a Disqus export",
        emit={"thread": 1, "post": 1},
        mark={"thread": 1, "post": 1},
    )
    threads: dict[str, Thread] = {}
    # Posts whose thread comes later in the file (Disqus writes threads first, but nothing says so).
    waiting: list[tuple[int, dict[str, object], str]] = []
    closed: set[str] = set()  # closed threads with posts
    for element in elements:
        if element.tag == f"{NS}thread":
            threads[(element.get(DSQ_ID) or "").strip()] = _thread(element)
        elif element.tag == f"{NS}post":
            line_no, ref = elements.line(element), _ref(element, "thread")
            if ref in threads:
                closed.update([ref] if threads[ref].closed else [])
                yield _record(line_no, _post(element, notes), ref, threads[ref], options)
            else:
                waiting.append((line_no, _post(element, notes), ref))
    for line_no, data, ref in waiting:
        thread = threads.get(ref)
        closed.update([ref] if thread is not None and thread.closed else [])
        yield _record(line_no, data, ref, thread, options)
    if closed:
        notes[CLOSED] += len(closed)
