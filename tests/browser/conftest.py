"""Playwright fixtures shared by every browser test: Debian's Chromium, headless.

Browser tests run against pytest-django's `live_server` and need `transaction=True` databases, because
the server answers from another thread that must see what the test wrote.
"""

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Frame, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Short enough that a broken page fails the test quickly, long enough for a loaded machine.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session", autouse=True)
def _allow_sync_orm_beside_playwright() -> None:
    # Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls
    # from that thread unless told the loop is not ours to worry about.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def sign_in(target: Page | Frame, base_url: str, username: str, password: str, next_url: str = "/") -> None:
    """Sign a persona in through the real sign-in form, in a page or inside the comments frame.

    With a `Frame`, the frame navigates to the form and back to `next_url` (e.g. the embed URL).
    """
    target.goto(f"{base_url}/accounts/signin/?next={next_url}")
    fill_sign_in_form(target, username, password)


def fill_sign_in_form(target: Page | Frame, username: str, password: str) -> None:
    """Fill and submit the sign-in form already on screen; waits for the redirect to finish."""
    target.get_by_label("User name").fill(username)
    target.get_by_label("Password").fill(password)
    with target.expect_navigation():
        target.get_by_role("button", name="Sign in").click()
