"""Editing: alice fixes a typo within the window; later, or someone else's comment, is refused."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from townsquare.comments.fingerprint import fingerprint
from townsquare.comments.models import Article, Comment, CommentRevision, CommentState
from townsquare.comments.tests.conftest import api_patch, counts, error_code, post
from townsquare.moderation.models import ModerationEvent


def url(comment: Comment) -> str:
    return f"/api/v1/comments/{comment.pk}"


def test_alice_edits_her_comment_and_the_old_text_is_kept_as_a_revision(
    as_alice: Client, alices_comment: Comment
):
    old_body = alices_comment.body
    response = api_patch(as_alice, url(alices_comment), {"body": "Glad they **talk**."})

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["outcome"] == "published"
    assert data["comment"]["html"] == "<p>Glad they <strong>talk</strong>.</p>"
    assert data["comment"]["edited"] is True
    alices_comment.refresh_from_db()
    assert alices_comment.body == "Glad they **talk**."
    assert alices_comment.fingerprint == fingerprint("glad they talk")
    assert alices_comment.edited_at is not None
    assert list(CommentRevision.objects.values_list("body", flat=True)) == [old_body]
    event = ModerationEvent.objects.filter(comment=alices_comment).latest("pk")
    assert (event.action, event.from_state, event.to_state) == ("edit", "published", "published")
    assert ModerationEvent.objects.filter(comment=alices_comment).count() == 2


def test_an_edit_on_a_premoderated_article_goes_back_to_review(as_alice: Client, alices_comment: Comment):
    article = alices_comment.article
    article.premoderate = True
    article.save()
    response = api_patch(as_alice, url(alices_comment), {"body": "New words"})
    assert response.json()["outcome"] == "awaiting_review"
    alices_comment.refresh_from_db()
    assert alices_comment.state == CommentState.HELD


def test_the_edit_window_closes(as_alice: Client, alices_comment: Comment, settings: Any):
    settings.EDIT_WINDOW_SECONDS = 60
    Comment.objects.filter(pk=alices_comment.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    before = counts()
    response = api_patch(as_alice, url(alices_comment), {"body": "Too late"})
    assert response.status_code == 409
    assert error_code(response) == "edit_window_closed"
    assert counts() == before
    alices_comment.refresh_from_db()
    assert alices_comment.body != "Too late"
    assert not CommentRevision.objects.exists()


def test_the_window_comes_from_settings(as_alice: Client, alices_comment: Comment, settings: Any):
    settings.EDIT_WINDOW_SECONDS = 3600
    Comment.objects.filter(pk=alices_comment.pk).update(created_at=timezone.now() - timedelta(minutes=59))
    assert api_patch(as_alice, url(alices_comment), {"body": "Still in time"}).status_code == 200


def test_bob_cannot_edit_alices_comment(as_bob: Client, alices_comment: Comment):
    before = counts()
    response = api_patch(as_bob, url(alices_comment), {"body": "Hijacked"})
    assert response.status_code == 403
    assert error_code(response) == "not_your_comment"
    assert counts() == before
    alices_comment.refresh_from_db()
    assert alices_comment.body != "Hijacked"


def test_a_deleted_comment_cannot_be_edited(as_alice: Client, alice: Any, alices_comment: Comment):
    from townsquare.comments.actions import do_delete_comment

    do_delete_comment(reader=alice, comment_id=alices_comment.pk)
    before = counts()
    response = api_patch(as_alice, url(alices_comment), {"body": "Back"})
    assert response.status_code == 409
    assert error_code(response) == "comment_deleted"
    assert counts() == before


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"body": ""}, 400, "body_empty"),
        ({"body": "  "}, 400, "body_empty"),
        ({"body": "x" * 5001}, 400, "body_too_long"),
        ({"body": None}, 422, "invalid_request"),
        ({}, 422, "invalid_request"),
    ],
)
def test_bad_edits_change_nothing(
    as_alice: Client, alices_comment: Comment, payload: dict[str, Any], status: int, code: str
):
    before = counts()
    response = api_patch(as_alice, url(alices_comment), payload)
    assert response.status_code == status
    assert error_code(response) == code
    assert counts() == before
    assert not CommentRevision.objects.exists()


def test_a_malformed_edit_body_is_refused(as_alice: Client, alices_comment: Comment):
    response = as_alice.patch(url(alices_comment), b'{"body": ', content_type="application/json")
    assert response.status_code == 400
    assert error_code(response) == "malformed_request"


def test_an_unknown_comment_is_404(as_alice: Client, db: None):
    response = api_patch(as_alice, "/api/v1/comments/999999", {"body": "Hi"})
    assert response.status_code == 404
    assert error_code(response) == "unknown_comment"


def test_an_anonymous_visitor_cannot_edit(client: Client, alices_comment: Comment):
    response = api_patch(client, url(alices_comment), {"body": "Hi"})
    assert response.status_code == 401
    assert error_code(response) == "not_signed_in"


def test_alice_edits_through_the_page_and_sees_the_new_text(as_alice: Client, alices_comment: Comment):
    response = as_alice.post(
        f"/embed/c/{alices_comment.pk}/edit/", {"body": "Edited in the frame"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Edited in the frame" in html
    assert "(edited)" in html
    # Its outcome is said in the page's live region, as a post's is.
    assert '<div id="ts-posted" hx-swap-oob="innerHTML">' in html and "Your comment is published." in html


def test_bob_editing_alices_comment_through_the_page_sees_a_message(as_bob: Client, alices_comment: Comment):
    response = as_bob.post(f"/embed/c/{alices_comment.pk}/edit/", {"body": "Hijacked"})
    assert response.status_code == 403
    assert "You can only change your own comments." in response.content.decode()


def test_the_edit_form_is_offered_only_within_the_window(
    as_alice: Client, alices_comment: Comment, article: Article, settings: Any
):
    page = as_alice.get(f"/embed/gazette/?key={article.key}").content.decode()
    assert f"/embed/c/{alices_comment.pk}/edit/" in page
    settings.EDIT_WINDOW_SECONDS = 0
    Comment.objects.filter(pk=alices_comment.pk).update(created_at=timezone.now() - timedelta(seconds=5))
    page = as_alice.get(f"/embed/gazette/?key={article.key}").content.decode()
    assert f"/embed/c/{alices_comment.pk}/edit/" not in page


def test_bob_is_not_offered_alices_edit_form(
    as_bob: Client, alices_comment: Comment, article: Article, bob: Any
):
    post(bob, article, "Mine")
    page = as_bob.get(f"/embed/gazette/?key={article.key}").content.decode()
    assert f"/embed/c/{alices_comment.pk}/edit/" not in page
    assert f"/embed/c/{alices_comment.pk}/delete/" not in page


def test_an_edit_does_not_undo_a_rejection_made_while_it_was_checked(
    as_alice: Client, alices_comment: Comment, maria: Any, monkeypatch: pytest.MonkeyPatch
):
    from townsquare.comments import actions
    from townsquare.moderation.actions import do_reject

    moderate = actions.pipeline.moderate

    def rejected_meanwhile(submission: Any, **kwargs: Any) -> Any:
        do_reject(maria, Comment.objects.get(pk=alices_comment.pk), "guidelines")
        return moderate(submission, **kwargs)

    monkeypatch.setattr(actions.pipeline, "moderate", rejected_meanwhile)
    response = api_patch(as_alice, url(alices_comment), {"body": "Glad they talk, edited."})

    assert response.status_code == 409
    assert error_code(response) == "comment_changed"
    alices_comment.refresh_from_db()
    assert alices_comment.state == CommentState.REJECTED
    assert alices_comment.body != "Glad they talk, edited."
    assert not CommentRevision.objects.filter(comment=alices_comment).exists()


def test_once_the_article_closes_the_comment_stays_and_the_edit_is_refused(
    as_alice: Client, alices_comment: Comment, alice: Any
):
    """The pipeline's closed-article check rejects new text: an edit must not reach it and remove the
    comment the reader only meant to correct."""
    from townsquare.comments.threads import thread_page

    article = alices_comment.article
    assert thread_page(article, alice).nodes[0].can_edit
    Article.objects.filter(pk=article.pk).update(is_open=False)
    article.refresh_from_db()
    assert not thread_page(article, alice).nodes[0].can_edit

    response = api_patch(as_alice, url(alices_comment), {"body": "Corrected."})
    assert response.status_code == 409
    assert error_code(response) == "article_closed"
    alices_comment.refresh_from_db()
    assert (alices_comment.state, alices_comment.body) == (
        CommentState.PUBLISHED,
        "Good to see the two presidents *talking*.",
    )


def test_editing_again_and_again_is_refused_before_the_pipeline_runs(
    as_alice: Client, alices_comment: Comment
):
    """Each edit runs the whole pipeline and keeps a revision; the post rate limits skip edits."""
    from townsquare.comments.actions import EDITS_PER_MINUTE

    for n in range(EDITS_PER_MINUTE):
        assert api_patch(as_alice, url(alices_comment), {"body": f"Take {n}."}).status_code == 200
    events = ModerationEvent.objects.count()

    response = api_patch(as_alice, url(alices_comment), {"body": "One more take."})
    assert response.status_code == 429
    assert error_code(response) == "edit_rate_limited"
    alices_comment.refresh_from_db()
    assert alices_comment.body == f"Take {EDITS_PER_MINUTE - 1}."
    assert CommentRevision.objects.count() == EDITS_PER_MINUTE
    assert ModerationEvent.objects.count() == events


def test_with_the_cache_down_edits_and_new_pages_go_on(
    as_alice: Client, alices_comment: Comment, client: Client, monkeypatch: Any
):
    from townsquare.core import counters

    def unreachable(windows: Any) -> list[int]:
        raise ValueError("counters not available: cache unreachable")

    monkeypatch.setattr(counters, "count", unreachable)
    assert api_patch(as_alice, url(alices_comment), {"body": "Corrected offline."}).status_code == 200
    assert client.get("/embed/gazette/?key=a-new-story").status_code == 200
