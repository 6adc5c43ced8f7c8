"""Comment bodies: a small Markdown subset; everything else is text, never markup."""

from html.parser import HTMLParser

import pytest

from townsquare.comments.render import render_body


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(html)
    return found


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("*soft* and **strong**", "<p><em>soft</em> and <strong>strong</strong></p>"),
        ("use `git log`", "<p>use <code>git log</code></p>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. first\n2. second", "<ol>\n<li>first</li>\n<li>second</li>\n</ol>"),
        ("line\nbreak", "<p>line<br>\nbreak</p>"),
    ],
)
def test_the_markdown_subset(body: str, html: str):
    assert render_body(body) == html


def test_links_are_nofollow_ugc_and_open_outside_the_frame():
    html = render_body("[the report](https://example.org/report)")
    assert 'href="https://example.org/report"' in html
    assert 'rel="nofollow ugc noopener noreferrer"' in html
    assert 'target="_blank"' in html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "<iframe src='https://evil.example'></iframe>",
        '<p style="position:fixed">overlay</p>',
        "# heading\n\n![img](https://evil.example/x.png)",
    ],
)
def test_raw_html_and_dangerous_links_are_neutralised(body: str):
    """Whatever the text, the output's elements are the allowlisted ones and links are http(s)."""
    for tag, attrs in elements(render_body(body)):
        assert tag in {"p", "br", "em", "strong", "a", "code", "blockquote", "ul", "ol", "li"}, tag
        for name, value in attrs:
            assert (tag, name) in {("a", "href"), ("a", "rel"), ("a", "target")}, (tag, name)
            if name == "href":
                assert (value or "").startswith(("https://", "http://", "mailto:")), value


def test_raw_html_is_shown_as_text():
    assert render_body("<b>bold?</b>") == "<p>&lt;b&gt;bold?&lt;/b&gt;</p>"


def test_a_javascript_link_keeps_its_text_but_loses_the_link():
    html = render_body("[click](javascript:alert(1))")
    assert "<a" not in html
    assert "click" in html
