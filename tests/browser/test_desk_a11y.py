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


def test_shortcuts_work_from_a_comments_selection_box(
    live_server: Any, page: Page, maria: Any, troll: Any, alice: Any, article: Any
) -> None:
    older = make_comment(alice, article, "An older held comment, idiot.")
    make_comment(troll, article, "The ceasefire will not hold, idiot.")
    sign_in(page, live_server.url, "maria", PASSWORD, "/moderate/gazette/")
    box = page.locator(f"#sel-{older.pk}")
    box.focus()
    page.keyboard.press("x")
    expect(box).to_be_checked()
    expect(page.locator("#mod-selected-count")).to_have_text("1")
    page.keyboard.press("a")
    expect(page.locator(f"#m{older.pk}")).to_contain_text("Approved: the comment is published.")
    assert Comment.objects.get(pk=older.pk).state == CommentState.PUBLISHED


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
    # The window title too, which a moderator sees from another tab.
    expect(page).to_have_title(re.compile(r"^Held by the system \(2\) · The Gazette"))
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


RING = "#0b5cad"
RING_STYLE = """(el) => {
  // The colour the focus ring is drawn in, and what lies behind it: the nearest background that is
  // not transparent, from the element itself when the ring is drawn inside it, else its parent.
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = outlined ? style.outlineColor : (style.boxShadow.match(/rgba?\\([^)]*\\)/) || [""])[0];
  let under = outlined && parseFloat(style.outlineOffset) < 0 ? el : el.parentElement;
  while (under && /rgba\\(0, 0, 0, 0\\)|transparent/.test(getComputedStyle(under).backgroundColor)) {
    under = under.parentElement;
  }
  const backdrop = under ? getComputedStyle(under).backgroundColor : "rgb(255, 255, 255)";
  return { ring: ring, backdrop: backdrop, shadow: style.boxShadow };
}"""


def rgb(css: str) -> tuple[int, int, int]:
    if css.startswith("#"):
        return int(css[1:3], 16), int(css[3:5], 16), int(css[5:7], 16)
    r, g, b = (int(n) for n in re.findall(r"\d+", css)[:3])
    return r, g, b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def luminance(colour: tuple[int, int, int]) -> float:
        srgb = [c / 255 for c in colour]
        linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in srgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def assert_visible_ring(page: Page, what: str) -> None:
    seen = page.evaluate(RING_STYLE, page.evaluate_handle("document.activeElement"))
    assert rgb(seen["ring"]) == rgb(RING), (what, seen)
    white_band = re.search(r"rgb\(255, 255, 255\) 0px 0px 0px [5-9]px", seen["shadow"])
    assert contrast(rgb(RING), rgb(seen["backdrop"])) >= 3 or white_band, (what, seen)


def test_focus_is_ringed_in_blue_wherever_it_goes_and_the_boxes_are_big_enough(
    live_server: Any, page: Page, maria: Any, troll: Any, article: Any
) -> None:
    held = make_comment(troll, article)
    sign_in(page, live_server.url, "maria", PASSWORD, "/moderate/gazette/")
    item = page.locator(f"#m{held.pk}")
    expect(item).to_be_visible()

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the queue")).to_be_focused()
    assert_visible_ring(page, "the skip link")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Townsquare moderation")).to_be_focused()
    assert_visible_ring(page, "a link on the dark bar")
    page.locator('#mod-tabs a[data-queue="held"]').focus()
    assert_visible_ring(page, "a queue tab")
    page.keyboard.press("j")
    expect(item).to_be_focused()
    assert_visible_ring(page, "a comment")
    page.keyboard.press("Tab")
    expect(item.locator(".mod-select")).to_be_focused()
    assert_visible_ring(page, "a comment's checkbox")
    item.get_by_role("button", name="Approve").focus()
    assert_visible_ring(page, "a comment's button")

    for box in (item.locator(".mod-select"), page.get_by_label("Select all on this page")):
        size = box.bounding_box()
        assert size and size["width"] >= 24 and size["height"] >= 24, size
