"""Posting and replying: alice starts a thread, bob answers; bad input is refused and changes nothing."""

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from conftest import client_for
from django.test import Client, override_settings

from townsquare.comments.actions import MAX_DEPTH, do_delete_comment, ensure_article
from townsquare.comments.models import Article, Comment, CommentState
from townsquare.comments.tests.conftest import api_post, counts, error_code, post
from townsquare.moderation.models import ModerationEvent


def comments_url(article: Article) -> str:
    return f"/api/v1/articles/{article.pk}/comments"


def test_alice_posts_a_comment_that_is_published_with_one_audit_row(as_alice: Client, article: Article):
    response = api_post(as_alice, comments_url(article), {"body": "  Talking beats *shooting*.  "})

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["outcome"] == "published"
    assert data["comment"]["html"] == "<p>Talking beats <em>shooting</em>.</p>"
    assert data["comment"]["author"] == {"display_name": "Alice"}
    assert data["comment"]["mine"] is True
    comment = Comment.objects.get()
    assert comment.body == "Talking beats *shooting*."
    assert comment.state == CommentState.PUBLISHED
    event = ModerationEvent.objects.get()
    assert (event.comment_id, event.action, event.from_state, event.to_state) == (
        comment.pk,
        "post",
        "",
        "published",
    )


def test_bob_replies_to_alice_and_the_reply_nests_under_her_comment(
    as_bob: Client, article: Article, alices_comment: Comment
):
    response = api_post(as_bob, comments_url(article), {"body": "Agreed.", "parent_id": alices_comment.pk})

    assert response.status_code == 201, response.content
    reply = Comment.objects.get(pk=response.json()["comment"]["id"])
    assert (reply.parent_id, reply.root_id, reply.depth) == (alices_comment.pk, alices_comment.pk, 1)
    alices_comment.refresh_from_db()
    assert alices_comment.reply_count == 1
    assert ModerationEvent.objects.filter(comment=reply).count() == 1


def test_a_reply_to_a_reply_keeps_the_thread_root(bob: Any, alice: Any, article: Article):
    first = post(alice, article)
    second = post(bob, article, parent=first)
    third = post(alice, article, parent=second)
    assert (third.root_id, third.parent_id, third.depth) == (first.pk, second.pk, 2)


