"""The Gazette moves its comments over from Isso: `townsquare import_comments --format isso`."""

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from townsquare.comments.models import Article, Comment, ImportBatch
from townsquare.comments.tests.importing import FIXTURES, imported, refused, run
from townsquare.sites.models import Site

# Isso's own tables (isso/db), as its server makes them.
SCHEMA = """
CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE comments (
    tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER, created FLOAT NOT NULL,
    modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR, author VARCHAR, email VARCHAR,
    website VARCHAR, likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
    notification INTEGER DEFAULT 0
);
"""
THREADS = [(1, "/2024/03/harbour-plan/", "The harbour plan"), (2, "/2024/04/bridge-vote/", None)]


def at(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


# (id, thread, parent, created, mode, author, email, text): Jane starts the thread, Sam answers
# (with some HTML), Jane's answer waits in Isso's queue; a deleted comment (Isso blanks it) has an
# anonymous reply; Night Owl comments on the bridge.
COMMENTS: list[tuple[Any, ...]] = [
    (1, 1, None, at("2024-03-01T09:30:00+00:00"), 1, "Jane Doe", "jane@example.org",
     "Finally, a *plan* for the harbour.\n\nSee [the port's page](https://port.example/plan)."),
    (2, 1, 1, at("2024-03-01T11:00:00+01:00"), 1, "Sam", "sam@example.net",
     "It will cost <b>more</b> than they say."),
    (3, 1, 2, at("2024-03-01T11:15:00+00:00"), 2, "Jane Doe", "jane@example.org", "Everything does."),
    (4, 1, None, at("2024-03-02T09:00:00+00:00"), 4, None, None, ""),
    (5, 1, 4, at("2024-03-02T09:30:00+00:00"), 1, None, "none", "Why was this deleted?"),
    (6, 2, None, at("2024-04-02T18:45:00+00:00"), 1, "Night Owl", "", "The bridge can wait."),
]  # fmt: skip


def isso_db(path: Path, comments: list[tuple[Any, ...]] = COMMENTS) -> Path:
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO threads VALUES (?, ?, ?)", THREADS)
    db.executemany(
        "INSERT INTO comments (id, tid, parent, created, mode, author, email, text, remote_addr, voters)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, '192.0.2.0', x'00')",
        comments,
    )
    db.commit()
    db.close()
    return path


@pytest.fixture
def comments_db(tmp_path: Path) -> Path:
    return isso_db(tmp_path / "comments.db")


@pytest.fixture
def moved(gazette: Site, comments_db: Path, django_capture_on_commit_callbacks: Any) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        return run(comments_db, "--format", "isso", "--base-url", "https://gazette.example")


def test_each_isso_thread_becomes_the_article_at_its_address(moved: str):
    assert "6 comments to import (0 imported before" in moved
    assert list(Article.objects.order_by("key").values_list("key", "url", "title")) == [
        (
            "https://gazette.example/2024/03/harbour-plan/",
            "https://gazette.example/2024/03/harbour-plan/",
            "The harbour plan",
        ),
        ("https://gazette.example/2024/04/bridge-vote/", "https://gazette.example/2024/04/bridge-vote/", ""),
    ]


def test_modes_become_states_and_replies_keep_their_parents(moved: str):
    states = {c.imported_as.external_id: c.state for c in Comment.objects.all()}
    assert states == {
        "isso:1": "published",
        "isso:2": "published",
        "isso:3": "held",  # pending in Isso
        "isso:4": "deleted",
        "isso:5": "published",
        "isso:6": "published",
    }
    assert imported("isso:2").parent == imported("isso:1")
    assert imported("isso:3").parent == imported("isso:2")
    assert imported("isso:5").parent == imported("isso:4")


def test_authors_and_times(moved: str):
    jane = imported("isso:1").author
    assert imported("isso:3").author == jane and jane.email == "jane@example.org"
    anonymous = imported("isso:5").author
    assert anonymous.profile.display_name == "Anonymous" and anonymous.email == ""
    assert "e-mail addresses that are not valid, left out: 1." in moved
    assert imported("isso:1").created_at.isoformat() == "2024-03-01T09:30:00+00:00"
    assert imported("isso:2").created_at.isoformat() == "2024-03-01T10:00:00+00:00"


def test_the_markdown_stays_and_the_html_becomes_markdown(moved: str):
    assert imported("isso:1").body == COMMENTS[0][7]
    assert imported("isso:1").html == (
        "<p>Finally, a <em>plan</em> for the harbour.</p>\n<p>See "
        '<a href="https://port.example/plan" target="_blank" rel="nofollow ugc noopener noreferrer">'
        "the port's page</a>.</p>"
    )
    assert imported("isso:2").body == "It will cost **more** than they say."


def test_articles_can_be_keyed_by_the_path_isso_kept(
    gazette, comments_db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(comments_db, "--format", "isso", "--key", "path")
    assert set(Article.objects.values_list("key", "url")) == {
        ("/2024/03/harbour-plan/", ""),
        ("/2024/04/bridge-vote/", ""),
    }


def test_keyed_by_address_isso_needs_the_sites_address(gazette, comments_db):
    refusal, _ = refused(comments_db, "--format", "isso")
    assert "give --base-url" in refusal
    refusal, _ = refused(comments_db, "--format", "isso", "--key", "id")
    assert "Isso knows its threads by their path only" in refusal
    refusal, _ = refused(comments_db, "--format", "isso", "--base-url", "gazette.example")
    assert "--base-url must be an http:// or https:// address" in refusal


def test_importing_the_database_again_adds_nothing_and_never_changes_it(
    moved, comments_db, django_capture_on_commit_callbacks
):
    before = comments_db.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        again = run(comments_db, "--format", "isso", "--base-url", "https://gazette.example")
    assert "nothing new (6 comments imported before)" in again
    assert Comment.objects.count() == 6 and ImportBatch.objects.count() == 1
    assert comments_db.read_bytes() == before


def test_bad_comments_are_named_by_their_id_and_nothing_is_stored(gazette, tmp_path):
    broken = [
        *COMMENTS[:2],
        (3, 1, 2, at("2024-03-01T11:15:00+00:00"), 3, "Jane Doe", "", "Hm."),
        (7, 9, None, at("2024-03-01T11:15:00+00:00"), 1, "Lost", "", "Where am I?"),
    ]
    refusal, report = refused(isso_db(tmp_path / "broken.db", broken), "--format", "isso", "--key", "path")
    assert "2 comments have errors; nothing was imported" in refusal
    assert "comment 3: its mode is 3: 1 (published), 2 (pending) or 4 (deleted) was expected" in report
    assert "comment 7: its thread is not in the database" in report
    assert not Comment.objects.exists() and not ImportBatch.objects.exists()


def test_a_file_that_is_not_an_isso_database_is_refused(gazette, tmp_path):
    refusal, _ = refused(FIXTURES / "disqus.xml", "--format", "isso", "--key", "path")
    assert "not an SQLite database (file is not a database)" in refusal
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR, title VARCHAR)")
    db.close()
    refusal, _ = refused(other, "--format", "isso", "--key", "path")
    assert "not an Isso database: it has no table comments" in refusal
    refusal, _ = refused(tmp_path / "missing.db", "--format", "isso", "--key", "path")
    assert "no such file" in refusal
