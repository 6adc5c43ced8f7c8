"""A reader on the publisher's page: sees the embedded thread, signs in inside it, replies."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
    # Said inside the page's live region, which stays in place to be announced.
    expect(frame.locator("#ts-posted")).to_have_attribute("aria-live", "polite")
    # The frame tells the publisher's page its new height, and the page follows.
    page.wait_for_function(
        "before => document.querySelector('iframe.townsquare-frame').getBoundingClientRect().height > before",
        arg=height_before,
    )


@contextmanager
def publisher_page(html: str) -> Iterator[str]:
    """A newspaper's own server, on another origin than the comments: the page's address."""
    body = html.encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_frame_on_another_origin_shows_sign_in_and_keeps_text_when_signed_out(
    live_server: Any, page: Page, alice: Any
):
    """The publisher's page is served from its own origin, as a real newspaper's is."""
    html = (
        "<!doctype html><title>Peace talks</title><h1>Peace talks</h1>"
        f'<script src="{live_server.url}/static/townsquare/embed.js" data-site="gazette" '
        'data-article="peace-talks" async></script>'
    )
    with publisher_page(html) as publisher:
        site = Site.objects.create(slug="gazette", name="The Gazette", allowed_origins=[publisher])
        ensure_article(site, "peace-talks", title="Peace talks")
        page.goto(f"{publisher}/peace-talks")
        frame = page.frame_locator("iframe.townsquare-frame")
        with page.expect_event("framenavigated", predicate=lambda f: "/accounts/signin/" in f.url):
            frame.get_by_role("link", name="Sign in").first.click()
        expect(frame.get_by_label("Password")).to_be_visible()  # not refused by the frame's headers

    # Signed in on the same origin, then signed out elsewhere before posting: nothing typed is lost.
    site.allowed_origins = [live_server.url]
    site.save()
    page.goto(f"{live_server.url}/news/gazette/peace-talks/")
    frame = page.frame_locator("iframe.townsquare-frame")
    with page.expect_event("framenavigated", predicate=lambda f: "/accounts/signin/" in f.url) as navigated:
        frame.get_by_role("link", name="Sign in").first.click()
    fill_sign_in_form(navigated.value, "alice", PASSWORD)
    expect(frame.get_by_test_id("display-name")).to_have_text("Alice")
    frame.get_by_label("Your comment").fill("A long and careful comment.")
    page.context.clear_cookies()
    frame.get_by_role("button", name="Post comment").click()
    expect(frame.get_by_role("alert").first).to_be_visible()
    expect(frame.get_by_label("Your comment")).to_have_value("A long and careful comment.")


def test_sorting_and_loading_more_tell_where_the_reader_is(
    live_server: Any, page: Page, alice: Any, settings: Any
):
    settings.THREAD_PAGE_SIZE = 2
    site = Site.objects.create(slug="gazette", name="The Gazette", allowed_origins=[live_server.url])
    article = ensure_article(site, "peace-talks", title="Peace talks")
    first, second, third = (
        do_post_comment(reader=alice, article=article, body=f"Point number {n}.").comment for n in (1, 2, 3)
    )
    page.goto(f"{live_server.url}/embed/gazette/?key=peace-talks")
    sort = page.get_by_role("navigation", name="Sort comments")
    sort.get_by_role("link", name="Oldest").click()
    expect(page.locator("#ts-list > li.ts-comment").first).to_have_id(f"c{first.pk}")
    expect(sort.get_by_role("link", name="Oldest")).to_have_attribute("aria-current", "true")
    expect(sort.get_by_role("link", name="Newest")).not_to_have_attribute("aria-current", "true")

    page.get_by_role("button", name="Load more comments").click()
    expect(page.locator(f"#a{third.pk}")).to_be_focused()  # the first comment the page added

    # Newest first, and live updates showed the first comment on top already (approved late, say).
    sort.get_by_role("link", name="Newest").click()
    expect(page.locator("#ts-list > li.ts-comment").first).to_have_id(f"c{third.pk}")
    page.evaluate(
        "id => { const li = document.createElement('li'); li.className = 'ts-comment'; li.id = id;"
        " document.getElementById('ts-list').prepend(li); }",
        f"c{first.pk}",
    )
    page.get_by_role("button", name="Load more comments").click()
    expect(page.locator(f"#c{second.pk}")).to_have_count(1)
    expect(page.locator(f"#c{first.pk}")).to_have_count(1)
