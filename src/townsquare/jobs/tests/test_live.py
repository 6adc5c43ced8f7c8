"""A reader with the thread open sees bob's new comment without a reload; caches never hide it."""

import pytest
from django.test import Client, override_settings

from townsquare.comments import live
from townsquare.comments.actions import do_post_comment


@pytest.fixture
def anonymous(db) -> Client:
    return Client()


def test_the_poll_brings_new_comments_and_moves_the_cursor(anonymous, article, alice, bob):
    first = do_post_comment(reader=alice, article=article, body="The market should stay on Sundays.")
    assert first.comment is not None
    page = anonymous.get(f"/embed/{article.site.slug}/?key={article.key}").content.decode()
    start = live.last_change_id(article)
    assert f'id="ts-after" name="after" value="{start}"' in page
    assert "sse-connect=" in page and "every 15s" in page

    reply = do_post_comment(
        reader=bob, article=article, body="Agreed, it is the best day.", parent_id=first.comment.pk
    )
    top = do_post_comment(reader=bob, article=article, body="What about the parking near the harbour?")
    assert reply.comment is not None and top.comment is not None
    html = anonymous.get(f"/embed/a/{article.pk}/since/?after={start}").content.decode()
    assert f'hx-swap-oob="beforeend:#r{first.comment.pk}"' in html and f'id="c{reply.comment.pk}"' in html
    assert 'hx-swap-oob="afterbegin:#ts-list"' in html and f'id="c{top.comment.pk}"' in html
    moved = live.last_change_id(article)
    assert moved > start and f'value="{moved}" hx-swap-oob="true"' in html

    again = anonymous.get(f"/embed/a/{article.pk}/since/?after={moved}").content.decode()
    assert "ts-comment" not in again


def test_comments_arriving_together_keep_the_thread_order(anonymous, article, alice, bob):
    first = do_post_comment(reader=alice, article=article, body="When does the ferry run in winter?")
    start = live.last_change_id(article)
    older = do_post_comment(reader=bob, article=article, body="The council meets on Friday.")
    newer = do_post_comment(reader=bob, article=article, body="The minutes are online.")
    assert first.comment and older.comment and newer.comment
    html = anonymous.get(f"/embed/a/{article.pk}/since/?after={start}").content.decode()
    # Each is put on top of the list as it comes: the older first, so the newer ends up above it.
    assert html.index(f'id="c{older.comment.pk}"') < html.index(f'id="c{newer.comment.pk}"')


def test_a_comment_approved_later_reaches_open_threads(anonymous, article, alice, bob, troll, maria):
    from townsquare.moderation.actions import do_always_premoderate, do_approve

    do_always_premoderate(maria, article.site, troll)
    held = do_post_comment(reader=troll, article=article, body="Parking fees went up again this year.")
    later = do_post_comment(reader=bob, article=article, body="The harbour café opens at seven.")
    assert held.comment and held.comment.state == "held" and later.comment
    start = live.last_change_id(article)  # the page a reader has open shows bob's comment
    do_approve(maria, held.comment)
    html = anonymous.get(f"/embed/a/{article.pk}/since/?after={start}").content.decode()
    assert f'id="c{held.comment.pk}"' in html and f'id="c{later.comment.pk}"' not in html


def test_a_comment_a_moderator_removes_leaves_open_threads(anonymous, article, alice, bob, maria):
    from townsquare.moderation.actions import do_reject

    lone = do_post_comment(reader=bob, article=article, body="Everyone on this council is a crook.").comment
    answered = do_post_comment(reader=bob, article=article, body="The mayor lies, as always.").comment
    assert lone is not None and answered is not None
    reply = do_post_comment(reader=alice, article=article, body="Source?", parent_id=answered.pk).comment
    assert reply is not None
    start = live.last_change_id(article)  # the page a reader has open shows all three
    do_reject(maria, lone, "guidelines")
    do_reject(maria, answered, "guidelines")
    assert live.last_change_id(article) > start

    html = anonymous.get(f"/embed/a/{article.pk}/since/?after={start}").content.decode()
    # Without replies it leaves the page; with them it becomes the placeholder the thread shows.
    assert f'<div id="c{lone.pk}" hx-swap-oob="delete"></div>' in html
    assert f'hx-swap-oob="outerHTML:#c{answered.pk}"' in html
    assert "This comment was removed by a moderator." in html
    assert "The mayor lies" not in html and "crook" not in html
    assert 'hx-swap-oob="afterbegin:#ts-list"' not in html  # nothing is added


