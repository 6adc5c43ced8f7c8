"""Comment bodies: a small Markdown subset, rendered by markdown-it and sanitised by nh3.

Escaping is never hand-written: markdown-it renders with raw HTML off, and nh3 (ammonia) keeps
only the allowlisted tags and attributes, whatever the renderer produced.
"""

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True}).enable(
    ["emphasis", "link", "backticks", "blockquote", "list", "newline", "escape"]
)

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "code", "blockquote", "ul", "ol", "li"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render_body(body: str) -> str:
    html = _md.render(body)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener noreferrer",
        # A link opens beside the comments: followed inside the publisher's frame, it would replace
        # the thread with someone else's page.
        set_tag_attribute_values={"a": {"target": "_blank"}},
    ).strip()
