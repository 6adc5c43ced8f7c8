"""Banned and suspect words, matched on whole words of the normalised forms.

List files live in ``townsquare/moderation/wordlists/{language}.{level}.txt``: one term per line, ``#``
starts a comment, phrases may have several words, a trailing ``*`` matches any ending (a stem). Terms are
normalised like comments, so ``fuck*`` also matches ``f u c k i n g`` and ``fuсk`` (Cyrillic с); single
words also match their plural in ``s``/``es``. Matching is on word boundaries, so ``assessment`` or
``Scunthorpe`` never match.
"""

# This module names lookalike letters of other scripts on purpose.
# ruff: noqa: RUF002

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from itertools import groupby
from typing import Literal

from townsquare.moderation.detectors.base import Finding, excerpt
from townsquare.moderation.text import FormName, NormalisedText, normalise

Level = Literal["banned", "suspect"]
LANGUAGES = ("en", "de", "fr", "es", "pt", "ru", "tr", "hy", "az")
_WORD = r"[\w*]"
# Every place a term may begin: not after a word character or a mask.
_STARTS = re.compile(rf"(?<!{_WORD})")


@dataclass(frozen=True)
class Term:
    text: str
    level: Level
    language: str
    stem: bool = False


@dataclass(frozen=True)
class WordLists:
    """Terms to look for; build with ``load_wordlists``. Compiled patterns are built once, on first use."""

    terms: tuple[Term, ...]
    languages: tuple[str, ...] = field(default=())

    @cached_property
    def _matchers(self) -> dict[FormName, Matcher]:
        return {form: _compile(self.terms, form) for form in ("skeleton", "latin")}

    def matches(self, nt: NormalisedText) -> Iterator[tuple[Term, tuple[int, int]]]:
        """Each (term, original span) found in the comment, at most one term per span."""
        seen: list[tuple[int, int]] = []
        for form_name, matcher in self._matchers.items():
            if form_name == "latin" and nt.form("latin") is nt.form("skeleton"):
                continue  # nothing was transliterated: the skeleton's matches are all there is
            for term, start, end in _search(nt, form_name, matcher):
                span = nt.to_original(form_name, start, end)
                if any(span[0] < e and s < span[1] for s, e in seen):
                    continue
                seen.append(span)
                yield term, span


@dataclass
class Matcher:
    """The terms of one form as one alternation (longest first), and per first character the part of it
    that can match there: trying a few dozen alternatives at each word start instead of every one."""

    unbounded: re.Pattern[str]
    terms: list[Term]
    alternatives: list[tuple[str, str]]  # (first character's class, pattern), in `terms` order
    by_char: dict[str, re.Pattern[str] | None] = field(default_factory=dict)

    def at(self, char: str) -> re.Pattern[str] | None:
        if char not in self.by_char:
            body = "|".join(
                f"(?P<t{index}>{pattern})"
                for index, (first, pattern) in enumerate(self.alternatives)
                if re.fullmatch(first, char)
            )
            self.by_char[char] = re.compile(rf"(?:{body})(?!{_WORD})") if body else None
        return self.by_char[char]


def load_wordlists(
    languages: Iterable[str] | None = None,
    extra_banned: Iterable[str] = (),
    extra_suspect: Iterable[str] = (),
) -> WordLists:
    """The shipped lists for ``languages`` (all when ``None``) plus a publisher's own terms in list syntax.

    Cached: equal arguments give the same ``WordLists``, whose patterns compile once on first use."""
    chosen = tuple(LANGUAGES if languages is None else languages)
    unknown = set(chosen) - set(LANGUAGES)
    if unknown:
        raise ValueError(f"No word lists for languages: {', '.join(sorted(unknown))}")
    return _load(chosen, tuple(extra_banned), tuple(extra_suspect))


@lru_cache(maxsize=32)
def _load(
    languages: tuple[str, ...], extra_banned: tuple[str, ...], extra_suspect: tuple[str, ...]
) -> WordLists:
    terms: list[Term] = []
    folder = resources.files("townsquare.moderation.wordlists")
    for language in languages:
        for level in ("banned", "suspect"):
            lines = folder.joinpath(f"{language}.{level}.txt").read_text(encoding="utf-8").splitlines()
            terms.extend(_parse(lines, level, language))
    terms.extend(_parse(extra_banned, "banned", "site"))
    terms.extend(_parse(extra_suspect, "suspect", "site"))
    return WordLists(terms=tuple(terms), languages=languages)


