"""The WordPress export (Tools, Export: a WXR file, RSS with `wp:` elements): `<item>`s are posts and pages
(link, title, `wp:post_id`, `wp:comment_status`), each with its `<wp:comment>`s.

As Isso reads it (`isso/migrate.py`): the `wp:` namespace of any WXR version (1.0 to 1.2); the time from
`comment_date_gmt` (UTC; `comment_date` is the blog's local time, whose zone the file does not say); a
parent of "0" means none. Unlike Isso: pingbacks and trackbacks are notices from other sites, not
comments, and are skipped (and counted); spam and trashed comments are kept, rejected and deleted, where
Isso makes every unapproved comment pending; the body is WordPress's raw comment text, where a newline is
a line break (WordPress adds paragraphs only on display); a comment whose `comment_date_gmt` is
WordPress's "no date" (0000-00-00 00:00:00, as some plugins and older importers leave it) keeps its local
`comment_date`, taken as UTC and counted, where Isso stops; a post closed to comments is closed here too.
"""

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from townsquare.comments.importers.base import (
    Export,
    ImportFileError,
    Options,
    article_key,
    author_email,
    author_name,
    utc,
)
from townsquare.comments.importers.htmltext import html_to_body
from townsquare.comments.importers.xmlstream import Elements, local
from townsquare.comments.importlines import Record

WP_NS = re.compile(r"\{http://wordpress\.org/export/1\.\d+/\}")
PREFIX = "wordpress:"
STATES = {"1": "published", "0": "held", "spam": "rejected", "trash": "deleted", "post-trashed": "deleted"}
NOT_COMMENTS = ("pingback", "trackback")
SKIPPED = "pingbacks and trackbacks skipped (notices from other sites, not comments)"
CLOSED = "posts closed to comments there, closed here too"
LAYOUT = "%Y-%m-%d %H:%M:%S"
NO_DATE = ("", "0000-00-00 00:00:00")
LOCAL_AS_UTC = (
    "comments without a time in UTC (wp:comment_date_gmt 0000-00-00): their local time "
    "(wp:comment_date) was taken as UTC, and may be off by the blog's time zone"
)
NAMES = {
    "id": "wp:comment_id",
    "article": "item",
    "article_url": "item/link",
    "article_title": "item/title",
    "parent_id": "wp:comment_parent",
    "author": "wp:comment_author",
    "author_email": "wp:comment_author_email",
    "author_id": "wp:comment_user_id",
    "body": "wp:comment_content",
    "created_at": "wp:comment_date_gmt",
}


def _wp(element: Element) -> dict[str, Element]:
    """The element's children in the `wp:` namespace, by local name (the first of each)."""
    children: dict[str, Element] = {}
    for child in element:
        if WP_NS.match(child.tag):
            children.setdefault(local(child.tag), child)
    return children


def _comments(item: Element) -> list[Element]:
    return [child for child in item if WP_NS.match(child.tag) and local(child.tag) == "comment"]


def _text(fields: dict[str, Element], name: str) -> str:
    element = fields.get(name)
    return (element.text or "").strip() if element is not None else ""


def prefix(link: str) -> str:
    """The ids' prefix for a post at `link`: comment and user ids count from 1 in every blog, so two
    blogs moved into one site would take each other's comments for imported ones (and their readers
    for each other) without the blog's host."""
    host = urlsplit(link).hostname or ""
    return f"{PREFIX}{host}:" if host else PREFIX


def _record(
    line_no: int,
    fields: dict[str, Element],
    article: dict[str, object],
    no_key: str | None,
    skipped: set[str],
    notes: Counter[str],
) -> Record:
    """The record of a comment (`fields`: its `wp:` children) under `article`; `no_key` says why the
    article has no key, if it has none; `skipped` are the ids of the post's pingbacks."""
    comment_id, parent = _text(fields, "comment_id"), _text(fields, "comment_parent")
    user = _text(fields, "comment_user_id")
    ids = prefix(str(article["article_url"]))
    data: dict[str, object] = {
        **article,
        "author": author_name(_text(fields, "comment_author"), notes=notes),
        "author_email": author_email(_text(fields, "comment_author_email"), notes),
        "author_id": f"{ids}user-{user}" if user not in ("", "0") else "",
        "body": html_to_body(_text(fields, "comment_content"), newlines=True),
    }
    problems = [no_key] if no_key else []
    if comment_id:
        data["id"] = f"{ids}{comment_id}"
    # A reply to a pingback answers the other site's notice: here it stands on its own.
    if parent not in ("", "0", *skipped):
        data["parent_id"] = f"{ids}{parent}"
    approved = _text(fields, "comment_approved")
    if approved in STATES:
        data["state"] = STATES[approved]
    else:
        problems.append(f'wp:comment_approved is "{approved}": 1, 0, spam or trash was expected')
    created, problem = _created(fields, notes)
    if problem:
        problems.append(problem)
    else:
        data["created_at"] = created
    return Record(line_no, data, tuple(problems))


def _created(fields: dict[str, Element], notes: Counter[str]) -> tuple[str, str | None]:
    """The comment's time in UTC as ISO 8601, or why it has none."""
    written = _text(fields, "comment_date_gmt")
    created = utc(written, LAYOUT)
    if created is not None:
        return created, None
    if written not in NO_DATE:
        return "", (
            f'wp:comment_date_gmt is "{written}", not a time as WordPress writes it (2024-03-01 09:30:00); '
            "its time in UTC is unknown"
        )
    local = _text(fields, "comment_date")
    created = utc(local, LAYOUT)
    if created is None:
        return "", (
            f'wp:comment_date_gmt is "{written}" and wp:comment_date "{local}": '
            "the comment has no time as WordPress writes it (2024-03-01 09:30:00)"
        )
    notes[LOCAL_AS_UTC] += 1
    return created, None


def read(path: Path, options: Options) -> Export:
    export = Export(iter(()), names=NAMES)
    export.records = _records(path, options, export.notes)
    return export


def _records(path: Path, options: Options, notes: Counter[str]) -> Iterator[Record]:
    # rss > channel > item > wp:comment
    elements = Elements(
        path,
        root="rss",
        what="a WordPress export (WXR)",
        emit={"item": 2},
        mark={"comment": 3},
    )
    posts = 0
    for item in elements:
        fields = _wp(item)
        if "post_id" not in fields:
            continue  # an RSS item, not a WordPress post
        posts += 1
        link = (item.findtext("link") or "").strip()
        key, problem = article_key(link, _text(fields, "post_id"), options)
        article: dict[str, object] = {
            "article": key,
            "article_url": link,
            "article_title": (item.findtext("title") or "").strip(),
        }
        comments = [(elements.line(comment), _wp(comment)) for comment in _comments(item)]
        if _text(fields, "comment_status") == "closed" and comments:
            article["article_closed"] = True
            notes[CLOSED] += 1
        pings = [_text(f, "comment_id") for _, f in comments if _text(f, "comment_type") in NOT_COMMENTS]
        if pings:
            notes[SKIPPED] += len(pings)
        for line_no, fields in comments:
            if _text(fields, "comment_type") not in NOT_COMMENTS:
                yield _record(line_no, fields, article, problem, set(pings), notes)
    if not posts:
        raise ImportFileError("not a WordPress export (WXR): it has no <wp:post_id>")
