"""alice on a phone, inside the publisher's frame: what she typed stays, focus stays where she works,
the frame fits its content, and nothing is wider than the screen."""

from typing import Any

import pytest
from conftest import PASSWORD
from playwright.sync_api import Browser, Frame, FrameLocator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import TIMEOUT_MS, sign_in
from townsquare.comments.actions import do_post_comment, ensure_article
from townsquare.sites.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THREAT = "Someone should put a bullet in every traitor like you."


@pytest.fixture
def phone(browser: Browser) -> Any:
    context = browser.new_context(viewport={"width": 375, "height": 667}, has_touch=True, is_mobile=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def open_thread(page: Page, base: str, who: str | None = "alice") -> tuple[FrameLocator, Frame]:
    if who is not None:
        sign_in(page, base, who, PASSWORD)
    page.goto(f"{base}/news/gazette/peace-talks/")
    page.locator("iframe.townsquare-frame").scroll_into_view_if_needed()
    frame = page.frame_locator("iframe.townsquare-frame")
    expect(frame.locator("li.ts-comment").first).to_be_visible()
    inner = page.locator("iframe.townsquare-frame").element_handle().content_frame()
    assert inner is not None
    return frame, inner


def focused(inner: Frame) -> str:
    return str(inner.evaluate("document.activeElement.id || document.activeElement.tagName"))


def expect_focus(inner: Frame, element_id: str) -> None:
    """Focus moves once the swap has settled, which may be a moment after the message shows."""
    try:
        inner.wait_for_function("id => document.activeElement.id === id", arg=element_id, timeout=5000)
    except PlaywrightTimeout:
        pytest.fail(f"focus is on {focused(inner)!r}, not #{element_id}")


@pytest.fixture
def thread(live_server: Any, bob: Any) -> Any:
    site = Site.objects.create(slug="gazette", name="The Gazette", allowed_origins=[live_server.url])
    article = ensure_article(site, "peace-talks", title="Peace talks")
    comment = do_post_comment(reader=bob, article=article, body="Will the border commission meet?").comment
    assert comment is not None
    return comment


def test_a_refused_reply_keeps_its_text_and_says_why_beside_it(
    live_server: Any, phone: Page, alice: Any, thread: Any
):
    frame, inner = open_thread(phone, live_server.url)
    bobs = frame.locator(f"#c{thread.pk}")
    bobs.get_by_text("Reply", exact=True).click()
    bobs.get_by_label("Your reply").fill(THREAT)
    bobs.get_by_role("button", name="Post reply").click()

    expect(bobs.get_by_role("alert")).to_contain_text("Threats and calls for violence are not allowed")
    expect(bobs.get_by_label("Your reply")).to_have_value(THREAT)
    expect_focus(inner, f"body-{thread.pk}")
    expect(frame.locator(f"#r{thread.pk} .ts-comment")).to_have_count(0)


def test_focus_stays_where_alice_works(live_server: Any, phone: Page, alice: Any, thread: Any):
    frame, inner = open_thread(phone, live_server.url)
    frame.locator(f"#like-{thread.pk}").click()
    expect(frame.locator(f"#like-{thread.pk}")).to_have_attribute("aria-pressed", "true")
    expect_focus(inner, f"like-{thread.pk}")

    frame.get_by_label("Your comment").fill("Talks are better than the alternative.")
    frame.get_by_role("button", name="Post comment").click()
    expect(frame.get_by_test_id("post-outcome")).to_have_text("Your comment is published.")
    new = frame.locator("li.ts-comment", has_text="Talks are better").locator("article")
    expect(new).to_be_focused()
    mine = frame.locator("#" + str(new.get_attribute("id")))

    mine.get_by_text("Edit", exact=True).click()
    mine.get_by_label("Edit your comment").fill("Talks are far better than the alternative.")
    mine.get_by_role("button", name="Save").click()
    expect(mine).to_contain_text("far better")
    expect(mine).to_be_focused()


HEIGHT = "document.querySelector('iframe.townsquare-frame').getBoundingClientRect().height"


def frame_height(page: Page) -> float:
    return float(page.evaluate(HEIGHT))


def test_the_frame_shrinks_back_when_a_form_closes(live_server: Any, phone: Page, alice: Any, thread: Any):
    frame, _inner = open_thread(phone, live_server.url)
    phone.wait_for_timeout(300)
    closed = frame_height(phone)
    reply = frame.locator(f"#c{thread.pk}").get_by_text("Reply", exact=True)
    reply.click()
    phone.wait_for_function(f"closed => {HEIGHT} > closed", arg=closed)
    reply.click()
    phone.wait_for_function(f"closed => Math.abs({HEIGHT} - closed) < 2", arg=closed)


def test_nothing_is_wider_than_a_phone(live_server: Any, phone: Page, bob: Any, thread: Any):
    bob.profile.display_name = "Bob" + "b" * 57
    bob.profile.save()
    long_path = "gazette.example/" + "a-very-long-path-segment-" * 8
    compound = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellungsfabrik" * 2
    posted = do_post_comment(
        reader=bob,
        article=thread.article,
        body=f"Sources:\n\n- {long_path}\n- {compound}",
    )
    assert posted.decision.state == "published", posted.decision
    frame, inner = open_thread(phone, live_server.url, who=None)
    expect(frame.get_by_text("Sources:")).to_be_visible()
    # Measured once layout settles (the frame is sized by the page as it loads); wider text fails here.
    inner.wait_for_function(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_refused_background_poll_is_not_announced(live_server: Any, phone: Page, alice: Any, thread: Any):
    """The poll for new comments tries again by itself; a busy server's 429 is not alice's doing."""
    frame, inner = open_thread(phone, live_server.url)
    busy = '<p class="ts-error" role="alert">The server is busy.</p>'
    phone.route("**/since/**", lambda route: route.fulfill(status=429, body=busy, content_type="text/html"))
    with phone.expect_response(lambda r: "/since/" in r.url):
        inner.evaluate("() => window.htmx.trigger('#ts-live', 'sse:comment')")
    phone.wait_for_timeout(300)
    assert frame.locator("#ts-posted").inner_text() == ""
