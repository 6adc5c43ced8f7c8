"""The comment text as moderators see it, each reason's span wrapped in `<mark>`.

The body is split at every span boundary and each piece is escaped on its own, so a span can never
cut an HTML entity in half and the reader's text can never become markup.
"""

from itertools import pairwise
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def valid_spans(body: str, reasons: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """(start, end, code) of every reason whose span lies inside the body and is not empty."""
    spans = []
    for reason in reasons if isinstance(reasons, list) else []:
        span = reason.get("span") if isinstance(reason, dict) else None
        if not isinstance(span, list | tuple) or len(span) != 2:
            continue
        start, end = span
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(body):
            spans.append((start, end, str(reason.get("code", ""))))
    return spans


def highlight(body: str, reasons: list[dict[str, Any]]) -> SafeString:
    spans = valid_spans(body, reasons)
    if not spans:
        return escape(body)
    cuts = sorted({0, len(body), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    parts: list[str] = []
    for start, end in pairwise(cuts):
        codes = sorted({code for s, e, code in spans if s <= start and end <= e})
        piece = body[start:end]
        if codes:
            parts.append(format_html('<mark class="mod-mark" title="{}">{}</mark>', ", ".join(codes), piece))
        else:
            parts.append(escape(piece))
    return mark_safe("".join(parts))  # noqa: S308  (every part was escaped above)
