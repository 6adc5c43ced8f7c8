"""Reactions: bob likes alice's comment, likes it again to take it back; counts follow."""

from typing import Any

import pytest
from django.test import Client

from townsquare.comments.models import Article, Comment, Reaction
from townsquare.comments.tests.conftest import api_post, counts, error_code, post


def url(comment: Comment) -> str:
    return f"/api/v1/comments/{comment.pk}/reactions"


def test_bob_likes_alices_comment_and_then_takes_it_back(as_bob: Client, alices_comment: Comment):
    before = counts()
    first = api_post(as_bob, url(alices_comment), {"kind": "like"})
    assert first.status_code == 200, first.content
    assert first.json() == {"reacted": True, "reaction_count": 1}
    alices_comment.refresh_from_db()
    assert alices_comment.reaction_count == 1

    second = api_post(as_bob, url(alices_comment), {"kind": "like"})
    assert second.json() == {"reacted": False, "reaction_count": 0}
    assert not Reaction.objects.exists()
    # A reaction is not a change of the comment's state: no audit row.
    assert counts() == before


def test_two_readers_and_two_kinds_add_up(as_bob: Client, alices_comment: Comment, troll: Any):
    from conftest import client_for

    api_post(as_bob, url(alices_comment), {"kind": "like"})
    api_post(as_bob, url(alices_comment), {"kind": "insightful"})
    response = api_post(client_for(troll), url(alices_comment), {})
    assert response.json() == {"reacted": True, "reaction_count": 3}


def test_the_thread_shows_counts_and_my_reactions(
    as_bob: Client, as_alice: Client, alices_comment: Comment, article: Article
):
    api_post(as_bob, url(alices_comment), {"kind": "insightful"})
    (seen_by_bob,) = as_bob.get(f"/api/v1/articles/{article.pk}/comments").json()["comments"]
    assert (seen_by_bob["reaction_count"], seen_by_bob["my_reactions"]) == (1, ["insightful"])
    (seen_by_alice,) = as_alice.get(f"/api/v1/articles/{article.pk}/comments").json()["comments"]
    assert seen_by_alice["my_reactions"] == []


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [({"kind": "love"}, 400, "reaction_invalid"), ({"kind": 3}, 422, "invalid_request")],
)
def test_unknown_reactions_are_refused(
    as_bob: Client, alices_comment: Comment, payload: dict[str, Any], status: int, code: str
):
    response = api_post(as_bob, url(alices_comment), payload)
    assert response.status_code == status
    assert error_code(response) == code
    assert not Reaction.objects.exists()


def test_no_reaction_on_a_held_or_deleted_comment(as_bob: Client, alice: Any, article: Article):
    from townsquare.comments.actions import do_delete_comment

    gone = post(alice, article)
    do_delete_comment(reader=alice, comment_id=gone.pk)
    article.premoderate = True
    article.save()
    held = post(alice, article)
    for comment in (gone, held):
        response = api_post(as_bob, url(comment), {"kind": "like"})
        assert response.status_code == 404
        assert error_code(response) == "unknown_comment"
    assert not Reaction.objects.exists()


def test_an_anonymous_visitor_cannot_react(client: Client, alices_comment: Comment):
    response = api_post(client, url(alices_comment), {"kind": "like"})
    assert response.status_code == 401
    assert error_code(response) == "not_signed_in"


def test_bob_likes_through_the_page(as_bob: Client, alices_comment: Comment):
    response = as_bob.post(f"/embed/c/{alices_comment.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-pressed="true"' in html
    assert '<span class="ts-count">1</span>' in html


def test_liking_through_the_page_swaps_the_comment_but_not_its_replies(
    as_bob: Client, alices_comment: Comment, bob: Any, article: Article
):
    post(bob, article, "A reply", parent=alices_comment)
    page = as_bob.get(f"/embed/gazette/?key={article.key}").content.decode()
    assert f'hx-target="#a{alices_comment.pk}"' in page
    response = as_bob.post(f"/embed/c/{alices_comment.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true")
    html = response.content.decode().strip()
    assert html.startswith(f'<article id="a{alices_comment.pk}"')
    assert "ts-replies" not in html


def _clicks_at_once(reader: Any, comment: Comment, clicks: int) -> list[Exception]:
    """`clicks` reactions by `reader` to `comment` from as many threads, released together."""
    import threading

    from django.db import connection

    from townsquare.comments.actions import do_react

    barrier, errors = threading.Barrier(clicks), []

    def click() -> None:
        try:
            barrier.wait()
            do_react(reader=reader, comment_id=comment.pk, kind="like")
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(clicks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_clicks_toggles_without_an_error(alice: Any, bob: Any, article: Article):
    """Eight clicks at once (a double click, a flaky connection retrying): each one toggles in turn.
    Without the row lock two inserts raced on PostgreSQL and one request failed. (SQLite's writers
    take turns anyway, but its in-memory test database locks whole tables between threads.)"""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (make test-postgres runs this)")
    comment = post(alice, article, "Clicked many times.")
    for _ in range(3):
        assert _clicks_at_once(bob, comment, 8) == []
        comment.refresh_from_db()
        assert comment.reaction_count == comment.reactions.count() == 0  # eight toggles: back to none
