"""Maria at the desk with only a keyboard and a screen reader in Debian's Chromium."""

import re
from typing import Any

import pytest
from conftest import PASSWORD
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from townsquare.comments.models import Comment, CommentState
from townsquare.moderation.actions import do_reject
from townsquare.moderation.tests.desk_helpers import make_comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CURRENT = re.compile(r"\bis-current\b")


def test_a_shortcut_acts_on_the_comment_maria_tabbed_into(
    live_server: Any, page: Page, maria: Any, troll: Any, alice: Any, article: Any
) -> None:
    older = make_comment(alice, article, "An older held comment, idiot.")
    newer = make_comment(troll, article, "The ceasefire will not hold, idiot.")
    sign_in(page, live_server.url, "maria", PASSWORD, "/moderate/gazette/")
    page.keyboard.press("j")  # newest first: the cursor is on the troll's comment
    expect(page.locator(f"#m{newer.pk}")).to_have_class(CURRENT)

    page.locator(f"#m{older.pk}").get_by_role("button", name="Thread").focus()
    expect(page.locator(f"#m{older.pk}")).to_have_class(CURRENT)
    page.keyboard.press("a")
    expect(page.locator(f"#m{older.pk}")).to_contain_text("Approved: the comment is published.")
    assert Comment.objects.get(pk=older.pk).state == CommentState.PUBLISHED
    assert Comment.objects.get(pk=newer.pk).state == CommentState.HELD


def test_with_focus_outside_every_comment_a_shortcut_acts_on_the_cursor(
    live_server: Any, page: Page, maria: Any, troll: Any, alice: Any, article: Any
) -> None:
    make_comment(alice, article, "An older held comment, idiot.")
    newer = make_comment(troll, article, "The ceasefire will not hold, idiot.")
    sign_in(page, live_server.url, "maria", PASSWORD, "/moderate/gazette/")
    page.keyboard.press("j")
    page.get_by_role("button", name="Filter").focus()
    page.keyboard.press("a")
    expect(page.locator(f"#m{newer.pk}")).to_contain_text("Approved: the comment is published.")


def test_when_ada_decided_first_the_comment_stays_and_maria_is_told_why(
    live_server: Any, page: Page, maria: Any, ada: Any, troll: Any, article: Any
) -> None:
    held = make_comment(troll, article, "The ceasefire will not hold, idiot.")
    sign_in(page, live_server.url, "maria", PASSWORD, "/moderate/gazette/")
    item = page.locator(f"#m{held.pk}")
    expect(item).to_be_visible()
    do_reject(ada, Comment.objects.get(pk=held.pk), "guidelines")

    approve = item.get_by_role("button", name="Approve")
    approve.focus()
    page.keyboard.press("a")
    expect(page.get_by_role("alert")).to_contain_text("changed since you saw it")
    expect(page.locator("#mod-alert")).to_contain_text("another moderator decided")
    # Nothing was swapped: the comment, its buttons and maria's place in the list are as they were.
    expect(item).to_have_count(1)
    expect(item).not_to_have_class(re.compile(r"\bmod-done\b"))
    expect(item).to_contain_text("The ceasefire will not hold")
    expect(approve).to_be_focused()
    assert Comment.objects.get(pk=held.pk).state == CommentState.REJECTED
