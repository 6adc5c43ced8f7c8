"""Transliteration of non-Latin letters to ASCII, for matching transliterated word lists.

We use ``anyascii`` rather than a hand table or ``Unidecode``: it covers Cyrillic, Armenian, Greek and
accented Latin with the common romanisations (``хуй`` -> ``khuy``, ``տխմար`` -> ``tkhmar``), is ISC-licensed
(Unidecode is GPL), ships type hints and is maintained. Only Armenian's digraph ``ու`` (``u``) needs a
fix-up, since it is two code points.
"""

# This module names lookalike letters of other scripts on purpose.
# ruff: noqa: RUF003

from __future__ import annotations

from functools import lru_cache

from anyascii import anyascii

_ARMENIAN_VO = "\u0578"  # ո
_ARMENIAN_YIWN = "\u0582"  # ւ


def to_ascii_letters(char: str, following: str = "", previous: str = "") -> str:
    """Lowercase ASCII letters for one letter, given its neighbours (for Armenian ``ու``)."""
    if char == _ARMENIAN_VO and following == _ARMENIAN_YIWN:
        return "u"
    if char == _ARMENIAN_YIWN:
        return "" if previous == _ARMENIAN_VO else "v"
    return _ascii(char)


@lru_cache(maxsize=4096)
def _ascii(char: str) -> str:
    # Apostrophes mark soft signs and aspiration (ub'yu, k'unem); people do not type them.
    return "".join(c for c in anyascii(char).lower() if c.isalnum())
