"""alice reads back everything she wrote, on every article of every site, and where each comment
stands; never anyone else's."""

from typing import Any

import pytest
from conftest import client_for
from django.test import Client

from townsquare.accounts import records
from townsquare.comments.actions import do_delete_comment, do_post_comment, ensure_article
from townsquare.comments.models import Article, Comment
from townsquare.moderation.actions import do_reject

pytestmark = pytest.mark.usefixtures("pipeline_without_model")
URL = "/accounts/me/comments/"


def post(reader: Any, article: Article, body: str) -> Comment:
    comment = do_post_comment(reader=reader, article=article, body=body).comment
    assert comment is not None
    return comment


@pytest.fixture
def alices_comments(alice: Any, bob: Any, maria: Any, article: Article, courier: Any) -> list[Comment]:
    """One in each state, on two sites, oldest first; and bob's beside them."""
    elsewhere = ensure_article(courier, "harbour", title="")  # no address known: linked to its thread
    published = post(alice, article, "The talks are a good start.")
    rejected = post(alice, article, "A remark a moderator did not keep.")
    do_reject(maria, rejected, "off_topic")
    deleted = post(alice, elsewhere, "Something she took back.")
    do_delete_comment(reader=alice, comment_id=deleted.pk)
    post(bob, article, "Bob's own view.")
    article.premoderate = True
    article.save()
    held = post(alice, article, "A comment waiting for a moderator.")
    return [published, rejected, deleted, held]


def test_alice_sees_her_comments_newest_first_with_where_each_stands(
    alice: Any, alices_comments: list[Comment], django_assert_max_num_queries: Any
):
    as_alice = client_for(alice)
    with django_assert_max_num_queries(4):  # session, account and profile, comments with articles
        response = as_alice.get(URL, {"next": "/embed/gazette/?key=peace-talks"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bob's own view" not in page
    shown = [page.index(f'data-comment="{c.pk}"') for c in reversed(alices_comments)]
    assert shown == sorted(shown)
    for state, label in (
        ("held", "Held for review"),
        ("deleted", "Deleted"),
        ("rejected", "Rejected"),
        ("published", "Published"),
    ):
        assert f'data-state="{state}">{label}<' in page
    assert 'href="https://gazette.example/peace-talks" target="_top">Peace talks<' in page
    assert 'href="/embed/courier/?key=harbour"' in page
    assert "A comment waiting for a moderator." in page


def test_a_long_history_comes_in_pages(
    alice: Any, alices_comments: list[Comment], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(records, "PAGE_SIZE", 3)
    as_alice = client_for(alice)
    first = records.own_comments(alice)
    assert [o.comment.pk for o in first.comments] == [c.pk for c in reversed(alices_comments)][:3]
    assert first.next_cursor is not None
    page = as_alice.get(URL).content.decode()
    assert f'href="?cursor={first.next_cursor}&amp;next=/"' in page
    second = as_alice.get(URL, {"cursor": first.next_cursor}).content.decode()
    assert f'data-comment="{alices_comments[0].pk}"' in second and "Older comments" not in second
    assert f'data-comment="{alices_comments[1].pk}"' not in second


def test_a_made_up_cursor_is_refused(as_alice: Client):
    response = as_alice.get(URL, {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert 'data-code="cursor_invalid"' in response.content.decode()


def test_nobody_else_reads_them(client: Client, bob: Any, alices_comments: list[Comment]):
    assert client.get(URL).status_code == 302  # to sign in
    page = client_for(bob).get(URL).content.decode()
    assert "Bob's own view" in page
    assert all(f'data-comment="{c.pk}"' not in page for c in alices_comments)


def test_a_reader_who_wrote_nothing_is_told_so(as_alice: Client):
    assert "You have not written a comment yet." in as_alice.get(URL).content.decode()
