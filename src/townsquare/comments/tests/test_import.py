"""The Gazette moves its comments over from its old system: `townsquare import_comments`."""

import json
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from townsquare.accounts.models import Profile
from townsquare.comments import importlines, imports
from townsquare.comments.models import Article, Comment, ImportBatch, ImportedComment, ImportLine
from townsquare.moderation.models import ModerationEvent
from townsquare.sites.models import Site

# The old system's thread under "harbour-plan": Jane starts it, Sam answers, Jane answers Sam; a
# comment held there, one deleted there that has a reply, and one rejected there.
OLD_THREAD: list[dict[str, Any]] = [
    {
        "id": "c-1",
        "article": "harbour-plan",
        "article_url": "https://gazette.example/harbour-plan",
        "article_title": "The harbour plan",
        "author": "Jane Doe",
        "author_email": "jane@example.org",
        "author_id": "u-7",
        "body": "Finally, a plan for the *harbour*.",
        "created_at": "2024-03-01T09:30:00Z",
    },
    {
        "id": "c-2",
        "article": "harbour-plan",
        "parent_id": "c-1",
        "author": "Sam",
        "body": "It will cost more than they say.",
        "created_at": "2024-03-01T10:00:00Z",
    },
    {
        "id": 3,
        "article": "harbour-plan",
        "parent_id": "c-2",
        "author": "Jane Doe",
        "author_id": "u-7",
        "body": "Everything does.",
        "created_at": "2024-03-01T11:15:00+01:00",
    },
    {
        "id": "c-4",
        "article": "harbour-plan",
        "author": "Sam",
        "body": "Call me on 555-0100 about the boats.",
        "created_at": "2024-03-02T08:00:00Z",
        "state": "held",
    },
    {
        "id": "c-5",
        "article": "harbour-plan",
        "author": "Quiet Reader",
        "body": "",
        "created_at": "2024-03-02T09:00:00Z",
        "state": "deleted",
    },
    {
        "id": "c-6",
        "article": "harbour-plan",
        "parent_id": "c-5",
        "author": "Sam",
        "body": "Why was this deleted?",
        "created_at": "2024-03-02T09:30:00Z",
    },
    {
        "id": "c-7",
        "article": "harbour-plan",
        "author": "Shouter",
        "body": "YOU ARE ALL IDIOTS",
        "created_at": "2024-03-02T10:00:00Z",
        "state": "rejected",
    },
]


def write(tmp_path: Any, rows: list[Any], name: str = "old.jsonl") -> str:
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return str(path)


def run(path: str, *options: str) -> str:
    out = StringIO()
    call_command("import_comments", "--site", "gazette", *options, path, stdout=out, stderr=StringIO())
    return out.getvalue()


def imported(external_id: str) -> Comment:
    return ImportedComment.objects.select_related("comment").get(external_id=external_id).comment


@pytest.fixture
def harbour(gazette: Site, tmp_path: Any, django_capture_on_commit_callbacks: Any) -> Article:
    with django_capture_on_commit_callbacks(execute=True):
        out = run(write(tmp_path, OLD_THREAD))
    assert "7 comments to import (0 imported before" in out
    return Article.objects.get(site=gazette, key="harbour-plan")


def test_imported_comments_keep_their_text_time_and_state(harbour: Article):
    assert (harbour.url, harbour.title) == ("https://gazette.example/harbour-plan", "The harbour plan")
    first, reply, answer = imported("c-1"), imported("c-2"), imported("3")
    assert first.body == "Finally, a plan for the *harbour*."
    assert first.html == "<p>Finally, a plan for the <em>harbour</em>.</p>"
    assert first.created_at.isoformat() == "2024-03-01T09:30:00+00:00"
    assert answer.created_at.isoformat() == "2024-03-01T10:15:00+00:00"
    assert (reply.parent, reply.root, reply.depth) == (first, first, 1)
    assert (answer.parent, answer.root, answer.depth) == (reply, first, 2)
    states = {c.imported_as.external_id: c.state for c in Comment.objects.filter(article=harbour)}
    assert states == {
        "c-1": "published",
        "c-2": "published",
        "3": "published",
        "c-4": "held",  # a phone number: our pipeline would hold it too, but it was not asked
        "c-5": "deleted",
        "c-6": "published",
        "c-7": "rejected",
    }
    assert imported("c-4").decided_by == "imported"
    assert imported("c-4").reasons[0]["text"] == "Held for review in the previous system."
    assert ImportBatch.objects.get().finished_at is not None
    assert not ImportLine.objects.exists()


