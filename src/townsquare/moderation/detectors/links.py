"""Links in a comment, with or without a scheme; the links phase decides with its allow and deny lists."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Bare domains (example.com/x) only count with a well-known top-level domain, so "e.g.", "file.txt" or
# "3.5" are not links. Links with a scheme or "www." count with any top-level domain.
_BARE_TLDS = (
    "com|net|org|info|biz|io|co|me|tv|ly|gl|to|cc|us|uk|eu|de|fr|es|pt|br|it|nl|pl|ru|su|ua|by|kz|am|az|ge|tr|"
    "xyz|top|site|online|club|shop|store|live|app|dev|news|win|bet|casino|vip|link|click|icu|buzz|today|ch|at|be"
)
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_PATH = r"(?:[/?#][^\s<>\"']*)?"
_PORT = r"(?::\d{1,5})?"
_LINK = re.compile(
    rf"(?P<scheme>https?://|www\.)(?P<host>(?:{_LABEL}\.)*{_LABEL}){_PORT}{_PATH}"
    rf"|(?<![\w@.-])(?P<bare>(?:{_LABEL}\.)+(?:{_BARE_TLDS})){_PORT}(?![\w-]){_PATH}",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"»…"


@dataclass(frozen=True)
class Link:
    url: str
    domain: str  # lowercase host without "www.", e.g. "example.com"
    span: tuple[int, int]  # in the text given to ``extract_links``


def extract_links(text: str) -> list[Link]:
    """Every link in ``text``, in order; trailing sentence punctuation is not part of a link."""
    links = []
    for match in _LINK.finditer(text):
        url = match.group()
        while url and url[-1] in _TRAILING and not (url[-1] == ")" and url.count("(") >= url.count(")")):
            url = url[:-1]
        host = match.group("host") or match.group("bare") or ""
        if match.group("scheme") == "www.":
            host = "www." + host
        domain = host.lower().removeprefix("www.")
        if "." not in domain:
            continue
        links.append(Link(url=url, domain=domain, span=(match.start(), match.start() + len(url))))
    return links
