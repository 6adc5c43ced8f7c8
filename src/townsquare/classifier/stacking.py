"""Choosing the "auto" tier: stack both tiers' calibrated log-odds where that beats each alone."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from townsquare.classifier.api import LABELS
from townsquare.classifier.calibration import best_f1_threshold
from townsquare.classifier.data import MASKED, SEED

Float = npt.NDArray[np.float64]
# The stack must beat the better single tier by this much mean validation ROC-AUC to be worth its cost.
MIN_GAIN = 0.002


def fit_stack(lin: Float, tr: Float, y: npt.NDArray[np.int8]) -> dict[str, Any]:
    """Per-label weights on (linear, transformer) log-odds, out-of-fold AUCs, thresholds and the tier."""
    weights, thresholds = [], {}
    auc: dict[str, dict[str, float]] = {"linear": {}, "transformer": {}, "stacked": {}}
    for j, label in enumerate(LABELS):
        rows = y[:, j] != MASKED
        target = y[rows, j].astype(int)
        x = np.column_stack([lin[rows, j], tr[rows, j]])
        oof = np.zeros(len(target))
        folds = StratifiedKFold(n_splits=2, shuffle=True, random_state=SEED)
        for fit_idx, pred_idx in folds.split(x, target):
            oof[pred_idx] = (
                LogisticRegression(C=1.0).fit(x[fit_idx], target[fit_idx]).predict_proba(x[pred_idx])[:, 1]
            )
        final = LogisticRegression(C=1.0).fit(x, target)
        weights.append([float(final.coef_[0, 0]), float(final.coef_[0, 1]), float(final.intercept_[0])])
        thresholds[label] = best_f1_threshold(oof, target)
        auc["linear"][label] = float(roc_auc_score(target, x[:, 0]))
        auc["transformer"][label] = float(roc_auc_score(target, x[:, 1]))
        auc["stacked"][label] = float(roc_auc_score(target, oof))
    means = {tier: float(np.mean(list(v.values()))) for tier, v in auc.items()}
    single = max(("linear", "transformer"), key=lambda t: means[t])
    tier = "stacked" if means["stacked"] >= means[single] + MIN_GAIN else single
    return {"tier": tier, "weights": weights, "thresholds": thresholds, "val_auc": auc, "val_mean_auc": means}
