"""The public face of the classifier: the labels, the `Scorer` protocol and the shipped scorers.

Scorers load from `artefacts/` inside the package, never from the network, once per process.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

LABELS: tuple[str, ...] = ("toxicity", "insult", "identity_attack", "threat", "profanity", "spam")
TIERS: tuple[str, ...] = ("linear", "transformer", "auto", "cascade")

_lock = threading.Lock()
_loaded: set[str] = set()


@runtime_checkable
class Scorer(Protocol):
    name: str
    version: str
    # F1-best threshold per label, chosen on validation data only (the evaluation report's).
    thresholds: dict[str, float]
    # Where the pipeline holds on the model's word alone: high precision on validation data.
    hold_thresholds: dict[str, float]

    def score_batch(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """One dict per text with every label in `LABELS`, each a probability in [0, 1]."""
        ...

    def score(self, text: str) -> dict[str, float]: ...


@functools.cache
def _load(tier: str) -> Scorer:
    from townsquare.classifier import scorers

    scorer = scorers.load(tier)
    _loaded.add(tier)
    return scorer


def get_scorer(tier: str = "auto") -> Scorer:
    """The scorer of `tier`, cached: "linear", "transformer", "auto" (the best measured combination) or
    "cascade" (linear where it is sure, auto for the rest: the pipeline's default)."""
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; choose one of {', '.join(TIERS)}")
    with _lock:
        return _load(tier)


def model_loaded() -> bool:
    """True once any scorer has been loaded in this process (for health checks)."""
    return bool(_loaded)


def reset_cache() -> None:
    """Forget loaded scorers, so the next `get_scorer` reads the artefacts again (after a retrain)."""
    with _lock:
        _load.cache_clear()
        _loaded.clear()
