"""The desk's markup for keyboard and screen-reader users: maria's queue, read as an element tree."""

import itertools
from collections.abc import Iterator

import pytest
from conftest import client_for
from django.test.html import Element, parse_html
from django.urls import reverse

from townsquare.moderation.tests.desk_helpers import make_comment


@pytest.fixture
def as_maria(maria):
    return client_for(maria)


def parse(html: str) -> Element:
    """The document as a root element, even when it has one element only (parse_html returns that)."""
    document = parse_html(html)
    if document.name is None:
        return document
    root = Element(None, [])
    root.children.append(document)
    return root


def walk(node: Element) -> Iterator[Element]:
    for child in node.children:
        if isinstance(child, Element):
            yield child
            yield from walk(child)


def attr(element: Element, name: str) -> str | None:
    return dict(element.attributes).get(name)


def classes(element: Element) -> set[str]:
    return set((attr(element, "class") or "").split())


def find_all(node: Element, tag: str | None = None, *, cls: str = "", **attrs: str) -> list[Element]:
    """Elements under `node` with the tag, class and attribute values given (`aria_x` is `aria-x`)."""
    wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
    return [
        e
        for e in walk(node)
        if (tag is None or e.name == tag)
        and (not cls or cls in classes(e))
        and all(attr(e, name) == value for name, value in wanted.items())
    ]


def find(node: Element, tag: str | None = None, *, cls: str = "", **attrs: str) -> Element:
    found = find_all(node, tag, cls=cls, **attrs)
    assert len(found) == 1, (tag, cls, attrs, len(found))
    return found[0]


def queue_page(client, queue="held"):
    response = client.get(reverse("moderation:queue", args=["gazette"]) + f"?queue={queue}")
    assert response.status_code == 200
    return parse(response.content.decode())


def test_every_control_with_a_shortcut_names_its_key(as_maria, troll, article):
    comment = make_comment(troll, article)
    page = queue_page(as_maria)
    item = find(page, "li", id=f"m{comment.pk}")
    for key in "arch":
        control = find(item, data_key=key)
        assert attr(control, "aria-keyshortcuts") == key
    assert attr(find(item, "input", cls="mod-select"), "aria-keyshortcuts") == "x"
    assert attr(find(page, "button", cls="mod-help-open"), "aria-keyshortcuts") == "?"
    assert attr(find(page, "input", id="mod-q"), "aria-keyshortcuts") == "/"


def test_desk_pages_do_without_the_reader_frames_script(as_maria, ada, client, article):
    """frame.js swaps a refusal in place of what was acted on: on the desk it would swap a comment
    away. The reader's page keeps it."""
    desk = [
        reverse("moderation:queue", args=["gazette"]),
        reverse("moderation:audit", args=["gazette"]),
        reverse("moderation:articles", args=["gazette"]),
    ]
    for url in desk:
        html = as_maria.get(url).content.decode()
        assert "moderation/desk.js" in html
        assert "townsquare/frame.js" not in html, url
    reader = client.get(reverse("comments:embed", args=["gazette"]) + "?key=peace-talks")
    assert reader.status_code == 200
    assert "townsquare/frame.js" in reader.content.decode()


def test_refusals_have_an_alert_region_to_go_to(as_maria, troll, article):
    make_comment(troll, article)
    alert = find(queue_page(as_maria), id="mod-alert")
    assert attr(alert, "role") == "alert"


def test_the_poll_swaps_the_badges_and_nothing_else(as_maria, troll, article):
    make_comment(troll, article)
    tabs = find(queue_page(as_maria), "nav", id="mod-tabs")
    assert attr(tabs, "hx-swap") == "none"
    counts = as_maria.get(reverse("moderation:counts", args=["gazette"]))
    fragment = parse(counts.content.decode())
    swapped = [e for e in walk(fragment) if attr(e, "hx-swap-oob")]
    assert swapped == list(walk(fragment)), "only the badges come back"
    assert {attr(e, "id") for e in swapped} == {attr(e, "id") for e in find_all(tabs, cls="mod-count")}
    assert find(fragment, id="mod-count-held").children == ["1"]


