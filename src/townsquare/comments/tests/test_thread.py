"""Reading a thread through the API: nesting, sorts, cursors, held comments and what never leaks."""

import json
from typing import Any

import pytest
from conftest import client_for
from django.test import Client

from townsquare.comments.models import Article, Comment, CommentState
from townsquare.comments.render import render_body
from townsquare.comments.tests.conftest import error_code, post


def seed(article: Article, author: Any, n: int, parent: Comment | None = None) -> list[Comment]:
    """`n` published comments straight into the table: paging tests need many, fast."""
    rows = [
        Comment(
            article=article,
            author=author,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            body=f"Comment {i}",
            html=render_body(f"Comment {i}"),
            state=CommentState.PUBLISHED,
            ip_hash="0" * 32,
        )
        for i in range(n)
    ]
    created = Comment.objects.bulk_create(rows)
    if parent is not None:
        Comment.objects.filter(pk=parent.pk).update(reply_count=parent.reply_count + n)
    return (
        list(Comment.objects.filter(pk__in=[c.pk for c in created]).order_by("pk"))
        if created[0].pk is None
        else created
    )


def url(article: Article, **params: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/articles/{article.pk}/comments" + (f"?{query}" if query else "")


def test_the_thread_is_nested_and_newest_first(client: Client, alice: Any, bob: Any, article: Article):
    first = post(alice, article, "First")
    reply = post(bob, article, "Reply", parent=first)
    post(alice, article, "Reply to the reply", parent=reply)
    post(bob, article, "Second")

    response = client.get(url(article))
    assert response.status_code == 200
    data = response.json()
    assert data["article_id"] == article.pk
    assert data["sort"] == "newest"
    assert [c["html"] for c in data["comments"]] == ["<p>Second</p>", "<p>First</p>"]
    (nested,) = data["comments"][1]["replies"]
    assert (nested["html"], nested["parent_id"]) == ("<p>Reply</p>", first.pk)
    assert [r["html"] for r in nested["replies"]] == ["<p>Reply to the reply</p>"]
    assert data["next_cursor"] is None


def test_sorts_oldest_and_most_reactions(client: Client, alice: Any, article: Article):
    a, b, c = seed(article, alice, 3)
    Comment.objects.filter(pk=b.pk).update(reaction_count=5)
    Comment.objects.filter(pk=c.pk).update(reaction_count=1)
    ids = lambda sort: [x["id"] for x in client.get(url(article, sort=sort)).json()["comments"]]  # noqa: E731
    assert ids("oldest") == [a.pk, b.pk, c.pk]
    assert ids("newest") == [c.pk, b.pk, a.pk]
    assert ids("top") == [b.pk, c.pk, a.pk]


@pytest.mark.parametrize("sort", ["newest", "oldest", "top"])
def test_paging_through_250_comments_sees_each_once(client: Client, alice: Any, article: Article, sort: str):
    comments = seed(article, alice, 250)
    for i, comment in enumerate(comments):  # ties in the "top" order must not lose anyone
        Comment.objects.filter(pk=comment.pk).update(reaction_count=i % 7)
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"sort": sort, "limit": 40}
        if cursor:
            params["cursor"] = cursor
        data = client.get(url(article, **params)).json()
        seen += [c["id"] for c in data["comments"]]
        pages += 1
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert pages == 7
    assert len(seen) == len(set(seen)) == 250
    assert set(seen) == {c.pk for c in comments}


def test_more_replies_are_paged_per_thread(
    client: Client, alice: Any, bob: Any, article: Article, settings: Any
):
    settings.REPLIES_PER_ROOT = 5
    (root,) = seed(article, alice, 1)
    replies = seed(article, bob, 12, parent=root)

    (shown,) = client.get(url(article)).json()["comments"]
    assert [r["id"] for r in shown["replies"]] == [r.pk for r in replies[:5]]
    cursor = shown["more_replies_cursor"]
    seen = [r["id"] for r in shown["replies"]]
    while cursor:
        data = client.get(url(article, root=root.pk, cursor=cursor)).json()
        seen += [r["id"] for r in data["comments"]]
        cursor = data["next_cursor"]
    assert seen == [r.pk for r in replies]


def test_more_replies_on_the_reader_page_keep_each_reply_under_its_parent(
    client: Client, alice: Any, bob: Any, article: Article, settings: Any
):
    """The page's "More replies" draws the thread's list again as a tree: a reply, on the second
    page, to a reply shown on the first sits under it, not at the top of the thread."""
    import re

    settings.REPLIES_PER_ROOT = 3
    (root,) = seed(article, alice, 1)
    first = seed(article, bob, 4, parent=root)
    (answer,) = seed(article, alice, 1, parent=first[1])

    page = client.get(f"/embed/gazette/?key={article.key}").content.decode()
    cursor = re.search(rf'replies/\?cursor=([\w-]+)" hx-target="#r{root.pk}"', page).group(1)
    html = client.get(f"/embed/c/{root.pk}/replies/?cursor={cursor}").content.decode()
    inner = html.split(f'id="r{first[1].pk}"', 1)[1].split("</ol>", 1)[0]
    assert f'id="c{answer.pk}"' in inner
    assert html.count(f'id="c{first[0].pk}"') == 1  # the first page's replies, once each
    assert f'id="c{first[3].pk}"' in html


