"""Deleting: the row stays, a placeholder keeps the replies in place, a lone comment disappears."""

from typing import Any

from django.test import Client

from townsquare.comments.actions import do_delete_comment
from townsquare.comments.models import Article, Comment, CommentState
from townsquare.comments.tests.conftest import counts, error_code, post
from townsquare.moderation.models import ModerationEvent


def url(comment: Comment) -> str:
    return f"/api/v1/comments/{comment.pk}"


def thread(client: Client, article: Article) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/articles/{article.pk}/comments?sort=oldest")
    assert response.status_code == 200
    return list(response.json()["comments"])


def test_alice_deletes_her_comment_and_it_leaves_the_thread(
    as_alice: Client, client: Client, alices_comment: Comment, article: Article
):
    response = as_alice.delete(url(alices_comment))

    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True}
    alices_comment.refresh_from_db()
    assert alices_comment.state == CommentState.DELETED
    event = ModerationEvent.objects.filter(comment=alices_comment).latest("pk")
    assert (event.action, event.from_state, event.to_state, event.source) == (
        "delete",
        "published",
        "deleted",
        "reader",
    )
    assert ModerationEvent.objects.filter(comment=alices_comment).count() == 2
    assert thread(client, article) == []
    assert thread(as_alice, article) == []


def test_a_deleted_comment_with_replies_stays_as_a_placeholder(
    as_alice: Client, client: Client, alices_comment: Comment, bob: Any, article: Article
):
    post(bob, article, "A reply worth keeping", parent=alices_comment)
    as_alice.delete(url(alices_comment))

    (placeholder,) = thread(client, article)
    assert placeholder["status"] == "deleted"
    assert placeholder["html"] == ""
    assert placeholder["author"] is None
    assert [r["html"] for r in placeholder["replies"]] == ["<p>A reply worth keeping</p>"]
    page = client.get(f"/embed/gazette/?key={article.key}").content.decode()
    assert "This comment was deleted by its author." in page
    assert alices_comment.body not in page


def test_once_its_only_reply_is_deleted_too_the_placeholder_goes(
    as_alice: Client, as_bob: Client, client: Client, alices_comment: Comment, bob: Any, article: Article
):
    reply = post(bob, article, "Short-lived", parent=alices_comment)
    assert as_bob.delete(url(reply)).status_code == 200
    assert as_alice.delete(url(alices_comment)).status_code == 200
    assert thread(client, article) == []


def test_bob_cannot_delete_alices_comment(as_bob: Client, alices_comment: Comment):
    before = counts()
    response = as_bob.delete(url(alices_comment))
    assert response.status_code == 403
    assert error_code(response) == "not_your_comment"
    assert counts() == before
    alices_comment.refresh_from_db()
    assert alices_comment.state == CommentState.PUBLISHED


def test_deleting_twice_is_refused(as_alice: Client, alices_comment: Comment):
    as_alice.delete(url(alices_comment))
    before = counts()
    response = as_alice.delete(url(alices_comment))
    assert response.status_code == 409
    assert error_code(response) == "comment_deleted"
    assert counts() == before


def test_an_unknown_comment_is_404(as_alice: Client, db: None):
    response = as_alice.delete("/api/v1/comments/424242")
    assert response.status_code == 404
    assert error_code(response) == "unknown_comment"


def test_an_anonymous_visitor_cannot_delete(client: Client, alices_comment: Comment):
    response = client.delete(url(alices_comment))
    assert response.status_code == 401
    assert error_code(response) == "not_signed_in"
    alices_comment.refresh_from_db()
    assert alices_comment.state == CommentState.PUBLISHED


def test_alice_can_delete_her_held_comment(alice: Any, article: Article):
    article.premoderate = True
    article.save()
    held = post(alice, article)
    do_delete_comment(reader=alice, comment_id=held.pk)
    held.refresh_from_db()
    assert held.state == CommentState.DELETED


def test_alice_deletes_through_the_page(as_alice: Client, alices_comment: Comment):
    response = as_alice.post(f"/embed/c/{alices_comment.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    alices_comment.refresh_from_db()
    assert alices_comment.state == CommentState.DELETED


def test_deleting_through_the_page_needs_a_post(as_alice: Client, alices_comment: Comment):
    assert as_alice.get(f"/embed/c/{alices_comment.pk}/delete/").status_code == 405
    alices_comment.refresh_from_db()
    assert alices_comment.state == CommentState.PUBLISHED


def test_placeholders_go_up_the_thread_when_nothing_is_left_under_them(
    alice: Any, bob: Any, client: Client, article: Article
):
    root = post(alice, article, "Root")
    middle = post(bob, article, "Middle", parent=root)
    leaf = post(alice, article, "Leaf", parent=middle)
    do_delete_comment(reader=bob, comment_id=middle.pk)
    (shown,) = thread(client, article)
    assert [r["status"] for r in shown["replies"]] == ["deleted"]

    do_delete_comment(reader=alice, comment_id=leaf.pk)
    (shown,) = thread(client, article)
    assert (shown["html"], shown["replies"], shown["reply_count"]) == ("<p>Root</p>", [], 0)