def test_each_imported_comment_has_one_audit_row_and_skips_the_pipeline(gazette: Site, harbour: Article):
    events = ModerationEvent.objects.filter(site=gazette)
    assert events.count() == 7
    assert set(events.values_list("source", "action", "from_state")) == {("system", "import", "")}
    assert events.get(comment=imported("c-7")).to_state == "rejected"
    assert not events.filter(source="pipeline").exists()


def test_authors_become_placeholders_who_cannot_sign_in_nor_get_email(harbour: Article):
    jane = imported("c-1").author
    assert imported("3").author == jane  # the same author id: one account
    assert jane.profile.display_name == "Jane Doe" and jane.profile.external_id == "u-7"
    assert jane.email == "jane@example.org"
    assert not jane.has_usable_password() and not jane.is_active
    assert not jane.profile.email_confirmed  # the other system's word is not the author's
    assert imported("c-2").author == imported("c-6").author  # known by name only: one account
    assert mail.outbox == []  # Sam's reply to Jane is years old: no notification


def test_an_authors_invisible_characters_are_dropped_not_refused(
    gazette, tmp_path, django_capture_on_commit_callbacks
):
    line = {**OLD_THREAD[0], "author": "Jane\u200b \u202eDoe"}
    with django_capture_on_commit_callbacks(execute=True):
        run(write(tmp_path, [line]))
    assert imported("c-1").author.profile.display_name == "Jane Doe"


def test_a_placeholder_never_takes_a_readers_display_name(
    gazette, alice, tmp_path, django_capture_on_commit_callbacks
):
    line = {**OLD_THREAD[0], "author": "Alice", "author_id": "u-1"}
    with django_capture_on_commit_callbacks(execute=True):
        run(write(tmp_path, [line]))
    assert imported("c-1").author.profile.display_name == "Alice 2"
    assert alice.profile.display_name == "Alice"


def test_the_thread_shows_imported_comments_in_their_order(client: Client, harbour: Article):
    response = client.get(f"/api/v1/articles/{harbour.pk}/comments?sort=oldest")
    assert response.status_code == 200
    tops = response.json()["comments"]
    # Held and rejected comments stay hidden; the deleted one shows as a placeholder for its reply.
    assert [(c["status"], c["created_at"][:16]) for c in tops] == [
        ("published", "2024-03-01T09:30"),
        ("deleted", "2024-03-02T09:00"),
    ]
    jane, removed = tops
    assert jane["author"] == {"display_name": "Jane Doe"} and jane["reply_count"] == 1
    (sam,) = jane["replies"]
    assert sam["html"] == "<p>It will cost more than they say.</p>"
    assert [r["html"] for r in sam["replies"]] == ["<p>Everything does.</p>"]
    assert removed["author"] is None and removed["html"] == ""
    assert [r["html"] for r in removed["replies"]] == ["<p>Why was this deleted?</p>"]
    newest = client.get(f"/api/v1/articles/{harbour.pk}/comments").json()["comments"]
    assert [c["id"] for c in newest] == [removed["id"], jane["id"]]


def test_bad_lines_are_named_with_their_numbers_and_nothing_is_stored(gazette, tmp_path):
    good = OLD_THREAD[0]
    path = write(
        tmp_path,
        [
            good,
            '{"id": "c-2", "article": "harbour-plan"',
            {**good, "id": "c-3", "created_at": "2024-03-01 09:30"},
            {**good, "id": "c-4", "state": "spam"},
            {**good, "id": "c-5", "likes": 4},
            {key: value for key, value in good.items() if key != "body"} | {"id": "c-6"},
            {**good, "id": "c-1"},
            {**good, "id": "c-8", "parent_id": "c-99"},
            {**good, "id": "c-9", "article": "other-story", "parent_id": "c-1"},
            {**good, "id": "c-10", "author_email": "jane at example"},
            ["not", "an", "object"],
            "",
        ],
    )
    err = StringIO()
    with pytest.raises(CommandError, match="10 lines have errors; nothing was imported"):
        call_command("import_comments", "--site", "gazette", path, stdout=StringIO(), stderr=err)
    report = err.getvalue()
    for expected in [
        "line 2: not valid JSON",
        'line 3: "created_at": Input should have timezone info',
        'line 4: "state": Input should be',
        'line 5: unknown field "likes"',
        'line 6: "body" is missing',
        'line 7: the id "c-1" is already used on line 1',
        'line 8: the parent "c-99" is neither in this file nor imported before',
        'line 9: the parent "c-1" is under the article "harbour-plan", this reply under "other-story"',
        'line 10: "author_email": That e-mail address is not valid.',
        "line 11: expected a JSON object, not list",
    ]:
        assert expected in report, report
    assert "line 1:" not in report and "line 12" not in report
    assert not Comment.objects.exists() and not ImportBatch.objects.exists()
    assert not ModerationEvent.objects.exists() and not Profile.objects.exists()


