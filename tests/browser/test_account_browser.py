"""alice manages her account without leaving the article: from the comments frame to her account
page and back, under her new name."""

from typing import Any

import pytest
from conftest import PASSWORD
from playwright.sync_api import Page, expect

from tests.browser.conftest import fill_sign_in_form
from townsquare.comments.actions import ensure_article
from townsquare.sites.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_changes_her_name_inside_the_frame(live_server: Any, page: Page, alice: Any, bob: Any):
    site = Site.objects.create(slug="gazette", name="The Gazette", allowed_origins=[live_server.url])
    ensure_article(site, "peace-talks", title="Peace talks")
    page.goto(f"{live_server.url}/news/gazette/peace-talks/")
    frame = page.frame_locator("iframe.townsquare-frame")
    with page.expect_event("framenavigated", predicate=lambda f: "/accounts/signin/" in f.url) as navigated:
        frame.get_by_role("link", name="Sign in").first.click()
    fill_sign_in_form(navigated.value, "alice", PASSWORD)

    frame.get_by_role("link", name="Your account").click()
    name = frame.get_by_label("Display name (shown with your comments)")
    name.fill("bob")
    frame.get_by_role("button", name="Change the name").click()
    # Refused beside the field, which keeps what she typed and says why.
    expect(frame.get_by_role("alert")).to_have_text("That display name is taken.")
    expect(name).to_have_value("bob")
    expect(name).to_have_attribute("aria-invalid", "true")

    name.fill("Alice from Leeds")
    frame.get_by_role("button", name="Change the name").click()
    expect(frame.get_by_test_id("saved")).to_contain_text("Your display name is changed.")
    frame.get_by_role("link", name="Back to the comments").click()
    expect(frame.get_by_test_id("display-name")).to_have_text("Alice from Leeds")