def _parse(lines: Iterable[str], level: Level, language: str) -> Iterator[Term]:
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if text.endswith("*"):
            yield Term(text[:-1].strip(), level, language, stem=True)
        elif text:
            yield Term(text, level, language)


def find_words(nt: NormalisedText, lists: WordLists) -> list[Finding]:
    """``banned_word`` (reject) and ``suspect_word`` (hold) findings, one per matched span."""
    findings = []
    for term, span in lists.matches(nt):
        words = excerpt(nt, span)
        if term.level == "banned":
            text = f'Banned term (slur or severe abuse): "{words}" matches "{term.text}" ({term.language}).'
            findings.append(Finding("banned_word", text, span, "reject", 1.0))
        else:
            text = f'Profanity or insult: "{words}" matches "{term.text}" ({term.language}).'
            findings.append(Finding("suspect_word", text, span, "hold", 0.7))
    return findings


def _search(nt: NormalisedText, form_name: FormName, matcher: Matcher) -> Iterator[tuple[Term, int, int]]:
    form = nt.form(form_name)
    text = form.text
    position = 0
    # Leftmost first, never overlapping: at each place a word may start, the terms that can start there.
    for start in _STARTS.finditer(text):
        at = start.start()
        pattern = matcher.at(text[at]) if at >= position and at < len(text) else None
        match = pattern.match(text, at) if pattern is not None else None
        if match and _plausible(match.group()):
            yield matcher.terms[int(str(match.lastgroup)[1:])], match.start(), match.end()
            position = match.end()
    # Collapsed spaced-out letters ("a f u c k i n g") have no reliable word boundaries inside: a term may
    # start at the run's first or second letter (after "a" or "i") and must end where the run ends.
    for run_start, run_end in _runs(form.spaced):
        for offset in (0, 1):
            match = matcher.unbounded.match(text, run_start + offset, run_end)
            if match and match.end() == run_end and _plausible(match.group()):
                yield matcher.terms[int(str(match.lastgroup)[1:])], match.start(), match.end()
                break


def _runs(flags: tuple[bool, ...]) -> Iterator[tuple[int, int]]:
    index = 0
    for flag, group in groupby(flags):
        size = len(list(group))
        if flag:
            yield index, index + size
        index += size


def _plausible(matched: str) -> bool:
    """A masked match needs a real first letter and two real letters: f**k, not ****."""
    return not matched.startswith("*") and sum(c.isalpha() for c in matched) >= 2


def _compile(terms: tuple[Term, ...], form_name: FormName) -> Matcher:
    alternatives: list[tuple[int, int, tuple[str, str], Term]] = []
    for term in terms:
        form = normalise(term.text).form(form_name).text.strip()
        if not form or (form_name == "latin" and not _transliterable(term.text)):
            continue
        # Longest first so "motherfucker" wins over "fuck*"; banned before suspect at equal length.
        alternatives.append((-len(form), term.level != "banned", _term_pattern(form, term.stem), term))
    alternatives.sort(key=lambda item: item[:2])
    body = "|".join(f"(?P<t{index}>{item[2][1]})" for index, item in enumerate(alternatives)) or "(?!)"
    return Matcher(re.compile(body), [item[3] for item in alternatives], [item[2] for item in alternatives])


def _transliterable(term: str) -> bool:
    """Only plain-ASCII terms are matched on the transliterated form (so "khuy" matches "хуй"). Terms with
    diacritics or in another script are not: Turkish "göt" must not match English "got", nor Armenian "բոզ"
    the Turkish "boz"; their native spelling is matched on the skeleton."""
    return term.isascii()


def _term_pattern(form: str, stem: bool) -> tuple[str, str]:
    """(the class of characters the term may start with, the whole term's pattern)."""
    words = form.split()
    parts = []
    for word in words:
        pieces = []
        for char, run in groupby(word):
            count = len(list(run))
            if char.isalpha():
                letters = "li" if char == "l" else char  # 1 and | stand for either i or l
                pieces.append(f"[{re.escape(letters)}*]" + ("+" if count == 1 else "{2,}"))
            else:
                pieces.append(re.escape(char * count))
        parts.append("".join(pieces))
    first = form[0]
    first_class = f"[{re.escape('li' if first == 'l' else first)}*]" if first.isalpha() else re.escape(first)
    body = r"[^\w*]+".join(parts)
    if stem:
        return first_class, body + _WORD + "*"
    return first_class, body + ("(?:e?s)?" if len(words) == 1 else "")
