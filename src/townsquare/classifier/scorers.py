"""The shipped scorers: linear, transformer (ONNX), their stacked combination ("auto") and the cascade.

Each reads only files in `artefacts/`. Probabilities are calibrated on validation data; for comments in a
language the models were not trained on, word-list evidence of that language is added (see `LexiconEvidence`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from townsquare.classifier import cascade, holds, langdetect
from townsquare.classifier.api import LABELS
from townsquare.classifier.calibration import sigmoid
from townsquare.classifier.linear import LinearModel

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
Float = npt.NDArray[np.float64]
MIN_LANG_CONFIDENCE = 0.5


@dataclass
class LexiconEvidence:
    """Noisy-OR of the model's probability with P(label | a word-list hit), as measured on validation data.

    `scope` "foreign" applies it only to comments in languages outside `langdetect.MODEL_LANGUAGES`.
    """

    precision: dict[str, float] = field(default_factory=dict)
    scope: str = "foreign"

    def hits(self, texts: Sequence[str]) -> npt.NDArray[np.bool_]:
        out = np.zeros(len(texts), dtype=bool)
        if not self.precision:
            return out
        candidates = langdetect.any_lexicon()
        for i, text in enumerate(texts):
            # Detecting the language costs more than scoring; most comments hit no list in any language.
            if candidates.hits(text) == 0:
                continue
            lang = langdetect.model_language(text, MIN_LANG_CONFIDENCE)
            if self.scope == "all" or lang not in langdetect.MODEL_LANGUAGES:
                out[i] = langdetect.lexicon(lang).hits(text) > 0
        return out

    def apply(self, texts: Sequence[str], prob: Float) -> Float:
        hit = self.hits(texts)
        if not hit.any():
            return prob
        prob = prob.copy()
        for label, p in self.precision.items():
            j = LABELS.index(label)
            prob[hit, j] = 1 - (1 - prob[hit, j]) * (1 - p)
        return prob

    def as_json(self) -> dict[str, Any]:
        return {"precision": self.precision, "scope": self.scope}


class BaseScorer:
    name = "base"

    def __init__(self, version: str, thresholds: dict[str, float], evidence: LexiconEvidence) -> None:
        self.version = version
        self.thresholds = thresholds
        self.hold_thresholds = dict(thresholds)
        self.evidence = evidence

    def probabilities(self, texts: Sequence[str]) -> Float:
        """(texts x labels) calibrated probabilities before word-list evidence."""
        raise NotImplementedError

    def predict(self, texts: Sequence[str]) -> Float:
        if not texts:
            return np.zeros((0, len(LABELS)))
        return np.clip(self.evidence.apply(texts, self.probabilities(texts)), 0.0, 1.0)

    def score_batch(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [dict(zip(LABELS, map(float, row), strict=True)) for row in self.predict(texts)]

    def score(self, text: str) -> dict[str, float]:
        return self.score_batch([text])[0]

    def tiers(self) -> list[BaseScorer]:
        """This scorer and every scorer it is made of."""
        return [self]


class LinearScorer(BaseScorer):
    name = "linear"

    def __init__(self, model: LinearModel) -> None:
        evidence = LexiconEvidence(**model.meta.get("evidence", {}))  # type: ignore[arg-type]
        super().__init__(str(model.meta.get("version", "0")), model.thresholds, evidence)
        self.model = model

    def probabilities(self, texts: Sequence[str]) -> Float:
        return self.model.predict(texts)

    def logits(self, texts: Sequence[str]) -> Float:
        """Calibrated log-odds, the stacker's input."""
        return self.model.margins(texts) * self.model.platt[:, 0] + self.model.platt[:, 1]


class TransformerScorer(BaseScorer):
    """MiniLM fine-tuned for the six labels, int8 ONNX, tokenised with `tokenizers`."""

    name = "transformer"
    BATCH = 64

    def __init__(self, directory: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((directory / "transformer.json").read_text())
        super().__init__(meta["version"], meta["thresholds"], LexiconEvidence(**meta.get("evidence", {})))
        self.platt = np.asarray(meta["platt"], dtype=np.float64)
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(meta.get("threads", 2))
        # Spinning threads wait by burning CPU: in a web worker serving other requests that is CPU stolen.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(directory / "minilm.int8.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))

    def raw_logits(self, texts: Sequence[str]) -> Float:
        from townsquare.classifier.features import normalise

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), len(LABELS)))
        for start in range(0, len(order), self.BATCH):
            rows = order[start : start + self.BATCH]
            enc = self.tokenizer.encode_batch([normalise(texts[i]) for i in rows])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            out[rows] = self.session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
        return out

    def logits_from_raw(self, raw: Float) -> Float:
        return raw * self.platt[:, 0] + self.platt[:, 1]

    def logits(self, texts: Sequence[str]) -> Float:
        return self.logits_from_raw(self.raw_logits(texts))

    def probabilities(self, texts: Sequence[str]) -> Float:
        return sigmoid(self.logits(texts))