def text_of(element: Element) -> str:
    return " ".join(
        part for child in element.children for part in [child if isinstance(child, str) else text_of(child)]
    ).strip()


def test_queue_items_are_plain_list_items_headed_by_the_author(as_maria, alice, troll, article):
    comments = [make_comment(troll, article), make_comment(alice, article, "A calm comment, idiot.")]
    page = queue_page(as_maria)
    items = find(page, "ol", id="mod-items")
    listed = find_all(items, "li", cls="mod-item")
    assert [attr(li, "id") for li in listed] == [f"m{c.pk}" for c in reversed(comments)]
    for li, author in zip(listed, ["Alice", "NightWatch88"], strict=True):
        assert li in items.children, "an item is a child of the list"
        assert not [name for name, _ in li.attributes if name == "role" or name.startswith("aria-")]
        (heading,) = find_all(li, "h2")
        assert text_of(heading) == author
        assert attr(find(li, "article"), "aria-labelledby") == attr(heading, "id")
    levels = [int(e.name[1]) for e in walk(page) if e.name in {"h1", "h2", "h3", "h4", "h5", "h6"}]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def test_a_decided_comment_stays_a_plain_list_item(as_maria, troll, article):
    comment = make_comment(troll, article)
    response = as_maria.post(reverse("moderation:approve", args=[comment.pk]), HTTP_HX_REQUEST="true")
    row = find(parse(response.content.decode()), "li", id=f"m{comment.pk}")
    assert attr(row, "role") is None


def test_outcomes_of_actions_go_to_a_polite_status_region(as_maria, troll, article):
    comments = [make_comment(troll, article) for _ in range(4)]
    status = find(queue_page(as_maria), id="mod-status")
    assert (attr(status, "role"), attr(status, "aria-live")) == ("status", "polite")

    approved = as_maria.post(reverse("moderation:approve", args=[comments[0].pk]), HTTP_HX_REQUEST="true")
    swapped = find(parse(approved.content.decode()), id="mod-status")
    assert attr(swapped, "hx-swap-oob") == "innerHTML"
    assert text_of(swapped) == "Approved the comment by NightWatch88."

    bulk = as_maria.post(
        reverse("moderation:bulk", args=["gazette"]),
        {"ids": [c.pk for c in comments[1:]], "action": "approve"},
        follow=True,
    )
    status = find(parse(bulk.content.decode()), id="mod-status")
    assert text_of(status) == "Approved 3 comments."


def heading_levels(node: Element) -> list[int]:
    return [int(e.name[1]) for e in walk(node) if e.name in {"h1", "h2", "h3", "h4", "h5", "h6"}]


def test_a_readers_history_fits_under_the_heading_it_is_shown_under(as_maria, troll, article):
    comment = make_comment(troll, article)
    url = reverse("moderation:reader", args=["gazette", troll.pk])
    levels = heading_levels(parse(as_maria.get(url).content.decode()))  # its own page, under the h1
    assert levels[0] == 1 and levels[1] == 2
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    # Under a comment, whose author is an h2, and again after a measure is taken there.
    panel = as_maria.get(url, {"comment": comment.pk}, HTTP_HX_REQUEST="true")
    assert heading_levels(parse(panel.content.decode()))[0] == 3
    form = find(parse(panel.content.decode()), "form", cls="mod-sanction")
    assert attr(find(form, "input", name="comment_id"), "value") == str(comment.pk)
    data = {"kind": "warn", "reason": "Name-calling.", "days": "7", "comment_id": str(comment.pk)}
    after = as_maria.post(
        reverse("moderation:sanction", args=["gazette", troll.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert heading_levels(parse(after.content.decode()))[0] == 3
