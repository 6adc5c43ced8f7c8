"""Maria at the desk with only a keyboard and a screen reader in Debian's Chromium."""

import re
from typing import Any
from urllib.parse import quote

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
    expect(page.get_by_role("status").first).to_have_text("Approved the comment by Alice.")
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


def test_the_poll_updates_the_counts_and_leaves_maria_where_she_is(
    live_server: Any, page: Page, maria: Any, ada: Any, troll: Any, alice: Any, article: Any
) -> None:
    held = make_comment(troll, article, "The ceasefire will not hold, idiot.")
    page.clock.install()  # the poll runs when the test says, not every 10 s of a slow machine
    sign_in(page, live_server.url, "maria", PASSWORD, "/moderate/gazette/")
    item = page.locator(f"#m{held.pk}")
    expect(page.locator('[data-count="held"]')).to_have_text("1")
    do_reject(ada, Comment.objects.get(pk=held.pk), "guidelines")
    thread = item.get_by_role("button", name="Thread")
    thread.focus()
    page.keyboard.press("a")
    expect(page.locator("#mod-alert")).to_contain_text("changed since you saw it")
    page.evaluate("window.seen = [document.getElementById('mod-tabs'), document.getElementById('mod-items')]")

    make_comment(alice, article, "A newer held comment, idiot.")
    page.clock.fast_forward(11_000)
    expect(page.locator('[data-count="held"]')).to_have_text("1")  # one held less, one more
    expect(page.locator('[data-count="rejected"]')).to_have_text("1")
    assert page.evaluate(
        "window.seen[0] === document.getElementById('mod-tabs')"
        " && window.seen[1] === document.getElementById('mod-items')"
    ), "the poll replaced the tabs or the list"
    expect(thread).to_be_focused()
    expect(page.locator("#mod-alert")).to_contain_text("changed since you saw it")
    expect(page.get_by_text("A newer held comment")).to_have_count(0)

    tab = page.locator('#mod-tabs a[data-queue="rejected"]')
    tab.focus()
    make_comment(alice, article, "Another held comment, idiot.")
    page.clock.fast_forward(11_000)
    expect(page.locator('[data-count="held"]')).to_have_text("2")
    expect(tab).to_be_focused()


def test_load_more_takes_maria_to_the_first_comment_it_loaded(
    live_server: Any, page: Page, maria: Any, troll: Any, article: Any
) -> None:
    oldest = make_comment(troll, article, "The oldest held comment, idiot.")
    for n in range(2):
        make_comment(troll, article, f"Newer held comment {n}, idiot.")
    sign_in(page, live_server.url, "maria", PASSWORD, quote("/moderate/gazette/?queue=held&limit=2"))
    expect(page.locator(".mod-item")).to_have_count(2)
    page.get_by_role("link", name="Load more").focus()
    page.keyboard.press("Enter")
    loaded = page.locator(f"#m{oldest.pk}")
    expect(loaded).to_be_focused()
    expect(loaded).to_have_class(CURRENT)
    page.keyboard.press("a")
    expect(loaded).to_contain_text("Approved: the comment is published.")