def test_more_replies_of_a_reply_or_another_articles_comment_are_refused(
    client: Client, alice: Any, article: Article, gazette: Any
):
    from townsquare.comments.actions import ensure_article

    (root,) = seed(article, alice, 1)
    (reply,) = seed(article, alice, 1, parent=root)
    (elsewhere,) = seed(ensure_article(gazette, "other"), alice, 1)
    for bad in (reply, elsewhere):
        response = client.get(url(article, root=bad.pk))
        assert response.status_code == 400
        assert error_code(response) == "root_invalid"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"sort": "random"}, "sort_invalid"),
        ({"cursor": "not-a-cursor!"}, "cursor_invalid"),
        ({"cursor": "e30"}, "cursor_invalid"),  # {}
        ({"cursor": "WyJhIl0"}, "cursor_invalid"),  # ["a"]
        ({"cursor": "WzEsMiwzXQ", "sort": "top"}, "cursor_invalid"),  # [1,2,3]
        ({"cursor": "W10"}, "cursor_invalid"),  # []
        ({"cursor": "W3RydWVd"}, "cursor_invalid"),  # [true]
        ({"cursor": "W1tbW1tbW1tb" * 400}, "cursor_invalid"),  # nested thousands deep
    ],
)
def test_bad_sort_or_cursor_is_a_clear_error(
    client: Client, article: Article, params: dict[str, str], code: str
):
    response = client.get(url(article, **params))
    assert response.status_code == 400
    assert error_code(response) == code


def test_a_cursor_beyond_any_id_is_just_an_empty_page(client: Client, alice: Any, article: Article):
    seed(article, alice, 3)
    huge = __import__("base64").urlsafe_b64encode(json.dumps([2**70]).encode()).decode().rstrip("=")
    response = client.get(url(article, sort="oldest", cursor=huge))
    assert response.status_code == 200, response.content
    assert response.json()["comments"] == []


def test_an_unknown_article_is_404(client: Client, db: None):
    response = client.get("/api/v1/articles/999999/comments")
    assert response.status_code == 404
    assert error_code(response) == "unknown_article"


def test_a_held_comment_is_shown_only_to_its_author(alice: Any, bob: Any, client: Client, article: Article):
    article.premoderate = True
    article.save()
    held = post(alice, article, "Waiting for a moderator")

    (own,) = client_for(alice).get(url(article)).json()["comments"]
    assert (own["id"], own["status"], own["mine"]) == (held.pk, "awaiting_review", True)
    assert client_for(bob).get(url(article)).json()["comments"] == []
    assert client.get(url(article)).json()["comments"] == []
    page = client_for(alice).get(f"/embed/gazette/?key={article.key}").content.decode()
    assert 'data-testid="awaiting-review"' in page
    assert (
        "Waiting for a moderator"
        not in client_for(bob).get(f"/embed/gazette/?key={article.key}").content.decode()
    )


def test_a_rejected_comment_is_invisible_and_a_rejected_parent_is_a_placeholder(
    client: Client, alice: Any, troll: Any, article: Article
):
    rude = post(troll, article, "Rude words")
    parent = post(troll, article, "Ruder words")
    post(alice, article, "Please be civil", parent=parent)
    Comment.objects.filter(pk__in=[rude.pk, parent.pk]).update(state=CommentState.REJECTED)

    (shown,) = client.get(url(article)).json()["comments"]
    assert (shown["id"], shown["status"], shown["html"], shown["author"]) == (parent.pk, "removed", "", None)
    assert client_for(troll).get(url(article)).json()["comments"][0]["status"] == "removed"


def test_a_deleted_comment_whose_only_reply_waits_for_review_shows_to_that_replys_author_only(
    client: Client, alice: Any, bob: Any, article: Article
):
    from townsquare.comments.actions import do_delete_comment

    parent = post(alice, article, "A thought")
    held = post(bob, article, "A reply the moderators will read first", parent=parent)
    Comment.objects.filter(pk=held.pk).update(state=CommentState.HELD)
    do_delete_comment(reader=alice, comment_id=parent.pk)

    assert client.get(url(article)).json()["comments"] == []  # no empty placeholder for the public
    (mine,) = client_for(bob).get(url(article)).json()["comments"]
    assert (mine["status"], [r["id"] for r in mine["replies"]]) == ("deleted", [held.pk])


FORBIDDEN = (
    "alice@example.org",
    "ip_hash",
    "0" * 32,
    "decided_by",
    "scores",
    "reasons",
    "premoderation",
    "email",
)


def test_reader_facing_json_and_html_carry_no_private_or_moderation_data(
    alice: Any, bob: Any, client: Client, article: Article
):
    alice.email = "alice@example.org"
    alice.save()
    article.premoderate = True
    article.save()
    held = post(alice, article, "Held one")
    article.premoderate = False
    article.save()
    shown = post(alice, article, "Shown one")
    post(bob, article, "A reply", parent=shown)
    Comment.objects.update(ip_hash="0" * 32, scores={"toxicity": 0.5}, reasons=[{"code": "x"}])
    as_alice = client_for(alice)

    payloads = [
        client.get(url(article)).content,
        as_alice.get(url(article)).content,
        as_alice.get(url(article, root=shown.pk)).content,
        as_alice.get("/api/v1/me").content,
        as_alice.patch(
            f"/api/v1/comments/{held.pk}",
            json.dumps({"body": "Held, edited"}),
            content_type="application/json",
        ).content,
        as_alice.post(url(article), json.dumps({"body": "New"}), content_type="application/json").content,
        as_alice.get(f"/embed/gazette/?key={article.key}").content,
        client.get(f"/embed/gazette/?key={article.key}").content,
        as_alice.get(f"/embed/a/{article.pk}/page/?sort=top").content,
        as_alice.get(f"/embed/c/{shown.pk}/replies/").content,
    ]
    for payload in payloads:
        text = payload.decode()
        for secret in FORBIDDEN:
            assert secret not in text, (secret, text[:300])
