"""Normalise a comment once into the forms every moderation phase reads, with a map back to the original.

Forms (``NormalisedText.form(name)``):

``folded``
    NFKC, casefolded, invisible characters removed. Faithful to the words: accents and scripts are kept.
``skeleton``
    ``folded`` seen through obfuscation: zalgo marks dropped, lookalike letters of another script folded
    (``fuсk`` with a Cyrillic ``с``), spaced-out letters collapsed (``f u c k``, ``i-d-i-o-t``), leetspeak
    mapped (``sh1t``, ``a$$h0le``), mask symbols inside words kept as ``*`` (``f*ck``, ``f#ck``), and runs of
    three or more equal letters squeezed to two (``fuuuuck`` -> ``fuuck``; matchers accept any repetition).
``latin``
    ``skeleton`` without the lookalike fold but with every non-ASCII letter transliterated to ASCII (Cyrillic,
    Armenian, Greek, accented Latin), so a transliterated word list also matches native spellings.
"""

# This module names lookalike letters of other scripts on purpose.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from townsquare.moderation.text.scripts import (
    CYRILLIC,
    LATIN,
    LATIN_TO_CYRILLIC,
    LEET,
    LEET_INNER_ONLY,
    LOOKALIKE_SCRIPTS,
    MASK,
    MASKS,
    SPACING,
    TO_LATIN,
    is_invisible,
    is_mark,
    script_of,
)
from townsquare.moderation.text.transliterate import to_ascii_letters

FormName = Literal["folded", "skeleton", "latin"]
FORMS: tuple[FormName, ...] = ("folded", "skeleton", "latin")


