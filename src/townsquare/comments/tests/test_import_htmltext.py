"""Comment HTML from another system becomes a body `comments.render` shows as it was meant."""

import html

import nh3
from hypothesis import given
from hypothesis import strategies as st

from townsquare.comments.importers.htmltext import html_to_body
from townsquare.comments.render import render_body


def shown(body: str) -> str:
    """The text a reader sees of a body."""
    return " ".join(html.unescape(nh3.clean(render_body(body), tags=set())).split())


def test_paragraphs_and_line_breaks_stay():
    assert html_to_body("<p>One.</p>\n  <p>Two<br/>and a half.</p><div>Three.</div>") == (
        "One.\n\nTwo\nand a half.\n\nThree."
    )


def test_html_whitespace_is_a_space_unless_newlines_are_kept():
    assert html_to_body("A long\n   line") == "A long line"
    assert html_to_body("Typed\nas lines\n\n\n\nand paragraphs", newlines=True) == (
        "Typed\nas lines\n\nand paragraphs"
    )


def test_links_keep_their_address_and_lose_anything_else():
    assert html_to_body('<a href="https://x.example/a_(b)" onclick="steal()">the story</a>') == (
        "[the story](https://x.example/a_%28b%29)"
    )
    # A link that shows its own address is that address; a script link is its text only.
    assert html_to_body('<a href="https://x.example/">https://x.example/</a>') == "https://x.example/"
    assert html_to_body('<a href="javascript:steal()">free prize</a>') == "free prize"
    assert html_to_body('<img src="https://x.example/cat.jpg" alt="a cat"><img src="data:xyz">') == (
        "[a cat](https://x.example/cat.jpg)"
    )


def test_scripts_styles_and_unknown_tags_go_their_text_stays():
    body = html_to_body(
        "<script>alert(1)</script><style>p {}</style><marquee>Hello</marquee> <span>world</span>"
    )
    assert body == "Hello world"


def test_quotes_lists_and_emphasis_become_their_markdown():
    assert html_to_body("<blockquote><p>They said it.</p><p>Twice.</p></blockquote><p>No.</p>") == (
        "> They said it.\n>\n> Twice.\n\nNo."
    )
    assert html_to_body("<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>") == (
        "- one\n- two\n\n1. first\n2. second"
    )
    assert html_to_body("<p><b>Bold</b>, <i> leaning </i>and <code>x*y</code></p>") == (
        "**Bold**, *leaning* and `x*y`"
    )


def test_text_that_looks_like_markdown_shows_as_written():
    assert html_to_body("<p>5*3 = 15, [sic], snake_case, `ticks`</p>") == (
        "5\\*3 = 15, \\[sic\\], snake\\_case, \\`ticks\\`"
    )
    assert html_to_body("1. not a list\n- nor this\n> nor a quote", newlines=True) == (
        "1\\. not a list\n\\- nor this\n\\> nor a quote"
    )
    # Markdown already (Isso) stays Markdown.
    assert html_to_body("*really*\n> quoted", newlines=True, escape=False) == "*really*\n> quoted"


def test_entities_become_their_characters():
    assert html_to_body("caf&eacute; &amp; bar &lt;3 &#8212; &nbsp;ok") == "café & bar <3 — ok"


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60))
def test_any_text_in_html_shows_as_it_was_written(text):
    assert shown(html_to_body(f"<p>{html.escape(text)}</p>")) == " ".join(text.split())
