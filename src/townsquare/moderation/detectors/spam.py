"""Spam: commercial lures, shouting, floods of repeated characters, words or emoji.

Each signal has a weight; they combine as independent evidence (1 - product of (1 - weight)). The combined
score sets the action of every spam finding of the comment: reject from 0.9 (two commercial lures, say a
crypto giveaway with a Telegram contact), hold from 0.5 (one lure, a flood), otherwise a nudge for the writer
(shouting, many emoji), which the pipeline shows before posting and does not hold for.
"""

from __future__ import annotations

import re
import unicodedata

from townsquare.moderation.detectors.base import Action, Finding, excerpt
from townsquare.moderation.text import NormalisedText

_MONEY = r"(?:[$€£]\s?\d[\d,.]*k?|\d[\d,.]*k?\s?(?:[$€£]|usd|eur|dollars?|euros?|rubles?))"
_COMMERCIAL = [
    rf"\b(?:earn|make|making|earning|get)\s+(?:up to\s+)?{_MONEY}\s*(?:per|a|an|each|every|/)\s*"
    r"(?:day|week|month|hour)",
    r"\b(?:work(?:ing)? from home|make money (?:online|fast|from home)|passive income|financial freedom|"
    r"guaranteed (?:income|profits?|returns))\b",
    r"\b(?:bitcoin|btc|eth|ethereum|crypto|usdt|nft)\s+(?:giveaway|"
    r"airdrop|trading signals|investment plan)\b",
    r"\b(?:send|deposit)\s+\d+(?:\.\d+)?\s*(?:btc|eth|usdt)\b|"
    r"\bdouble your (?:bitcoin|btc|crypto|money|investment)\b",
    r"\b(?:check (?:out )?|visit |see )my (?:profile|bio|page|"
    r"channel|website|site|blog|onlyfans)\b|\blink in (?:my )?bio\b",
    r"\bclick (?:here|the link|this link|below|on my)\b",
    r"\b(?:contact|message|dm|write|text|add|reach|chat with|"
    r"join)\s+(?:me|us)?\s*(?:on|via|at|through|in)?\s*"
    r"(?:telegram|whatsapp|whats app|signal|viber|wechat)\b",
    r"\b(?:telegram|whatsapp|tg|wa)\s*[:@]\s*@?[\w+]{3,}",
    r"\b(?:seo services|buy (?:cheap )?(?:followers|likes|"
    r"backlinks|viagra|cialis)|cheap (?:viagra|cialis|meds|pills)|"
    r"online casino|casino bonus|free spins|betting tips|forex signals|weight loss pills|hot singles|"
    r"limited (?:time )?offer|100% free|act now)\b",
]
_COMMERCIAL_RE = [re.compile(p) for p in _COMMERCIAL]
_CHAR_FLOOD = re.compile(r"(\S)\1{9,}")
_WORD_FLOOD = re.compile(r"\b(\w+)(?:\W+\1\b){5,}")  # six times in a row


def find_spam(nt: NormalisedText) -> list[Finding]:
    """``spam`` findings; see the module docstring for how the action follows from the combined score."""
    signals: list[tuple[tuple[int, int] | None, str, float]] = []
    text = nt.folded
    for pattern in _COMMERCIAL_RE:
        for match in pattern.finditer(text):
            span = nt.to_original("folded", match.start(), match.end())
            signals.append((span, f'Commercial or contact lure: "{excerpt(nt, span)}".', 0.7))
    for match in _CHAR_FLOOD.finditer(text):
        weight = 0.55 if match.end() - match.start() >= 30 else 0.25
        signals.append(
            (nt.to_original("folded", *match.span()), "Long run of one repeated character.", weight)
        )
    for match in _WORD_FLOOD.finditer(text):
        span = nt.to_original("folded", *match.span())
        signals.append((span, f'The same word over and over: "{excerpt(nt, span)}".', 0.55))
    signals.extend(_shouting(nt.original))
    signals.extend(_emoji(nt.original))
    if not signals:
        return []
    remaining = 1.0
    for _span, _text, weight in signals:
        remaining *= 1 - weight
    score = round(1 - remaining, 3)
    action: Action = "reject" if score >= 0.9 else "hold" if score >= 0.5 else "nudge"
    return [Finding("spam", text, span, action, score) for span, text, _weight in signals]


def _shouting(original: str) -> list[tuple[tuple[int, int] | None, str, float]]:
    cased = [c for c in original if c.isupper() or c.islower()]
    upper = sum(c.isupper() for c in cased)
    if len(cased) >= 30 and upper >= 0.8 * len(cased):
        return [(None, "Written mostly in capital letters (shouting).", 0.3)]
    return []


def _emoji(original: str) -> list[tuple[tuple[int, int] | None, str, float]]:
    count = sum(1 for c in original if unicodedata.category(c) == "So" and ord(c) >= 0x2190)
    if count >= 20:
        return [(None, f"Floods the comment with {count} emoji.", 0.55)]
    if count >= 8:
        return [(None, f"Many emoji ({count}).", 0.25)]
    return []
