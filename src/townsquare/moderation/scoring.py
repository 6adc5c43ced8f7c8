"""Where the pipeline gets its per-label scores: the shipped model, or a clearly named fallback.

The fallback scores from the rule detectors alone. It is used only when the model's artefacts
cannot be loaded, and it says so in every decision (`scores["scorer_fallback"] == 1.0`).
"""

import logging
from collections.abc import Sequence
from functools import cache

from townsquare.classifier.api import LABELS, Scorer, get_scorer
from townsquare.moderation.detectors.attacks import find_personal_attacks
from townsquare.moderation.detectors.spam import find_spam
from townsquare.moderation.detectors.threats import find_threats
from townsquare.moderation.detectors.wordlist import find_words, load_wordlists
from townsquare.moderation.text import normalise

logger = logging.getLogger(__name__)


class FallbackLexiconScorer:
    """Scores from word lists and patterns: 0.9 where a rule fires, 0.05 elsewhere. Not a model."""

    name = "fallback-lexicon"
    version = "1"
    thresholds = dict.fromkeys(LABELS, 0.5)
    hold_thresholds = thresholds

    def score(self, text: str) -> dict[str, float]:
        nt = normalise(text)
        words = find_words(nt, load_wordlists())
        scores = dict.fromkeys(LABELS, 0.05)
        if words:
            scores["profanity"] = 0.9
            scores["toxicity"] = 0.9
        if any(f.code == "banned_word" for f in words):
            scores["identity_attack"] = 0.9
        if find_personal_attacks(nt):
            scores["insult"] = scores["toxicity"] = 0.9
        if find_threats(nt):
            scores["threat"] = scores["toxicity"] = 0.9
        spam = find_spam(nt)
        if spam:
            scores["spam"] = max(f.score for f in spam)
        return scores

    def score_batch(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [self.score(text) for text in texts]


@cache
def scorer_for(tier: str) -> Scorer:
    """The model of `tier`, or the fallback when its artefacts cannot be loaded (logged once)."""
    try:
        return get_scorer(tier)
    except Exception as exc:
        logger.warning("the %s model could not be loaded (%s); scoring with the fallback lexicon", tier, exc)
        return FallbackLexiconScorer()
