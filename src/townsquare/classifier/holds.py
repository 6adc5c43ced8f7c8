"""Hold thresholds: where the pipeline holds a comment on the model's word alone.

The F1-best thresholds in each artefact suit the evaluation report, not a newsroom: on the
validation sets they hold many civil comments that criticise harshly (a third or more of what
they hold). A moderator's queue needs the model to be right when it speaks, so the hold
threshold of each label is the lowest score at which the validation comments above it are at
least `HOLD_PRECISION` hold-worthy (never below the F1-best threshold). Chosen on validation
data only, stored beside the artefacts in `hold_thresholds.json`, keyed by tier.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from townsquare.classifier.api import LABELS

HOLD_PRECISION = 0.9
MIN_HELD = 20  # a threshold must hold at least this many validation comments to be trusted
FILE = "hold_thresholds.json"


def precision_threshold(prob: npt.NDArray[np.float64], y: npt.NDArray[np.integer], target: float) -> float:
    """The lowest threshold whose held validation rows reach `target` precision (1.0 if none does)."""
    order = np.argsort(-prob, kind="stable")
    hits = np.cumsum(y[order] == 1)
    held = np.arange(1, len(order) + 1)
    ok = (hits / held >= target) & (held >= MIN_HELD)
    if not ok.any():
        return 1.0
    last = int(np.nonzero(ok)[0].max())
    return float(prob[order][last])


def choose(
    prob: npt.NDArray[np.float64], y: npt.NDArray[np.integer], f1: dict[str, float], masked: int
) -> dict[str, float]:
    out = {}
    for j, label in enumerate(LABELS):
        rows = y[:, j] != masked
        out[label] = max(precision_threshold(prob[rows, j], y[rows, j], HOLD_PRECISION), f1.get(label, 0.0))
    return out


def write(directory: Path, tiers: dict[str, dict[str, float]]) -> Path:
    path = directory / FILE
    path.write_text(json.dumps({"precision": HOLD_PRECISION, "tiers": tiers}, indent=1, sort_keys=True))
    return path


def read(directory: Path, tier: str) -> dict[str, float] | None:
    path = directory / FILE
    if not path.exists():
        return None
    tiers: dict[str, dict[str, float]] = json.loads(path.read_text())["tiers"]
    return tiers.get(tier)


def compute_for(
    directory: Path, texts: Sequence[str], y: npt.NDArray[np.integer], masked: int, log: Callable[[str], None]
) -> Path:
    """Hold thresholds for every tier shipped in `directory`, from validation texts and labels."""
    from townsquare.classifier.scorers import load

    tiers = {}
    for tier in ("linear", "transformer", "auto"):
        try:
            scorer = load(tier, directory)
        except FileNotFoundError:
            continue
        prob = np.asarray(scorer.predict(list(texts)), dtype=np.float64)
        tiers[scorer.name] = choose(prob, y, scorer.thresholds, masked)
        log(
            f"hold thresholds ({scorer.name}): "
            + ", ".join(f"{k} {v:.3f}" for k, v in tiers[scorer.name].items())
        )
    return write(directory, tiers)
