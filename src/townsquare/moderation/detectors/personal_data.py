"""Personal data a reader should not publish: e-mail addresses, phone numbers, street addresses."""

from __future__ import annotations

import re

from townsquare.moderation.detectors.base import Finding, excerpt
from townsquare.moderation.text import NormalisedText

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s*(?:@|\(at\)|\[at\]|\s+at\s+)\s*[^\W_][\w-]*"
    r"(?:\s*(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s*[^\W_][\w-]*)*\s*(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s*[a-z]{2,10}\b"
)
_PLAIN_EMAIL = re.compile(r"[\w.+-]+@[^\W_][\w-]*(?:\.[\w-]+)*\.[a-z]{2,10}\b")

# A phone number: optional +country or 00country, then groups of digits separated by spaces, dots, dashes
# or brackets. Checked afterwards: enough digits, and not a date, an ISBN, a price or a score.
_PHONE = re.compile(r"(?<![\w+.,/-])(?:\+|00)?\(?\d[\d\s().\-/]{6,20}\d(?![\w.,/-]*\d)")
_NOT_PHONE_BEFORE = re.compile(
    r"(?:isbn|issn|doi|art\.?|artikel|article|§|nr\.?|no\.?|№|id|ref|order|invoice|[$€£¥₽₺])\s*:?\s*$"
)
_NOT_PHONE_AFTER = re.compile(r"^\s*(?:[$€£¥₽₺%]|eur|usd|rub|try|azn|amd|euro|dollar|km|kg|m\b|people|votes)")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")

_STREET_WORDS = (
    r"street|st\.|road|rd\.|avenue|ave\.|lane|drive|boulevard|blvd\.|close|way|place|terrace|crescent"
)
_STREET = re.compile(
    # 221b Baker Street / 12 rue de la Paix / 5 Calle Mayor
    rf"\b\d{{1,5}}[a-z]?,?\s+(?:(?:[^\W\d_][\w'-]*\s+){{1,3}}(?:{_STREET_WORDS})(?!\w)"
    r"|(?:rue|avenue|boulevard|calle|avenida|rua|travessa|via|ulitsa|ul\.|prospekt|pr\.)\s+(?:[\w'-]+\s+){0,3}[\w'-]+)"
    # Hauptstraße 12 / Musterstr. 5 / Calle Mayor 5 / ул. Ленина, д. 5 / Atatürk caddesi no 12
    r"|\b(?:[^\W\d_][\w-]*(?:straße|strasse|str\.|gasse|weg|allee|platz)"
    r"|[^\W\d_][\w-]*\s(?:caddesi|cad\.|sokak|sok\.|küçəsi|prospekti))\s*(?:no\.?\s*)?\d{1,4}[a-z]?\b"
    r"|\b(?:ул\.|улица|пр\.|проспект|ulitsa|ul\.|calle|avenida|rua|rue|via|avenue)\s+(?:[\w'-]+\s+){0,3}[\w'-]+,?\s*"
    r"(?:д\.|дом|d\.|dom|no\.?|nº|n°)?\s*\d{1,4}[a-z]?\b",
)
# Famous public buildings are not a reader's private address.
_PUBLIC_ADDRESSES = ("downing street", "pennsylvania avenue", "wilhelmstraße", "rue du faubourg saint-honoré")


def find_personal_data(nt: NormalisedText) -> list[Finding]:
    """``email_address``, ``phone_number`` and ``street_address`` findings (hold), with spans."""
    text = nt.folded
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, code: str, what: str, score: float) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        span = nt.to_original("folded", start, end)
        findings.append(Finding(code, f'Looks like {what}: "{excerpt(nt, span)}".', span, "hold", score))

    for match in _PLAIN_EMAIL.finditer(text):
        add(match.start(), match.end(), "email_address", "an e-mail address", 0.95)
    for match in _EMAIL.finditer(text):
        if (
            "@" in match.group()
            or "(at)" in match.group()
            or "[at]" in match.group()
            or "dot" in match.group()
        ):
            add(match.start(), match.end(), "email_address", "an e-mail address", 0.8)
    for match in _PHONE.finditer(text):
        if _is_phone(text, match.start(), match.end()):
            add(match.start(), match.end(), "phone_number", "a phone number", 0.85)
    for match in _STREET.finditer(text):
        if not any(
            place in text[max(0, match.start() - 5) : match.end() + 25] for place in _PUBLIC_ADDRESSES
        ):
            add(match.start(), match.end(), "street_address", "a street address", 0.7)
    return findings


def _is_phone(text: str, start: int, end: int) -> bool:
    candidate = text[start:end].strip()
    digits = sum(c.isdigit() for c in candidate)
    international = candidate.startswith(("+", "00"))
    if digits < (8 if international else 9) or digits > 15:
        return False
    if _DATE.search(candidate) or candidate.count("(") != candidate.count(")"):
        return False
    if not international and not re.search(r"[\s().\-/]", candidate) and not candidate.startswith("0"):
        return False  # a long bare number (an ID, a population figure) without the look of a phone number
    if re.fullmatch(r"\d{1,3}(?:[.,\s]\d{3})+", candidate):
        return False  # 1.234.567 or 12 345 678: a large number written with thousands separators
    if _NOT_PHONE_BEFORE.search(text[max(0, start - 12) : start]):
        return False
    return not _NOT_PHONE_AFTER.match(text[end : end + 10])
