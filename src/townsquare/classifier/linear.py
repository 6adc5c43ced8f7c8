"""The fast tier: per-label logistic regression heads on hashed word + character n-grams.

The artefact is numpy only (`linear.npz`): idf weights, a (labels x features) float16 weight matrix,
intercepts,
Platt parameters and hold thresholds; no pickles, so loading it runs no code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from townsquare.classifier import features
from townsquare.classifier.api import LABELS
from townsquare.classifier.calibration import best_f1_threshold, fit_platt, sigmoid
from townsquare.classifier.data import MASKED, SEED, Split

Float = npt.NDArray[np.float64]
C_GRID = (1.0, 4.0, 16.0)


@dataclass
class LinearModel:
    idf: npt.NDArray[np.float32]
    coef: npt.NDArray[np.float32]  # labels x features
    intercept: Float
    platt: Float  # labels x 2 (a, b)
    thresholds: dict[str, float]
    meta: dict[str, object]

    def margins(self, texts: Sequence[str]) -> Float:
        if len(texts) == 1:  # the pipeline's case: one comment, no sparse matrices
            indices, weights = features.one_text(texts[0], self.idf)
            return np.asarray(weights @ self.coef_t[indices], dtype=np.float64)[None, :] + self.intercept
        x = features.tfidf(features.counts(texts), self.idf)
        return np.asarray(x @ self.coef_t, dtype=np.float64) + self.intercept

    @cached_property
    def coef_t(self) -> npt.NDArray[np.float32]:
        """Features x labels, contiguous: a sparse row times it reads only the rows it needs."""
        return np.ascontiguousarray(self.coef.T)

    def predict(self, texts: Sequence[str]) -> Float:
        """(texts x labels) calibrated probabilities."""
        return sigmoid(self.margins(texts) * self.platt[:, 0] + self.platt[:, 1])

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            idf=self.idf.astype(np.float16),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
            platt=self.platt,
            meta=np.array(json.dumps({"thresholds": self.thresholds, **self.meta})),
        )

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as npz:
            meta = json.loads(str(npz["meta"]))
            thresholds = meta.pop("thresholds")
            return cls(
                idf=npz["idf"].astype(np.float32),
                # Stored features-major in memory, so `coef_t` is a view of it rather than a second copy.
                coef=np.ascontiguousarray(npz["coef"].astype(np.float32).T).T,
                intercept=npz["intercept"],
                platt=npz["platt"],
                thresholds=thresholds,
                meta=meta,
            )


def train_linear(train: Split, val: Split, *, c_grid: Sequence[float] = C_GRID) -> LinearModel:
    """Fit every head on its labelled training rows; pick C, Platt scaling and threshold on validation."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    x_counts = features.counts(train.texts)
    idf = features.fit_idf(x_counts)
    x_train = features.tfidf(x_counts, idf)
    x_val = features.tfidf(features.counts(val.texts), idf)
    y_train, y_val = train.y, val.y
    coef = np.zeros((len(LABELS), features.N_FEATURES), dtype=np.float32)
    intercept = np.zeros(len(LABELS))
    platt = np.zeros((len(LABELS), 2))
    thresholds: dict[str, float] = {}
    chosen: dict[str, float] = {}
    for j, label in enumerate(tqdm(LABELS, desc="linear heads")):
        rows = y_train[:, j] != MASKED
        vrows = y_val[:, j] != MASKED
        best: tuple[float, LogisticRegression] | None = None
        for c in c_grid:
            lr = LogisticRegression(C=c, solver="liblinear", random_state=SEED)
            lr.fit(x_train[rows], y_train[rows, j])
            auc = roc_auc_score(y_val[vrows, j], lr.decision_function(x_val[vrows]))
            if best is None or auc > best[0]:
                best = (auc, lr)
                chosen[label] = c
        assert best is not None
        lr = best[1]
        coef[j] = lr.coef_[0]
        intercept[j] = lr.intercept_[0]
        margin = lr.decision_function(x_val[vrows])
        a, b = fit_platt(margin, y_val[vrows, j])
        platt[j] = (a, b)
        thresholds[label] = best_f1_threshold(sigmoid(a * margin + b), y_val[vrows, j])
    return LinearModel(idf, coef, intercept, platt, thresholds, {"C": chosen})
