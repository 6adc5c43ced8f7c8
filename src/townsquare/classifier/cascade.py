"""The cascade tier: the linear model alone where it is sure a comment is fine, the "auto" tier for the rest.

Most comments on a news site are civil, and the linear tier scores one in well under a millisecond where the
transformer needs ten. A comment goes on to the slower tier unless *every* label's linear probability is
below that label's cut. Each cut is chosen on validation data only: the largest linear probability below
which at most `MAX_LOSS` of the positives that the auto tier catches (at its F1-best threshold) would be
let through, and never above the auto tier's F1-best or hold threshold, so a comment scored by the linear
tier alone is never held on the model's word. Stored beside the artefacts in `cascade.json`.

A comment in a language the models were not trained on (detected offline, `langdetect.model_language`) goes on
to the slower tier whatever its linear scores: the linear tier has no weights for words it never saw, so its
low scores there mean nothing, while the stack still reads word pieces and the word lists apply.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from townsquare.classifier.api import LABELS

MAX_LOSS = 0.01
FILE = "cascade.json"
Float = npt.NDArray[np.float64]


def choose_cuts(
    linear: Float, full: Float, y: npt.NDArray[np.integer], ceilings: dict[str, float], masked: int
) -> dict[str, float]:
    """Per label, the largest cut that lets through at most `MAX_LOSS` of the full tier's caught positives."""
    cuts = {}
    for j, label in enumerate(LABELS):
        rows = y[:, j] != masked
        ceiling = ceilings[label]
        caught = rows & (y[:, j] == 1) & (full[:, j] >= ceiling)
        if not caught.any():
            cuts[label] = 0.0
            continue
        cut = float(np.quantile(linear[caught, j], MAX_LOSS, method="lower"))
        cuts[label] = min(cut, ceiling)
    return cuts


def unsure(linear: Float, cuts: Float) -> npt.NDArray[np.bool_]:
    """Which comments go on to the slower tier: those with any label's linear probability at its cut or above
    (`cuts` in the order of `LABELS`)."""
    result: npt.NDArray[np.bool_] = ~np.all(linear < cuts, axis=1)
    return result


def deferred_share(linear: Float, cuts: dict[str, float]) -> float:
    """The share of comments the cascade sends on to the slower tier."""
    return float(unsure(linear, np.array([cuts[label] for label in LABELS])).mean()) if len(linear) else 0.0


def write(directory: Path, cuts: dict[str, float], share: float) -> Path:
    path = directory / FILE
    payload = {"max_loss": MAX_LOSS, "cuts": cuts, "val_deferred_share": round(share, 4)}
    path.write_text(json.dumps(payload, indent=1, sort_keys=True))
    return path


def read(directory: Path) -> dict[str, float] | None:
    path = directory / FILE
    if not path.exists():
        return None
    cuts: dict[str, float] = json.loads(path.read_text())["cuts"]
    return cuts


def compute_for(
    directory: Path, texts: Sequence[str], y: npt.NDArray[np.integer], masked: int, log: Callable[[str], None]
) -> Path | None:
    """Choose and store the cuts for the tiers shipped in `directory` (after the hold thresholds)."""
    from townsquare.classifier.scorers import load

    full = load("auto", directory)
    if full.name == "linear":
        return None
    first = load("linear", directory)
    linear = np.asarray(first.predict(list(texts)), dtype=np.float64)
    scores = np.asarray(full.predict(list(texts)), dtype=np.float64)
    ceilings = {label: min(full.thresholds[label], full.hold_thresholds[label]) for label in LABELS}
    cuts = choose_cuts(linear, scores, y, ceilings, masked)
    share = deferred_share(linear, cuts)
    log("cascade cuts: " + ", ".join(f"{k} {v:.3f}" for k, v in cuts.items()) + f"; deferred {share:.1%}")
    return write(directory, cuts, share)
