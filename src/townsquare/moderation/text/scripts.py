"""Character tables for normalisation: scripts, invisible characters, lookalikes and leetspeak.

Lookalikes come from the Unicode confusables data shipped by ``confusable-homoglyphs`` (the data behind
UTS #39), so we do not maintain our own homoglyph table; only the reverse direction (Latin letters that hide
inside Cyrillic words) is a small hand table, because the Unicode data only maps towards Latin.
"""

# This module names lookalike letters of other scripts on purpose.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import categories, confusables  # type: ignore[import-untyped]

LATIN = "LATIN"
CYRILLIC = "CYRILLIC"
LOOKALIKE_SCRIPTS = frozenset({CYRILLIC, "GREEK", "ARMENIAN"})

# Characters that render as nothing but split words: zero-width space/joiners, word joiner, soft hyphen,
# BOM, Mongolian vowel separator, Hangul fillers, combining grapheme joiner. Category Cf covers the rest.
_INVISIBLE_EXTRA = frozenset("\u00ad\u034f\u115f\u1160\u180e\u3164\uffa0")

LEET = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
    "@": "a",
    "$": "s",
    "+": "t",
    "€": "e",
    "¡": "i",
    "!": "i",
    "|": "i",
}
# Leet characters that are also ordinary punctuation: they only count as letters between two word characters.
LEET_INNER_ONLY = frozenset("!|+")
# Symbols that stand in for a hidden letter inside a word (f*ck, f#ck). They become MASK in the skeleton.
MASKS = frozenset("*#%?~^")
MASK = "*"
# Separators people put between single letters to dodge filters: f u c k, f.u.c.k, i-d-i-o-t.
SPACING = " .-_·•/*~,"

# Latin letters that look like Cyrillic ones, for Latin lookalikes hidden in a mostly Cyrillic word (xуй).
LATIN_TO_CYRILLIC = {
    "a": "а",
    "b": "в",
    "c": "с",
    "e": "е",
    "h": "н",
    "k": "к",
    "m": "м",
    "o": "о",
    "p": "р",
    "t": "т",
    "x": "х",
    "y": "у",
}


@lru_cache(maxsize=4096)
def script_of(char: str) -> str:
    """The Unicode script alias of one character: "LATIN", "CYRILLIC", "COMMON"..."""
    return str(categories.alias(char))


def is_invisible(char: str) -> bool:
    return char in _INVISIBLE_EXTRA or unicodedata.category(char) == "Cf"


def is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me")


def _build_fold_table() -> dict[str, str]:
    """Lowercase letters of lookalike scripts that Unicode lists as confusable with one Latin letter."""
    table: dict[str, str] = {}
    for char, entries in confusables.confusables_data.items():
        if len(char) != 1 or script_of(char) not in LOOKALIKE_SCRIPTS:
            continue
        for entry in entries:
            target = entry["c"]
            if len(target) == 1 and target.isascii() and target.isalpha():
                table.setdefault(char.casefold(), target.lower())
                break
    return table


TO_LATIN = _build_fold_table()
