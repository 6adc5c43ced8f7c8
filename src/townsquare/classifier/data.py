"""The labelled comment sets and how their binary labels map onto the model's six labels.

Every set in `train/` labels one thing (README of the datasets folder); a row therefore carries a target
for some labels and is *unlabelled* (masked, -1) for the others. Two implications are used throughout: a row
a moderator would publish (toxicity 0) is also not an insult, identity attack, threat or profanity, and a
comment from a non-spam set is not spam (only a seeded sample of them is used, so spam stays a
YouTube-sized task).

`benchmark/` and `newsroom/` are read only by `evaluate.py`.
"""

from __future__ import annotations

import csv
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from townsquare.classifier.api import LABELS

SEED = 20240611
MASKED = -1
# Which label a set's `label` column speaks for (besides toxicity for the hold-worthy sets).
SET_LABELS: dict[str, tuple[str, ...]] = {
    "tweeteval_hate": ("toxicity", "identity_attack"),
    "tweeteval_offensive": ("toxicity", "profanity"),
    "hatexplain": ("toxicity",),
    "davidson_hate_offensive": ("toxicity", "profanity"),
    "kaggle_insults_impermium": ("toxicity", "insult"),
    "youtube_spam": ("spam",),
}
# Non-spam comments drawn from the other sets as spam negatives.
SPAM_NEGATIVES = 3000
VAL_SHARE = 0.1
QUICK_SHARE = 4  # per cent

# Threat has no dedicated set: rows a set already calls hold-worthy *and* that state an intent to harm are
# weak threat positives; everything else labelled is a threat negative. The head trained on them generalises
# the lexicon.
THREAT_PATTERN = re.compile(
    r"\b(i|we|i'?ll|we'?ll|gonna|going to|will|should|i'?d|imma|ima)\b[^.!?\n]{0,40}?"
    r"\b(kill|murder|shoot|stab|hang|lynch|beat|burn|bomb|slit|strangle|choke|rape|hurt|punch|destroy|"
    r"smash|execute|behead|gas)\w*\b"
    r"|\b(kill|shoot|hang|stab|burn) (yo)?urself\b|\bkys\b"
    r"|\b(you|u) (deserve|need|ought) to (die|be (shot|killed|hanged))"
    r"|\b(should|needs? to|must) be (shot|killed|hanged|lynched|executed|gassed|burned)\b"
    r"|\bi hope (you|u|he|she|they) (die|dies|get (shot|killed|raped))",
    re.IGNORECASE,
)


def datasets_root() -> Path:
    """`$TOWNSQUARE_DATASETS`, else `../shared/datasets` next to the checkout."""
    env = os.environ.get("TOWNSQUARE_DATASETS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "datasets"


class DatasetMissing(FileNotFoundError):
    """A labeled set the command needs is not where the datasets are read from."""


def require(path: Path) -> Path:
    """`path` itself, or DatasetMissing saying where the datasets are looked for."""
    if not path.exists():
        raise DatasetMissing(
            f"{path} is missing: the labeled datasets are read from {datasets_root()}, which is "
            "`../shared/datasets` beside the checkout unless TOWNSQUARE_DATASETS names another folder"
        )
    return path


def read_csv(path: Path) -> tuple[list[str], list[int]]:
    require(path)
    texts: list[str] = []
    labels: list[int] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(row["text"])
            labels.append(int(row["label"]))
    return texts, labels


@dataclass
class Split:
    """Texts with a (rows x labels) target matrix, -1 where a row says nothing about a label."""

    texts: list[str] = field(default_factory=list)
    targets: list[list[int]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, text: str, source: str, **labels: int) -> None:
        self.texts.append(text)
        self.targets.append([labels.get(name, MASKED) for name in LABELS])
        self.sources.append(source)

    def extend(self, other: Split) -> None:
        self.texts += other.texts
        self.targets += other.targets
        self.sources += other.sources

    @property
    def y(self) -> npt.NDArray[np.int8]:
        return np.asarray(self.targets, dtype=np.int8).reshape(-1, len(LABELS))

    def __len__(self) -> int:
        return len(self.texts)

    def summary(self) -> Iterator[str]:
        y = self.y
        for j, name in enumerate(LABELS):
            known = y[:, j] != MASKED
            positive = int((y[known, j] == 1).sum())
            yield f"{name:16s} {int(known.sum()):6d} labelled rows, {positive:6d} positive"


def _labels_for(set_name: str, text: str, label: int) -> dict[str, int]:
    out = {name: label for name in SET_LABELS[set_name]}
    if set_name == "youtube_spam":
        return out
    if label == 0:
        out.update(insult=0, identity_attack=0, threat=0, profanity=0)
    out["threat"] = int(label == 1 and THREAT_PATTERN.search(text) is not None)
    return out


def _split_train(set_dir: Path, rng: random.Random) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    train = list(zip(*read_csv(set_dir / "train.csv"), strict=True))
    if (set_dir / "val.csv").exists():
        return train, list(zip(*read_csv(set_dir / "val.csv"), strict=True))
    order = list(range(len(train)))
    rng.shuffle(order)
    n_val = int(len(order) * VAL_SHARE)
    return [train[i] for i in order[n_val:]], [train[i] for i in order[:n_val]]


def load_training(root: Path | None = None, *, quick: bool = False) -> tuple[Split, Split]:
    """(train, validation) over every set in `train/`; validation is `val.csv` or a seeded 10 % of
    `train.csv`.

    `quick` keeps a seeded 4 % of each (its validation rows a subset of the full ones), for tests and smoke
    runs.
    """
    root = root or datasets_root()
    rng = random.Random(SEED)
    # Quick sampling draws from its own generator, so the splits (and quick validation rows) match a
    # full run's.
    quick_rng = random.Random(SEED + 1)
    train, val = Split(), Split()
    spam_pool: list[tuple[str, str, bool]] = []
    for set_name in SET_LABELS:
        rows, val_rows = _split_train(root / "train" / set_name, rng)
        if quick:
            rows = quick_rng.sample(rows, len(rows) * QUICK_SHARE // 100)
            val_rows = quick_rng.sample(val_rows, len(val_rows) * QUICK_SHARE // 100)
        for split, part, is_val in ((train, rows, False), (val, val_rows, True)):
            for text, label in part:
                split.add(text, set_name, **_labels_for(set_name, text, label))
                if set_name != "youtube_spam":
                    spam_pool.append((text, set_name, is_val))
    n_neg = SPAM_NEGATIVES * (QUICK_SHARE if quick else 100) // 100
    for text, set_name, is_val in rng.sample(spam_pool, min(n_neg, len(spam_pool))):
        (val if is_val else train).add(text, set_name + "/spam-negative", spam=0)
    return train, val