@dataclass(frozen=True)
class Form:
    """One normalised string; for each of its characters the original span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    # True for characters of a collapsed spaced-out run ("f u c k"): word boundaries inside are unknown.
    spaced: tuple[bool, ...]


@dataclass(frozen=True)
class NormalisedText:
    original: str
    forms: dict[str, Form]

    @property
    def folded(self) -> str:
        return self.forms["folded"].text

    @property
    def skeleton(self) -> str:
        return self.forms["skeleton"].text

    @property
    def latin(self) -> str:
        return self.forms["latin"].text

    def form(self, name: FormName) -> Form:
        return self.forms[name]

    def to_original(self, form_name: FormName, start: int, end: int) -> tuple[int, int]:
        """The original span that produced ``form[start:end]``; out-of-range bounds are clamped."""
        form = self.forms[form_name]
        size = len(form.text)
        if size == 0:
            return (0, 0)
        start = min(max(start, 0), size)
        end = min(max(end, start), size)
        if start == end:
            position = form.starts[start] if start < size else form.ends[size - 1]
            return (position, position)
        return (form.starts[start], form.ends[end - 1])


# A working form: characters with their original spans, edited step by step.
_Chars = list[tuple[str, int, int, bool]]


def _fold(original: str) -> _Chars:
    """NFKC + casefold per grapheme-ish cluster (base character and its combining marks)."""
    if original.isascii():  # NFKC changes no ASCII character, casefolding is lower(), none is invisible
        return [(c, i, i + 1, False) for i, c in enumerate(original.lower())]
    return _fold_clusters(original)


def _fold_clusters(original: str) -> _Chars:
    out: _Chars = []
    i = 0
    while i < len(original):
        j = i + 1
        while j < len(original) and is_mark(original[j]):
            j += 1
        cluster = "".join(c for c in original[i:j] if not is_invisible(c))
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", cluster).casefold())
        out.extend((c, i, j, False) for c in folded if not is_invisible(c))
        i = j
    return out


def _tokens(chars: _Chars) -> list[tuple[int, int]]:
    """Index ranges of whitespace-separated tokens."""
    ranges: list[tuple[int, int]] = []
    start = None
    for index, (char, *_rest) in enumerate(chars):
        if char.isspace():
            if start is not None:
                ranges.append((start, index))
                start = None
        elif start is None:
            start = index
    if start is not None:
        ranges.append((start, len(chars)))
    return ranges


def _fold_lookalikes(chars: _Chars) -> _Chars:
    """Fold lookalike letters of a mixed-script token to Latin, or to Cyrillic in a mostly Cyrillic comment
    when the token is mostly Cyrillic (Latin "x" hidden in "xуй").

    A token written wholly in Cyrillic (Russian) stays as it is, unless the comment is mostly Latin and every
    letter of the token is a lookalike, which is how an English slur is disguised in Cyrillic letters.
    """
    letters = [c for c, *_ in chars if c.isalpha()]
    latin_total = sum(1 for c in letters if script_of(c) == LATIN)
    mostly_latin = latin_total * 2 > len(letters)
    out = list(chars)
    for start, end in _tokens(chars):
        scripts = [script_of(chars[i][0]) for i in range(start, end) if chars[i][0].isalpha()]
        latin = scripts.count(LATIN)
        foreign = sum(1 for s in scripts if s in LOOKALIKE_SCRIPTS)
        if foreign == 0:
            continue
        all_lookalike = all(chars[i][0] in TO_LATIN for i in range(start, end) if chars[i][0].isalpha())
        if latin == 0 and not (mostly_latin and all_lookalike):
            continue
        to_cyrillic = not mostly_latin and latin < foreign and scripts.count(CYRILLIC) == foreign
        for i in range(start, end):
            char, s, e, spaced = out[i]
            if to_cyrillic and char in LATIN_TO_CYRILLIC:
                out[i] = (LATIN_TO_CYRILLIC[char], s, e, spaced)
            elif not to_cyrillic and char in TO_LATIN:
                out[i] = (TO_LATIN[char], s, e, spaced)
    return out


_LETTERLIKE = r"[^\W_]|[@$€]"
_SEPARATORS = "[" + re.escape(SPACING) + "]{1,3}"
_SPACED_RUN = re.compile(
    # The same separator throughout, so a mask in "a n*g*er" is not taken for spacing.
    rf"(?<![^\W_])(?<![@$€])(?:{_LETTERLIKE})(?P<sep>{_SEPARATORS})(?:{_LETTERLIKE})(?!{_LETTERLIKE})"
    rf"(?:(?P=sep)(?:{_LETTERLIKE})(?!{_LETTERLIKE}))+"
)


def _collapse_spacing(chars: _Chars) -> _Chars:
    """Join three or more single letters separated by spaces or punctuation into one word."""
    text = "".join(c for c, *_ in chars)
    drop: set[int] = set()
    spaced: set[int] = set()
    for match in _SPACED_RUN.finditer(text):
        for i in range(match.start(), match.end()):
            if text[i] in SPACING or text[i].isspace():
                drop.add(i)
            else:
                spaced.add(i)
    return [(c, s, e, i in spaced) for i, (c, s, e, _sp) in enumerate(chars) if i not in drop]


# One letter then two or more digits (a55, s24, x100) is a product name, not leetspeak; "ky5" is "kys".
_PRODUCT_CODE = re.compile(r"[a-z]\d{2,}")


_LEET_OR_MASK = frozenset(LEET) | MASKS


def _map_leet(chars: _Chars) -> _Chars:
    """Map leetspeak and mask symbols inside tokens that contain at least one letter."""
    out = list(chars)
    for start, end in _tokens(chars):
        token = "".join(c for c, *_ in chars[start:end])
        if _LEET_OR_MASK.isdisjoint(token) or not any(c.isalpha() for c in token):
            continue  # nothing to map, or no letter to say it is a word
        digits_are_letters = not _PRODUCT_CODE.fullmatch(token.strip(".,;:!?"))
        for i in range(start, end):
            char, s, e, spaced = out[i]
            before = chars[i - 1][0] if i > start else ""
            after = chars[i + 1][0] if i + 1 < end else ""
            inner = _wordish(before) and _wordish(after)
            leading = i == start and _wordish(after)  # +ranny, !diot
            # A closing "+" is a t (sh!+), while a closing "!" or "|" stays punctuation.
            trailing = char == "+" and _wordish(before) and not _wordish(after)
            if char in MASKS and inner:
                out[i] = (MASK, s, e, spaced)
            elif char in LEET and (char not in LEET_INNER_ONLY or inner or leading or trailing):
                if char.isdigit() and not digits_are_letters:
                    continue
                out[i] = (LEET[char], s, e, spaced)
    return out


def _wordish(char: str) -> bool:
    return bool(char) and (char.isalnum() or char in LEET or char in MASKS)


def _squeeze(chars: _Chars) -> _Chars:
    """Runs of three or more equal letters become two (fuuuuck -> fuuck, shiiit -> shiit)."""
    out: _Chars = []
    for item in chars:
        if len(out) >= 2 and item[0].isalpha() and out[-1][0] == item[0] == out[-2][0]:
            char, s, _e, spaced = out[-1]
            out[-1] = (char, s, item[2], spaced)
            continue
        out.append(item)
    return out


def _drop_marks(chars: _Chars) -> _Chars:
    """Drop combining marks left after NFKC (zalgo), and fold Turkish dotless ı, which casefolding of "I"
    cannot produce, so "DIĞA" and "dığa" read alike."""
    return [("i" if c == "ı" else c, s, e, sp) for c, s, e, sp in chars if not is_mark(c)]


def _transliterate(chars: _Chars) -> _Chars:
    out: _Chars = []
    for index, (char, s, e, spaced) in enumerate(chars):
        if char.isascii() or not char.isalpha():
            out.append((char, s, e, spaced))
            continue
        following = chars[index + 1][0] if index + 1 < len(chars) else ""
        previous = chars[index - 1][0] if index else ""
        out.extend((c, s, e, spaced) for c in to_ascii_letters(char, following, previous))
    return out


def _form(chars: _Chars) -> Form:
    if not chars:
        return Form(text="", starts=(), ends=(), spaced=())
    letters, starts, ends, spaced = zip(*chars, strict=True)
    return Form(text="".join(letters), starts=starts, ends=ends, spaced=spaced)


def _pipeline(chars: _Chars, *steps: Callable[[_Chars], _Chars]) -> _Chars:
    for step in steps:
        chars = step(chars)
    return chars


def normalise(text: str) -> NormalisedText:
    """Normalise ``text`` into every form; pure and safe on any Unicode input."""
    folded = _fold(text)
    skeleton = _form(_pipeline(folded, *(ASCII_STEPS if text.isascii() else SKELETON_STEPS)))
    # ASCII has no marks, no other scripts and nothing to transliterate: the latin form is the skeleton (the
    # same object, so matchers can skip it).
    latin = skeleton if text.isascii() else _form(_pipeline(folded, *LATIN_STEPS))
    forms: dict[str, Form] = {"folded": _form(folded), "skeleton": skeleton, "latin": latin}
    return NormalisedText(original=text, forms=forms)


SKELETON_STEPS = (_drop_marks, _fold_lookalikes, _collapse_spacing, _map_leet, _squeeze)
LATIN_STEPS = (_drop_marks, _collapse_spacing, _map_leet, _transliterate, _squeeze)
# ASCII text has no marks, no dotless i and no letters of other scripts: the skeleton's other steps.
ASCII_STEPS = (_collapse_spacing, _map_leet, _squeeze)
