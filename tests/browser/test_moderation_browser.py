"""Moderators at the desk in Debian's Chromium: the keyboard loop, a refusal, a bulk rejection."""

import re
from typing import Any
from urllib.parse import quote

import pytest
from conftest import PASSWORD
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in
from townsquare.comments.models import Comment, CommentState
from townsquare.moderation.tests.desk_helpers import make_comment, make_many

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_maria_clears_a_held_comment_with_the_keyboard_and_readers_see_it(
    live_server: Any, page: Page, browser: Browser, maria: Any, troll: Any, alice: Any, article: Any
) -> None:
    make_comment(alice, article, "An older held comment, idiot.")
    held = make_comment(troll, article, "The ceasefire will not hold, idiot.")
    sign_in(page, live_server.url, "maria", PASSWORD, "/moderate/gazette/")
    item = page.locator(f"#m{held.pk}")
    expect(item.locator("mark")).to_have_text("idiot")

    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()

    page.keyboard.press("j")  # newest first: the troll's comment
    expect(item).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("c")
    expect(page.locator(f"#ctx-{held.pk}")).to_contain_text("A top-level comment")
    page.keyboard.press("a")
    expect(item).to_contain_text("Approved: the comment is published.")
    # The cursor moved on to the next comment still waiting.
    expect(page.locator(".mod-item.is-current")).to_contain_text("An older held comment")
    expect(page.locator('[data-count="held"]')).to_have_text("1", timeout=15_000)

    reader = browser.new_context()
    try:
        thread = reader.new_page()
        thread.goto(f"{live_server.url}/embed/gazette/?key=peace-talks")
        expect(thread.get_by_text("The ceasefire will not hold")).to_be_visible()
        expect(thread.get_by_text("An older held comment")).to_have_count(0)
    finally:
        reader.close()
    assert Comment.objects.get(pk=held.pk).state == CommentState.PUBLISHED


def test_oscar_of_the_courier_is_refused_at_the_gazette(
    live_server: Any, page: Page, oscar: Any, troll: Any, article: Any
) -> None:
    held = make_comment(troll, article)
    sign_in(page, live_server.url, "oscar", PASSWORD, "/moderate/gazette/")
    expect(page.get_by_role("alert")).to_have_text("You do not moderate this site.")
    assert page.get_by_text(held.body).count() == 0
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    api = page.request.post(
        f"{live_server.url}/api/v1/moderate/comments/{held.pk}/approve",
        headers={"X-CSRFToken": csrf, "Referer": live_server.url},
        data={},
    )
    assert api.status == 403
    assert Comment.objects.get(pk=held.pk).state == CommentState.HELD


def test_maria_rejects_fifty_comments_at_once(
    live_server: Any, page: Page, maria: Any, troll: Any, article: Any
) -> None:
    comments = make_many(troll, article, 50)
    sign_in(page, live_server.url, "maria", PASSWORD, quote("/moderate/gazette/?queue=held&limit=50"))
    expect(page.locator(".mod-item")).to_have_count(50)
    page.get_by_label("Select all on this page").check()
    expect(page.locator("#mod-selected-count")).to_have_text("50")
    page.get_by_label("Reason for a bulk rejection").select_option("spam")
    with page.expect_navigation():
        page.get_by_role("button", name="Reject selected").click()
    expect(page.get_by_role("status").first).to_contain_text("Rejected 50 comments.")
    expect(page.locator('[data-count="held"]')).to_have_text("0")
    states = set(Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list("state", flat=True))
    assert states == {CommentState.REJECTED}