def test_a_held_comment_is_stored_held_and_the_reader_is_told_it_awaits_review(
    as_alice: Client, article: Article
):
    article.premoderate = True
    article.save()
    response = api_post(as_alice, comments_url(article), {"body": "Hello"})

    assert response.status_code == 201
    data = response.json()
    assert data["outcome"] == "awaiting_review"
    assert data["comment"]["status"] == "awaiting_review"
    assert "premoderation" not in json.dumps(data)
    assert Comment.objects.get().state == CommentState.HELD
    assert ModerationEvent.objects.get().to_state == "held"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"body": ""}, 400, "body_empty"),
        ({"body": "   \n\t  "}, 400, "body_empty"),
        ({"body": "\u200b\u200b \u2060\ufeff"}, 400, "body_empty"),  # zero-width characters only
        ({"body": "x" * 5001}, 400, "body_too_long"),
        ({"body": "nul\x00byte"}, 400, "body_invalid"),
        ({}, 422, "invalid_request"),
        ({"body": 42}, 422, "invalid_request"),
        ({"body": ["a list"]}, 422, "invalid_request"),
        ({"body": "ok", "parent_id": "first"}, 422, "invalid_request"),
        ({"body": "ok", "parent_id": 999_999}, 400, "parent_invalid"),
        ({"body": "ok", "parent_id": 2**70}, 400, "parent_invalid"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_changes_nothing(
    as_alice: Client, article: Article, payload: dict[str, Any], status: int, code: str
):
    before = counts()
    response = api_post(as_alice, comments_url(article), payload)
    assert response.status_code == status, response.content
    assert error_code(response) == code
    assert counts() == before


@override_settings(COMMENT_MAX_LENGTH=10)
def test_the_length_limit_comes_from_settings(as_alice: Client, article: Article):
    assert api_post(as_alice, comments_url(article), {"body": "0123456789"}).status_code == 201
    response = api_post(as_alice, comments_url(article), {"body": "0123456789!"})
    assert error_code(response) == "body_too_long"


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2", b"\xff\xfe"])
def test_a_malformed_body_is_refused_as_json(as_alice: Client, article: Article, raw: bytes):
    before = counts()
    response = as_alice.post(comments_url(article), raw, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert error_code(response) in ("malformed_request", "invalid_request")
    assert counts() == before


def test_an_unknown_article_is_404(as_alice: Client, db: None):
    response = api_post(as_alice, "/api/v1/articles/424242/comments", {"body": "Hello"})
    assert response.status_code == 404
    assert error_code(response) == "unknown_article"
    assert counts() == (0, 0)


def test_a_closed_article_takes_no_comments(as_alice: Client, article: Article):
    article.is_open = False
    article.save()
    response = api_post(as_alice, comments_url(article), {"body": "Hello"})
    assert response.status_code == 409
    assert error_code(response) == "article_closed"
    assert counts() == (0, 0)


def test_no_reply_to_a_comment_under_another_article(
    as_bob: Client, alice: Any, gazette: Any, article: Article
):
    from townsquare.comments.actions import ensure_article

    other = ensure_article(gazette, "budget", title="Budget")
    foreign = post(alice, other)
    before = counts()
    response = api_post(as_bob, comments_url(article), {"body": "Hi", "parent_id": foreign.pk})
    assert response.status_code == 400
    assert error_code(response) == "parent_invalid"
    assert counts() == before


def test_no_reply_to_a_deleted_comment(as_bob: Client, alice: Any, article: Article):
    gone = post(alice, article)
    do_delete_comment(reader=alice, comment_id=gone.pk)
    before = counts()
    response = api_post(as_bob, comments_url(article), {"body": "Hi", "parent_id": gone.pk})
    assert response.status_code == 409
    assert error_code(response) == "parent_unavailable"
    assert counts() == before


def test_no_reply_to_a_held_comment(as_bob: Client, alice: Any, article: Article):
    article.premoderate = True
    article.save()
    held = post(alice, article)
    article.premoderate = False
    article.save()
    before = counts()
    response = api_post(as_bob, comments_url(article), {"body": "Hi", "parent_id": held.pk})
    assert response.status_code == 409
    assert error_code(response) == "parent_unavailable"
    assert counts() == before


def test_an_anonymous_visitor_cannot_post(client: Client, article: Article):
    response = api_post(client, comments_url(article), {"body": "Hello"})
    assert response.status_code == 401
    assert error_code(response) == "not_signed_in"
    assert counts() == (0, 0)


def test_an_api_write_without_a_csrf_token_is_refused(alice: Any, article: Article):
    strict = client_for(alice, csrf=True)
    response = api_post(strict, comments_url(article), {"body": "Hello"})
    assert response.status_code == 403
    assert error_code(response) == "csrf_failed"
    assert counts() == (0, 0)


def test_an_api_write_with_the_csrf_token_goes_through(alice: Any, article: Article):
    strict = client_for(alice, csrf=True)
    strict.get(f"/embed/gazette/?key={article.key}")
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        comments_url(article),
        json.dumps({"body": "Hello"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content


def test_replies_deeper_than_the_limit_attach_to_the_deepest_allowed_level(
    alice: Any, bob: Any, article: Article
):

    parent = post(alice, article)
    for i in range(MAX_DEPTH):
        parent = post(bob if i % 2 == 0 else alice, article, parent=parent)
    assert parent.depth == MAX_DEPTH
    deeper = post(alice, article, parent=parent)
    assert deeper.depth == MAX_DEPTH
    assert deeper.parent_id == parent.parent_id


# The reader page's form: the same action, answered with HTML.


def page_post_url(article: Article) -> str:
    return f"/embed/a/{article.pk}/comments/"


def test_alice_posts_through_the_page_form_and_is_sent_back_to_the_thread(as_alice: Client, article: Article):
    response = as_alice.post(page_post_url(article), {"body": "From the form"})
    assert response.status_code == 302
    assert response["Location"] == f"/embed/gazette/?key={article.key}"
    assert Comment.objects.get().body == "From the form"


def test_the_page_form_with_htmx_answers_with_the_new_comment(as_alice: Client, article: Article):
    response = as_alice.post(page_post_url(article), {"body": "From htmx"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "From htmx" in html
    assert 'data-testid="post-outcome"' in html


def test_the_page_form_shows_the_error_and_keeps_the_text(as_alice: Client, article: Article):
    response = as_alice.post(page_post_url(article), {"body": "   "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write something before posting." in html
    assert 'role="alert"' in html
    assert counts() == (0, 0)


def test_a_rejected_comment_comes_back_in_the_form_with_the_reason(
    as_alice: Client, article: Article, settings: Any
):
    """Stored, and audited, as rejected; the reader keeps what she typed to rephrase it."""
    settings.MODERATION_PIPELINE = [{"NAME": "townsquare.moderation.phases.content.Threats"}]
    threat = "Someone should put a bullet in every traitor like you."
    response = as_alice.post(page_post_url(article), {"body": threat}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form class="ts-form"' in html and "ts-comment" not in html
    assert f">{threat}</textarea>" in html
    assert 'role="alert"' in html and "not published" in html
    assert Comment.objects.get().state == CommentState.REJECTED


def test_the_page_form_refuses_a_parent_that_is_not_a_number(as_alice: Client, article: Article):
    response = as_alice.post(
        page_post_url(article), {"body": "Hi", "parent_id": "abc"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert counts() == (0, 0)


def test_the_page_form_sends_an_anonymous_visitor_to_sign_in_and_back(client: Client, gazette: Any):
    article = ensure_article(gazette, "https://gazette.example/a?x=1&y=2")
    response = client.post(page_post_url(article), {"body": "Hi"})
    assert response.status_code == 302
    signin = client.get(response["Location"])
    assert signin.context["next"] == "/embed/gazette/?" + urlencode({"key": article.key})
    assert counts() == (0, 0)


def test_the_page_form_refuses_a_post_without_csrf_token(alice: Any, article: Article):
    strict = client_for(alice, csrf=True)
    response = strict.post(page_post_url(article), {"body": "Hi"})
    assert response.status_code == 403
    assert counts() == (0, 0)


def test_the_ip_address_is_never_stored_in_clear(as_alice: Client, article: Article):
    address = "203.0.113.77"
    response = as_alice.post(
        comments_url(article),
        json.dumps({"body": "Hello"}),
        content_type="application/json",
        REMOTE_ADDR=address,
    )
    assert response.status_code == 201
    comment = Comment.objects.get()
    assert comment.ip_hash and address not in comment.ip_hash
    row = Comment.objects.filter(pk=comment.pk).values().get()
    assert address not in json.dumps(row, default=str)
    events = list(ModerationEvent.objects.values())
    assert address not in json.dumps(events, default=str)


def test_a_broken_character_is_refused_and_stores_nothing(as_alice: Client, article: Article):
    """JSON's "\\ud800" decodes to a lone surrogate, which has no UTF-8 form to store."""
    before = counts()
    raw = b'{"body": "lone \\ud800 here"}'
    response = as_alice.post(comments_url(article), raw, content_type="application/json")
    assert response.status_code == 400
    assert error_code(response) == "body_invalid"
    assert counts() == before


@pytest.mark.parametrize(
    "params",
    [{"key": "a\x00b"}, {"key": "story", "title": "Title\x00", "url": "https://gazette.example/story"}],
)
def test_an_article_key_or_title_that_is_not_text_is_refused(client: Client, gazette: Any, params: Any):
    response = client.get("/embed/gazette/", params)
    assert response.status_code == 400
    assert 'data-code="text_invalid"' in response.content.decode()
    assert not Article.objects.filter(site=gazette).exists()


def test_a_reader_signed_out_meanwhile_keeps_the_text_in_the_form(client: Client, article: Article):
    response = client.post(
        f"/embed/a/{article.pk}/comments/", {"body": "My long considered reply."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 401
    html = response.content.decode()
    assert '<form class="ts-form"' in html and "My long considered reply.</textarea>" in html
    assert "You were signed out." in html
    assert counts() == (0, 0)


def test_a_stale_csrf_token_is_explained_and_the_page_keeps_the_text(alice: Any, article: Article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(f"/embed/a/{article.pk}/comments/", {"body": "Kept?"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert 'data-code="csrf_failed"' in response.content.decode()
    assert "<form" not in response.content.decode()  # the reader page shows it beside the form


def test_a_body_too_large_to_read_is_refused_in_the_callers_form(
    as_alice: Client, article: Article, settings: Any
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    api = as_alice.post(
        comments_url(article), json.dumps({"body": "x" * 20_000}), content_type="application/json"
    )
    assert (api.status_code, error_code(api)) == (413, "request_too_large")
    page = as_alice.post(f"/embed/a/{article.pk}/comments/", {"body": "x" * 20_000}, HTTP_HX_REQUEST="true")
    assert page.status_code == 413
    assert 'data-code="request_too_large"' in page.content.decode()
    assert counts() == (0, 0)