def test_replies_in_a_loop_are_refused(gazette):
    rows = [
        {**OLD_THREAD[1], "id": "a", "parent_id": "b"},
        {**OLD_THREAD[1], "id": "b", "parent_id": "a"},
        {**OLD_THREAD[1], "id": "c", "parent_id": "c"},
    ]
    plan = importlines.check_lines(gazette, [json.dumps(r) for r in rows])
    assert [str(e) for e in plan.errors] == [
        "line 1: its chain of parents loops back on itself",
        "line 2: its chain of parents loops back on itself",
        "line 3: a comment cannot reply to itself",
    ]
    assert plan.lines == []


def test_running_a_chunk_twice_stores_each_comment_once(
    gazette, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run(write(tmp_path, OLD_THREAD), "--chunk-size", "3")
    assert len(queued) == 3  # 7 lines, 3 per job; none has run yet
    batch = ImportBatch.objects.get()
    assert imports.import_chunk(batch_id=batch.pk, until=3) == 3
    assert imports.import_chunk(batch_id=batch.pk, until=3) == 0  # the broker delivered it again
    assert Comment.objects.count() == ModerationEvent.objects.count() == 3
    for job in queued:
        job()
    assert Comment.objects.count() == ModerationEvent.objects.count() == 7
    assert imported("c-1").reply_count == 1


def test_importing_the_same_file_again_adds_nothing(
    gazette, harbour, tmp_path, django_capture_on_commit_callbacks
):
    more = {**OLD_THREAD[1], "id": "c-8", "parent_id": "c-6", "body": "Nobody knows."}
    with django_capture_on_commit_callbacks(execute=True):
        out = run(write(tmp_path, [*OLD_THREAD, more], "again.jsonl"))
    assert "1 comments to import (7 imported before, skipped)" in out
    assert Comment.objects.count() == 8 and User.objects.count() == 4
    assert imported("c-8").parent == imported("c-6")
    assert "nothing new (8 comments imported before)" in run(
        write(tmp_path, [*OLD_THREAD, more], "again.jsonl")
    )
    assert ImportBatch.objects.count() == 2


def test_a_reply_whose_parent_comes_in_a_later_chunk_still_attaches(
    gazette, tmp_path, django_capture_on_commit_callbacks
):
    # The old system exported newest first: every reply comes before its parent in the file.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run(write(tmp_path, OLD_THREAD[2::-1]), "--chunk-size", "1")
    assert len(queued) == 3
    for job in reversed(queued):  # and the workers took the jobs in the worst order
        job()
    first, reply, answer = imported("c-1"), imported("c-2"), imported("3")
    assert answer.parent == reply and reply.parent == first
    assert first.pk < reply.pk < answer.pk  # stored oldest first: the thread reads in order


def test_a_reply_written_a_little_before_its_parent_is_still_stored_after_it(gazette):
    early = {**OLD_THREAD[1], "created_at": "2024-03-01T09:29:00Z"}  # the other system's clocks drift
    plan = importlines.check_lines(gazette, [json.dumps(early), json.dumps(OLD_THREAD[0])])
    assert plan.errors == []
    assert [line.id for _, line in plan.lines] == ["c-1", "c-2"]


def test_resume_queues_again_what_a_lost_worker_left(gazette, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        run(write(tmp_path, OLD_THREAD), "--chunk-size", "4")  # the broker lost both jobs
    assert ImportLine.objects.count() == 7
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_comments", "--site", "gazette", "--resume", "--chunk-size", "4", stdout=out)
    assert "Import jobs queued again: 2." in out.getvalue()
    assert Comment.objects.count() == 7 and ImportBatch.objects.get().finished_at is not None
