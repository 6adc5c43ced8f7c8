"""A reader on the publisher's page: sees the embedded thread, signs in inside it, replies."""

from typing import Any

import pytest
from conftest import PASSWORD
from playwright.sync_api import Page, expect

from tests.browser.conftest import fill_sign_in_form
from townsquare.comments.actions import do_post_comment, ensure_article
from townsquare.sites.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_reads_signs_in_and_replies_inside_the_frame(
    live_server: Any, page: Page, alice: Any, bob: Any
):
    site = Site.objects.create(slug="gazette", name="The Gazette", allowed_origins=[live_server.url])
    article = ensure_article(site, "peace-talks", title="Peace talks")
    bobs = do_post_comment(reader=bob, article=article, body="Will the border commission *meet*?").comment
    assert bobs is not None

    page.goto(f"{live_server.url}/news/gazette/peace-talks/")
    iframe = page.locator("iframe.townsquare-frame")
    iframe.scroll_into_view_if_needed()
    frame = page.frame_locator("iframe.townsquare-frame")
    expect(frame.get_by_text("Will the border commission")).to_be_visible()
    expect(frame.locator("em", has_text="meet")).to_be_visible()

    with page.expect_event("framenavigated", predicate=lambda f: "/accounts/signin/" in f.url) as navigated:
        frame.get_by_role("link", name="Sign in").first.click()
    fill_sign_in_form(navigated.value, "alice", PASSWORD)
    expect(frame.get_by_test_id("display-name")).to_have_text("Alice")
    box = iframe.bounding_box()
    assert box is not None
    height_before = box["height"]

    thread = frame.locator(f"#c{bobs.pk}")
    thread.get_by_text("Reply", exact=True).click()
    # A blank reply is refused, and the reader is told why, in place.
    thread.get_by_label("Your reply").fill("   ")
    thread.get_by_role("button", name="Post reply").click()
    expect(thread.get_by_role("alert")).to_have_text("Write something before posting.")
    thread.get_by_label("Your reply").fill("Only if both sides send **delegates**.")
    thread.get_by_role("button", name="Post reply").click()

    reply = frame.locator(f"#r{bobs.pk} .ts-comment")
    expect(reply).to_have_count(1)
    expect(reply.locator("strong", has_text="delegates")).to_be_visible()
    expect(reply.locator(".ts-author")).to_have_text("Alice")
    expect(frame.get_by_test_id("post-outcome")).to_have_text("Your comment is published.")
    # The frame tells the publisher's page its new height, and the page follows.
    page.wait_for_function(
        "before => document.querySelector('iframe.townsquare-frame').getBoundingClientRect().height > before",
        arg=height_before,
    )
