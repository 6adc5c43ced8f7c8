"""Platt scaling and threshold choice, both fitted on validation data only."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve, roc_auc_score

from townsquare.classifier.api import LABELS
from townsquare.classifier.data import MASKED

FloatArray = npt.NDArray[np.float64]


def sigmoid(z: npt.NDArray[np.floating]) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float64)


def fit_platt(margin: FloatArray, y: npt.NDArray[np.integer]) -> tuple[float, float]:
    """(a, b) so that sigmoid(a * margin + b) is a calibrated probability on the validation rows."""
    if len(np.unique(y)) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=100.0).fit(margin.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def best_f1_threshold(prob: FloatArray, y: npt.NDArray[np.integer]) -> float:
    """The probability threshold that maximises F1 of the positive class on validation rows."""
    if y.sum() == 0:
        return 0.5
    precision, recall, thresholds = precision_recall_curve(y, prob)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1[:-1]))
    return float(thresholds[best])


def val_auc(prob: FloatArray, y: npt.NDArray[np.int8]) -> dict[str, float]:
    """ROC-AUC per label over the rows labelled for it (labels with one class only are left out)."""
    out = {}
    for j, label in enumerate(LABELS):
        rows = y[:, j] != MASKED
        if len(np.unique(y[rows, j])) == 2:
            out[label] = float(roc_auc_score(y[rows, j], prob[rows, j]))
    return out
