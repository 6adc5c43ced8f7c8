"""Another system's comment HTML as a Townsquare body: the Markdown subset `comments.render` reads.

The HTML is untrusted. nh3 (ammonia, as in `comments.render`) parses it as a browser would and keeps
only the tags that carry meaning here, dropping scripts and styles with their content; the standard
library's tokenizer then walks that clean HTML and writes paragraphs, line breaks, quotes, lists,
emphasis and links as their Markdown. The text between tags is text: a "*" or "[" written in it is
escaped, so it shows as written rather than turning into emphasis or a link.
"""

import re
from html.parser import HTMLParser

import nh3

KEPT_TAGS = {
    "p", "div", "br", "blockquote", "ul", "ol", "li", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "a", "img", "em", "i", "strong", "b", "code",
}  # fmt: skip
BLOCKS = {"p", "div", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
# Tags whose Markdown wraps their content; nested deeper than this, only their text is kept (each
# level copies what it wraps: a hostile comment must not make that quadratic).
WRAPPED = {"a", "em", "i", "strong", "b", "code", "blockquote", "li"}
MAX_NESTING = 20
LINK_SCHEMES = ("http://", "https://", "mailto:")

# Markdown's meaning in the rules `comments.render` enables: emphasis, code, links, escapes anywhere;
# quotes and list items at the start of a line.
_SPECIAL = re.compile(r"([\\*_`\[\]>])")
_LINE_START = re.compile(r"^([ \t]*)(\d{1,9})([.)])(?=\s|$)|^([ \t]*)([-+])(?=\s|$)", re.MULTILINE)


def _escape(text: str, *, line_start: bool = True) -> str:
    """`text` as Markdown that shows it as written; `line_start`: whether it begins a line."""

    def marker(m: re.Match[str]) -> str:
        if m.start() == 0 and not line_start:
            return m[0]
        return f"{m[1]}{m[2]}\\{m[3]}" if m[2] else f"{m[4]}\\{m[5]}"

    return _LINE_START.sub(marker, _SPECIAL.sub(r"\\\1", text))


def _href(url: str) -> str:
    # A destination ends at a space or an unbalanced parenthesis.
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _tidy(text: str) -> str:
    # Spaces run together as a browser shows them; a blank line is a paragraph, more say no more.
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _Writer(HTMLParser):
    """Writes clean HTML (nh3's output: every tag closed, in order) as Markdown. A tag whose Markdown
    wraps its content (a link, emphasis, a quote, a list item) gathers it in a buffer of its own."""

    def __init__(self, *, newlines: bool, escape: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.newlines = newlines
        self.escape = escape
        self.buffers: list[list[str]] = [[]]
        self.opened: list[tuple[str, dict[str, str], bool]] = []  # and whether it has a buffer
        self.lists: list[list[int]] = []  # per open list: its next number, or none for bullets
        self.pre = self.code = 0  # how many are open

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "br":
            self.buffers[-1].append("\n")
        elif tag == "img":
            src = attributes.get("src", "")
            if src.startswith(LINK_SCHEMES):
                alt = self._text(" ".join(attributes.get("alt", "").split()))
                self.buffers[-1].append(f"[{alt or 'image'}]({_href(src)})")
        else:
            if tag in BLOCKS:
                self.buffers[-1].append("\n\n")
            if tag == "pre":
                self.pre += 1
            elif tag == "code":
                self.code += 1
            if tag in ("ul", "ol"):
                self.lists.append([1] if tag == "ol" else [])
            wraps = tag in WRAPPED and len(self.buffers) <= MAX_NESTING
            if wraps:
                self.buffers.append([])
            self.opened.append((tag, attributes, wraps))

    def handle_endtag(self, tag: str) -> None:
        if not self.opened or self.opened[-1][0] != tag:
            return  # nh3 closes every tag in order; this is a void tag's end, or nothing
        _, attributes, wraps = self.opened.pop()
        if tag == "pre":
            self.pre -= 1
        elif tag == "code":
            self.code -= 1
        if tag in ("ul", "ol"):
            self.lists.pop()
        elif wraps:
            self.buffers[-2].append(self._wrap(tag, attributes, "".join(self.buffers.pop())))
        if tag in BLOCKS:
            self.buffers[-1].append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.pre and not self.newlines:
            data = re.sub(r"\s+", " ", data)  # HTML's whitespace: a newline is a space
        if self.escape and not self.code:
            data = _escape(data, line_start=self._at_line_start())
        self.buffers[-1].append(data)

    def _at_line_start(self) -> bool:
        for buffer in reversed(self.buffers):
            for piece in reversed(buffer):
                if written := piece.rstrip(" \t"):
                    return written.endswith("\n")
        return True

    def _text(self, text: str) -> str:
        return _escape(text) if self.escape else text

    def _wrap(self, tag: str, attributes: dict[str, str], content: str) -> str:
        if tag == "a":
            href = attributes.get("href", "").strip()
            text = content.strip()
            if not href.startswith(LINK_SCHEMES) or text in ("", href, self._text(href)):
                # No link here, or one shown as its own address: its text (readers' addresses are
                # not made links either).
                return content if text else self._text(href)
            return f"[{text}]({_href(href)})"
        if tag == "code":
            # Its text was not escaped: Markdown's code shows it as written, if it can.
            return f"`{content}`" if content.strip() and "`" not in content else self._text(content)
        if tag in ("em", "i", "strong", "b"):
            mark = "*" if tag in ("em", "i") else "**"
            # Emphasis must hug its text: "* x *" is not emphasis.
            inner = content.strip()
            if not inner or "\n" in inner:
                return content
            lead, trail = content[: len(content) - len(content.lstrip())], content[len(content.rstrip()) :]
            return f"{lead}{mark}{inner}{mark}{trail}"
        if tag == "blockquote":
            quoted = "\n".join(f"> {line}".rstrip() for line in _tidy(content).split("\n"))
            return f"\n\n{quoted}\n\n"
        # A list item: its paragraphs stay in it as lines of its own.
        counter = self.lists[-1] if self.lists else []
        marker = f"{counter[0]}." if counter else "-"
        if counter:
            counter[0] += 1
        item = _tidy(re.sub(r"\n{2,}", "\n", content))
        return f"\n{marker} {item}"


def html_to_body(html: str, *, newlines: bool = False, escape: bool = True) -> str:
    """The body for a comment written as `html`. `newlines`: a newline in the text is a line break
    (WordPress keeps comments as typed and adds paragraphs only on display), not a space as in HTML.
    `escape`: the text is literal (HTML) rather than Markdown already (Isso)."""
    clean = nh3.clean(
        html,
        tags=KEPT_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}, "img": {"src", "alt"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    writer = _Writer(newlines=newlines, escape=escape)
    writer.feed(clean)
    writer.close()
    while len(writer.buffers) > 1:  # cannot happen with nh3's output; never lose text if it does
        writer.buffers[-2].extend(writer.buffers.pop())
    return _tidy("".join(writer.buffers[0]))