class StackedScorer(BaseScorer):
    """Per label, logistic regression on both tiers' calibrated log-odds, fitted on validation data."""

    name = "auto"

    def __init__(self, linear: LinearScorer, transformer: TransformerScorer, meta: dict[str, Any]) -> None:
        super().__init__(meta["version"], meta["thresholds"], LexiconEvidence(**meta.get("evidence", {})))
        self.linear, self.transformer = linear, transformer
        self.weights = np.asarray(meta["weights"], dtype=np.float64)  # labels x (linear, transformer, bias)

    def tiers(self) -> list[BaseScorer]:
        return [self, self.linear, self.transformer]

    def probabilities(self, texts: Sequence[str]) -> Float:
        z = self.weights[:, 0] * self.linear.logits(texts) + self.weights[:, 1] * self.transformer.logits(
            texts
        )
        return sigmoid(z + self.weights[:, 2])


class CascadeScorer(BaseScorer):
    """The linear tier where it is sure a comment is fine, the full ("auto") tier for the rest.

    See `cascade.py` for how the per-label cuts are chosen."""

    name = "cascade"

    def __init__(self, first: LinearScorer, full: BaseScorer, cuts: dict[str, float]) -> None:
        super().__init__(full.version, full.thresholds, full.evidence)
        self.hold_thresholds = dict(full.hold_thresholds)
        self.first, self.full = first, full
        self.cuts = np.array([cuts[label] for label in LABELS])

    def tiers(self) -> list[BaseScorer]:
        return [self, *self.first.tiers(), *self.full.tiers()]

    def first_pass(self, texts: Sequence[str]) -> tuple[Float, npt.NDArray[np.bool_]]:
        """The linear tier's probabilities, and which texts it is unsure of (the full tier scores those).

        Sure means below every cut and in a language the models were trained on: the linear tier has no
        weights for words it never saw, so its low scores for a German or Portuguese comment say little."""
        out = self.first.predict(texts)
        unsure = cascade.unsure(out, self.cuts)
        for i, text in enumerate(texts):
            if (
                not unsure[i]
                and langdetect.model_language(text, MIN_LANG_CONFIDENCE) not in langdetect.MODEL_LANGUAGES
            ):
                unsure[i] = True
        return out, unsure

    def finish(self, texts: Sequence[str], first: Float, unsure: npt.NDArray[np.bool_]) -> Float:
        """`first_pass`'s probabilities with the full tier's in the rows it was unsure of (in place)."""
        rows = np.nonzero(unsure)[0]
        if len(rows):
            first[rows] = self.full.predict([texts[int(i)] for i in rows])
        return first

    def predict(self, texts: Sequence[str]) -> Float:
        return self.finish(texts, *self.first_pass(texts))


@contextmanager
def without_word_lists(scorer: BaseScorer) -> Iterator[BaseScorer]:
    """`scorer` with no word-list evidence in it or in the tiers it is made of (the cascade's first pass and
    full tier, the stack's linear and transformer tiers), restored on exit."""
    found = {id(tier): tier for tier in scorer.tiers()}  # the cascade's first pass is the stack's linear
    saved = {key: item.evidence for key, item in found.items()}
    try:
        for item in found.values():
            item.evidence = LexiconEvidence()
        yield scorer
    finally:
        for key, item in found.items():
            item.evidence = saved[key]


def load(tier: str, directory: Path = ARTEFACTS) -> BaseScorer:
    if tier == "cascade":
        full = load("auto", directory)
        cuts = cascade.read(directory)
        if full.name == "linear" or cuts is None:
            return full
        # The stack's own linear tier: one copy of its weights in memory, not two.
        first = full.linear if isinstance(full, StackedScorer) else load("linear", directory)
        assert isinstance(first, LinearScorer)
        return CascadeScorer(first, full, cuts)
    scorer = _load(tier, directory)
    # Where the pipeline holds on the model's word alone (see holds.py); the F1-best ones otherwise.
    scorer.hold_thresholds = holds.read(directory, scorer.name) or dict(scorer.thresholds)
    return scorer


def _load(tier: str, directory: Path) -> BaseScorer:
    linear = LinearScorer(LinearModel.load(directory / "linear.npz"))
    if tier == "linear":
        return linear
    if not (directory / "transformer.json").exists():
        if tier == "transformer":
            raise FileNotFoundError(f"no transformer artefacts in {directory}")
        return linear
    transformer = TransformerScorer(directory)
    if tier == "transformer":
        return transformer
    auto = json.loads((directory / "auto.json").read_text()) if (directory / "auto.json").exists() else {}
    best = auto.get("tier", "linear")
    if best == "stacked":
        return StackedScorer(linear, transformer, auto)
    return transformer if best == "transformer" else linear
