"""Alice has the thread open: bob's new comment reaches her within seconds, a held one never does."""

from typing import Any
from urllib.parse import quote

import pytest
from conftest import PASSWORD
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from townsquare.comments.actions import do_edit_comment, do_post_comment
from townsquare.comments.models import Article, Comment, CommentState
from townsquare.moderation.actions import do_always_premoderate, do_approve, do_reject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in the page before its own scripts: notes why each request for new comments was made, the
# stream's nudge ("sse:comment") or the 15-second poll (no triggering event), and when, in
# milliseconds since the page started loading.
RECORD_LIVE_REQUESTS = """
window.tsLive = [];
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.path.includes("/since/")) {
    const trigger = event.detail.triggeringEvent;
    window.tsLive.push({trigger: trigger ? trigger.type : "poll", at: performance.now()});
  }
});
"""
POLL_MS = 15_000
# The stream looks at the database every 2 s (Redis announces at once); then one request. Well
# short of the poll, with room for a loaded machine.
ARRIVES_WITHIN_MS = 6_000


def published(reader: Any, article: Article, body: str, parent: Comment | None = None) -> Comment:
    comment = do_post_comment(
        reader=reader, article=article, body=body, parent_id=parent.pk if parent else None
    ).comment
    assert comment is not None and comment.state == CommentState.PUBLISHED
    return comment


def open_thread(page: Page, live_server: Any) -> None:
    """The reader page of the article, signed out, with its event stream connected."""
    with page.expect_response(lambda r: "/stream/" in r.url):
        page.goto(f"{live_server.url}/embed/gazette/?key=peace-talks")


def test_bobs_comment_reaches_alices_open_thread_in_seconds_and_held_ones_never_do(
    live_server: Any,
    page: Page,
    pipeline_without_model: None,
    article: Article,
    alice: Any,
    bob: Any,
    troll: Any,
    maria: Any,
) -> None:
    earlier = do_post_comment(reader=bob, article=article, body="Who chairs the border commission?").comment
    assert earlier is not None and earlier.state == CommentState.PUBLISHED
    do_always_premoderate(maria, article.site, troll, reason="Attacks other readers.")

    page.add_init_script(RECORD_LIVE_REQUESTS)
    with page.expect_response(lambda r: "/stream/" in r.url) as stream:
        sign_in(page, live_server.url, "alice", PASSWORD, quote("/embed/gazette/?key=peace-talks"))
    # 204 would mean every stream slot of the server is taken and only the poll is left.
    assert stream.value.status == 200
    expect(page.get_by_test_id("display-name")).to_have_text("Alice")
    expect(page.get_by_text("Who chairs the border commission?")).to_be_visible()
    draft = "I think the commission should"
    page.get_by_label("Your comment", exact=True).fill(draft)

    phone = do_post_comment(reader=bob, article=article, body="Call me on 0171 1234567 about the talks.")
    trolls = do_post_comment(reader=troll, article=article, body="The talks resume on Monday.")
    assert phone.comment.state == CommentState.HELD
    assert trolls.comment.state == CommentState.HELD
    news = do_post_comment(reader=bob, article=article, body="The commission meets on *Friday*.").comment
    assert news.state == CommentState.PUBLISHED

    arrived = page.locator(f"#c{news.pk}")
    expect(arrived).to_contain_text("The commission meets on Friday.", timeout=ARRIVES_WITHIN_MS)
    expect(arrived.locator("em", has_text="Friday")).to_be_visible()
    expect(arrived.locator(".ts-author")).to_have_text("Bob")
    # Newest first, above the comment alice saw when she opened the thread; the held ones, posted
    # before it and so in the same range of ids, are not there.
    comments = page.locator("#ts-list > .ts-comment")
    expect(comments).to_have_count(2)
    expect(comments.first).to_have_id(f"c{news.pk}")
    expect(page.get_by_text("0171 1234567")).to_have_count(0)
    expect(page.get_by_text("The talks resume on Monday.")).to_have_count(0)
    # No reload: alice's half-written comment is still in its box.
    expect(page.get_by_label("Your comment", exact=True)).to_have_value(draft)

    # The stream's nudge fetched it, before the first poll could have run.
    first = page.evaluate("() => window.tsLive[0]")
    assert first is not None, "no request for new comments was made"
    assert first["trigger"] == "sse:comment"
    assert first["at"] < POLL_MS


def test_a_comment_approved_again_after_an_edit_is_updated_in_place_not_shown_twice(
    live_server: Any,
    page: Page,
    pipeline_without_model: None,
    article: Article,
    alice: Any,
    bob: Any,
    maria: Any,
) -> None:
    first = published(bob, article, "The talks resume on Monday.")
    reply = published(alice, article, "Which room?", parent=first)
    open_thread(page, live_server)
    expect(page.get_by_text("The talks resume on Monday.")).to_be_visible()
    expect(page.get_by_text("Which room?")).to_be_visible()

    # Bob's edit puts a phone number in it: held, until maria decides it may stand.
    edited = do_edit_comment(reader=bob, comment_id=first.pk, body="Monday, in room 12: 0171 1234567.")
    assert edited.comment.state == CommentState.HELD
    do_approve(maria, edited.comment)

    shown = page.locator(f"#c{first.pk}")
    expect(shown).to_contain_text("Monday, in room 12", timeout=ARRIVES_WITHIN_MS)
    expect(shown).to_have_count(1)
    expect(page.locator("#ts-list > .ts-comment")).to_have_count(1)
    # Alice's reply, loaded with the page, is still under it.
    expect(shown.locator(f"#c{reply.pk}")).to_contain_text("Which room?")


def test_a_comment_a_moderator_removes_leaves_alices_open_thread(
    live_server: Any,
    page: Page,
    pipeline_without_model: None,
    article: Article,
    alice: Any,
    bob: Any,
    maria: Any,
) -> None:
    lone = published(bob, article, "The ferry company is run by crooks.")
    answered = published(bob, article, "The harbour master lies again.")
    reply = published(alice, article, "Which statement?", parent=answered)
    open_thread(page, live_server)
    expect(page.get_by_text("The ferry company is run by crooks.")).to_be_visible()

    do_reject(maria, lone, "guidelines")
    do_reject(maria, answered, "guidelines")

    expect(page.locator(f"#c{lone.pk}")).to_have_count(0, timeout=ARRIVES_WITHIN_MS)
    removed = page.locator(f"#c{answered.pk}")
    expect(removed).to_contain_text("This comment was removed by a moderator.", timeout=ARRIVES_WITHIN_MS)
    expect(page.get_by_text("The harbour master lies again.")).to_have_count(0)
    # Alice's reply stays, under the placeholder.
    expect(removed.locator(f"#c{reply.pk}")).to_contain_text("Which statement?")
