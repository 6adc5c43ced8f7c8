"""An Isso database (the SQLite file its `dbpath` names): `threads` (id, uri, title) and `comments`
(id, tid, parent, created as Unix time, mode, author, email, text).

Isso keeps only each thread's path (`uri`, as its embed sends it), so an article keyed by address
needs `--base-url`, the site's address the paths are under. Modes: 1 published, 2 pending (held here),
4 deleted (Isso keeps a deleted comment that has replies, blanked). The text is what the reader typed,
Markdown that may hold some HTML (Isso renders both): the HTML becomes Markdown, the rest stays. The
file is opened read-only; errors name the comment by its id in Isso.
"""

import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from townsquare.comments.importers.base import (
    Export,
    ImportFileError,
    Options,
    author_email,
    author_name,
)
from townsquare.comments.importers.htmltext import html_to_body
from townsquare.comments.importlines import Record

PREFIX = "isso:"
STATES = {1: "published", 2: "held", 4: "deleted"}
NEEDED = {
    "threads": {"id", "uri", "title"},
    "comments": {"id", "tid", "parent", "created", "mode", "author", "email", "text"},
}
NAMES = {
    "article": "threads.uri",
    "article_url": "threads.uri",
    "article_title": "threads.title",
    "author": "author",
    "author_email": "email",
    "body": "text",
    "created_at": "created",
}
QUERY = """
    SELECT c.id, c.parent, c.created, c.mode, c.author, c.email, c.text, t.id, t.uri, t.title
    FROM comments AS c LEFT JOIN threads AS t ON t.id = c.tid
    ORDER BY c.id
"""


def read(path: Path, options: Options) -> Export:
    if options.key == "id":
        raise ImportFileError("Isso knows its threads by their path only: use --key path or --key url")
    if options.key == "url" and not options.base_url:
        raise ImportFileError(
            "Isso keeps each thread's path, not its address: give --base-url (the site's address, "
            "such as https://gazette.example) or use --key path"
        )
    export = Export(iter(()), unit="comment", names=NAMES)
    export.records = _records(path, options, export.notes)
    return export


def _connect(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise ImportFileError("no such file")
    # Read-only: an import never changes the other system's data.
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for table, needed in NEEDED.items():
            columns = {row[0] for row in db.execute("SELECT name FROM pragma_table_info(?)", (table,))}
            if not columns:
                raise ImportFileError(f"not an Isso database: it has no table {table}")
            if missing := needed - columns:
                raise ImportFileError(
                    f"not an Isso database: its table {table} lacks {', '.join(sorted(missing))}"
                )
    except sqlite3.DatabaseError as exc:
        db.close()
        raise ImportFileError(f"not an SQLite database ({exc})") from exc
    except ImportFileError:
        db.close()
        raise
    return db


def _records(path: Path, options: Options, notes: Counter[str]) -> Iterator[Record]:
    db = _connect(path)
    try:
        for row in db.execute(QUERY):
            yield _record(row, options, notes)
    except sqlite3.DatabaseError as exc:
        raise ImportFileError(f"the database cannot be read ({exc})") from exc
    finally:
        db.close()


def _record(row: tuple[object, ...], options: Options, notes: Counter[str]) -> Record:
    comment_id, parent, created, mode, author, email, text, thread, uri, title = row
    data: dict[str, object] = {
        "id": f"{PREFIX}{comment_id}",
        "author": author_name(str(author or ""), notes=notes),
        "author_email": author_email(str(email or ""), notes),
        "body": html_to_body(str(text or ""), newlines=True, escape=False),
    }
    problems = []
    if parent is not None:
        data["parent_id"] = f"{PREFIX}{parent}"
    state = STATES.get(mode) if isinstance(mode, int) else None
    if state is None:
        problems.append(f"its mode is {mode!r}: 1 (published), 2 (pending) or 4 (deleted) was expected")
    else:
        data["state"] = state
    if isinstance(created, int | float) and not isinstance(created, bool):
        data["created_at"] = datetime.fromtimestamp(created, tz=UTC).isoformat()
    else:
        problems.append(f"its time (created) is {created!r}, not a Unix time")
    if thread is None:
        problems.append("its thread is not in the database")
    else:
        path = str(uri or "").strip()
        url = f"{options.base_url.rstrip('/')}/{path.lstrip('/')}" if options.base_url and path else ""
        key = url if options.key == "url" else path
        data |= {"article": key, "article_url": url, "article_title": str(title or "").strip()}
    line_no = comment_id if isinstance(comment_id, int) else 0
    return Record(line_no, data, tuple(problems))