def test_her_own_comment_held_again_is_marked_awaiting_review_on_her_open_page(article, alice, bob):
    from townsquare.comments.actions import do_edit_comment

    mine = do_post_comment(reader=alice, article=article, body="The ferry runs until ten.").comment
    assert mine is not None and mine.state == "published"
    start = live.last_change_id(article)
    edited = do_edit_comment(reader=alice, comment_id=mine.pk, body="Call me on 0171 1234567 about it.")
    assert edited.comment.state == "held"
    as_alice, as_bob = Client(), Client()
    as_alice.force_login(alice)
    as_bob.force_login(bob)

    hers = as_alice.get(f"/embed/a/{article.pk}/since/?after={start}").content.decode()
    assert f'hx-swap-oob="outerHTML:#c{mine.pk}"' in hers and 'data-testid="awaiting-review"' in hers
    others = as_bob.get(f"/embed/a/{article.pk}/since/?after={start}").content.decode()
    assert f'<div id="c{mine.pk}" hx-swap-oob="delete"></div>' in others and "0171" not in others


def test_the_poll_answers_only_get(anonymous, article):
    assert anonymous.post(f"/embed/a/{article.pk}/since/?after=0").status_code == 405
    assert anonymous.post(f"/embed/a/{article.pk}/stream/").status_code == 405


def test_held_comments_never_reach_other_readers(anonymous, article, alice, troll):
    article.premoderate = True
    article.save()
    held = do_post_comment(reader=troll, article=article, body="Something a moderator should see first.")
    assert held.comment is not None and held.comment.state == "held"
    html = anonymous.get(f"/embed/a/{article.pk}/since/?after=0").content.decode()
    assert "ts-comment" not in html


@override_settings(TOWNSQUARE_SSE_STREAMS=1, TOWNSQUARE_SSE_SECONDS=0)
def test_streams_are_bounded_and_extra_readers_are_told_to_poll(anonymous, article, monkeypatch):
    import threading

    monkeypatch.setattr(live, "_slots", threading.BoundedSemaphore(1))
    first = anonymous.get(f"/embed/a/{article.pk}/stream/")
    assert first.status_code == 200 and first["Content-Type"] == "text/event-stream"
    assert anonymous.get(f"/embed/a/{article.pk}/stream/").status_code == 204
    # The stream ends when its time is up (here at once) and the reader's browser reconnects.
    assert b"".join(first.streaming_content).startswith(b"retry: 5000")
    assert anonymous.get(f"/embed/a/{article.pk}/stream/").status_code == 200


@override_settings(TOWNSQUARE_SSE_SECONDS=60)
def test_a_comment_published_while_the_stream_connects_is_announced_at_once(
    anonymous, article, alice, monkeypatch
):
    import threading

    monkeypatch.setattr(live, "_slots", threading.BoundedSemaphore(1))
    page = anonymous.get(f"/embed/{article.site.slug}/?key={article.key}").content.decode()
    assert f"/stream/?after={live.last_change_id(article)}" in page
    posted = do_post_comment(reader=alice, article=article, body="The ferry runs until ten in winter.")
    assert posted.comment is not None
    stream = anonymous.get(f"/embed/a/{article.pk}/stream/?after=0")
    chunks = iter(stream.streaming_content)
    assert next(chunks).startswith(b"retry:")
    assert next(chunks) == f"event: comment\ndata: {live.last_change_id(article)}\n\n".encode()
    stream.close()


def test_a_cached_page_is_stale_as_soon_as_a_comment_is_posted(
    anonymous, article, alice, django_capture_on_commit_callbacks
):
    url = f"/api/v1/articles/{article.pk}/comments"
    assert anonymous.get(url).json()["comments"] == []
    with django_capture_on_commit_callbacks(execute=True):
        posted = do_post_comment(reader=alice, article=article, body="First to comment on the budget.")
    assert posted.comment is not None
    assert [c["id"] for c in anonymous.get(url).json()["comments"]] == [posted.comment.pk]


def test_an_unknown_article_is_not_found_and_never_cached(anonymous):
    assert anonymous.get("/api/v1/articles/987654/comments").status_code == 404
    assert anonymous.get("/api/v1/articles/987654/comments").status_code == 404
