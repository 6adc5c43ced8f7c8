"""`townsquare model train`: fit both tiers on `train/`, calibrate on validation data, gate and ship.

A new model replaces the shipped one only if its mean validation ROC-AUC over the labels is at least the
shipped model's on the same validation rows; either way `reports/training.md` records the comparison.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from townsquare.classifier import cascade, holds, langdetect, linear
from townsquare.classifier.api import LABELS
from townsquare.classifier.calibration import best_f1_threshold, fit_platt, sigmoid, val_auc
from townsquare.classifier.data import MASKED, SEED, Split, load_training
from townsquare.classifier.scorers import ARTEFACTS, LexiconEvidence, LinearScorer, load
from townsquare.classifier.stacking import fit_stack

Log = Callable[[str], None]
REPORTS = Path(__file__).resolve().parents[3] / "reports"
EVIDENCE_LABELS = ("toxicity", "profanity")
QUICK_C = (4.0,)


@dataclass
class TrainResult:
    replaced: bool
    new_auc: dict[str, float]
    old_auc: dict[str, float] | None
    tier: str
    notes: list[str] = field(default_factory=list)

    @property
    def new_mean(self) -> float:
        return float(np.mean(list(self.new_auc.values())))

    @property
    def old_mean(self) -> float | None:
        return None if self.old_auc is None else float(np.mean(list(self.old_auc.values())))


def choose_evidence(prob: npt.NDArray[np.float64], val: Split) -> tuple[LexiconEvidence, dict[str, float]]:
    """P(label | word-list hit) on validation rows; scope "all" only if no validation AUC drops.

    `prob` is the tier's calibrated validation probabilities before any word-list evidence.
    """
    y = val.y
    hits = np.array([langdetect.lexicon("en").hits(t) > 0 for t in val.texts])
    precision = {}
    for label in EVIDENCE_LABELS:
        j = LABELS.index(label)
        rows = (y[:, j] != MASKED) & hits
        if rows.sum() >= 20:
            precision[label] = float(y[rows, j].mean())
    base = LexiconEvidence(precision, "foreign").apply(val.texts, prob)
    widened = LexiconEvidence(precision, "all").apply(val.texts, prob)
    before, after = val_auc(base, y), val_auc(widened, y)
    scope = "all" if all(after[k] >= before[k] for k in before) else "foreign"
    chosen = widened if scope == "all" else base
    thresholds = {}
    for j, label in enumerate(LABELS):
        rows = y[:, j] != MASKED
        thresholds[label] = best_f1_threshold(chosen[rows, j], y[rows, j])
    return LexiconEvidence(precision, scope), thresholds


def _train_linear(train: Split, val: Split, staging: Path, quick: bool, log: Log) -> LinearScorer:
    log(f"fitting the linear tier on {len(train)} rows ({len(val)} validation rows)")
    model = linear.train_linear(train, val, c_grid=QUICK_C if quick else linear.C_GRID)
    evidence, thresholds = choose_evidence(model.predict(val.texts), val)
    model.thresholds = thresholds
    model.meta.update(version=time.strftime("%Y%m%d-%H%M%S"), evidence=evidence.as_json(), rows=len(train))
    model.save(staging / "linear.npz")
    return LinearScorer(model)


def _train_transformer(
    train: Split, val: Split, staging: Path, work: Path, budget_s: float, device: str, log: Log
) -> npt.NDArray[np.float64]:
    """Fine-tune (or reuse `work`'s weights), export and calibrate; return the raw validation logits.

    On the CPU the fine-tuning fits in `budget_s`; on a GPU it runs whole epochs (`transformer_gpu`).
    """
    from townsquare.classifier import transformer_train
    from townsquare.classifier.scorers import TransformerScorer

    if not (work / "minilm.pt").exists() and device != "cpu":
        from townsquare.classifier import transformer_gpu

        meta = transformer_gpu.fine_tune(train, val, work, device=device, log=log)
    elif not (work / "minilm.pt").exists():
        meta = transformer_train.train_transformer(train, work, budget_s=budget_s, log=log)
    else:
        log(f"reusing the fine-tuned weights in {work}")
        meta = json.loads((work / "transformer_meta.json").read_text())
    transformer_train.export_onnx(work, staging)
    log("exported and quantised to int8 ONNX")
    placeholder = {"version": "", "thresholds": {}, "platt": [[1.0, 0.0]] * len(LABELS), **meta}
    (staging / "transformer.json").write_text(json.dumps(placeholder))
    scorer = TransformerScorer(staging)
    raw = scorer.raw_logits(val.texts)
    y = val.y
    platt = []
    for j in range(len(LABELS)):
        rows = y[:, j] != MASKED
        platt.append(fit_platt(raw[rows, j], y[rows, j]))
    scorer.platt = np.asarray(platt)
    evidence, thresholds = choose_evidence(sigmoid(scorer.logits_from_raw(raw)), val)
    out = {
        **meta,
        "version": time.strftime("%Y%m%d-%H%M%S"),
        "platt": platt,
        "thresholds": thresholds,
        "evidence": evidence.as_json(),
        "threads": 2,
    }
    (staging / "transformer.json").write_text(json.dumps(out, indent=1))
    return raw


def _stack(val: Split, staging: Path, transformer_logits: npt.NDArray[np.float64], log: Log) -> str:
    lin = load("linear", staging)
    assert isinstance(lin, LinearScorer)
    stack = fit_stack(lin.logits(val.texts), transformer_logits, val.y)
    stack.update(version=time.strftime("%Y%m%d-%H%M%S"), evidence=lin.evidence.as_json())
    (staging / "auto.json").write_text(json.dumps(stack, indent=1))
    log(f"auto tier: {stack['tier']} (validation mean ROC-AUC {stack['val_mean_auc']})")
    return str(stack["tier"])


def decisions_split(decisions: Split, train: Split, val: Split) -> None:
    """Moderators' decisions: a seeded 80 % to training, 20 % to the held-out validation rows."""
    order = list(range(len(decisions)))
    random.Random(SEED).shuffle(order)
    n_val = max(1, len(order) // 5) if len(order) >= 2 else 0
    for k, i in enumerate(order):
        target = val if k < n_val else train
        target.texts.append(decisions.texts[i])
        target.targets.append(decisions.targets[i])
        target.sources.append(decisions.sources[i])


def train(
    *,
    out_dir: Path = ARTEFACTS,
    linear_only: bool = False,
    transformer_only: bool = False,
    quick: bool = False,
    decisions: Split | None = None,
    budget_s: float = 1800.0,
    device: str = "cpu",
    work_dir: Path | None = None,
    report: Path | None = REPORTS / "training.md",
    log: Log = print,
) -> TrainResult:
    train_split, val = load_training(quick=quick)
    if decisions is not None:
        log(f"adding {len(decisions)} moderator decisions")
        decisions_split(decisions, train_split, val)
    log("training data (rows per label):")
    for line in train_split.summary():
        log("  " + line)
    log("validation data:")
    for line in val.summary():
        log("  " + line)
    tier_kind = "linear" if linear_only else "auto"
    old_auc = None
    if (out_dir / "linear.npz").exists():
        old_auc = val_auc(_predict(load(tier_kind, out_dir), val.texts), val.y)
    with tempfile.TemporaryDirectory(prefix="townsquare-model-") as tmp:
        staging = Path(tmp)
        raw_val: npt.NDArray[np.float64] | None = None
        if transformer_only and (out_dir / "linear.npz").exists():
            shutil.copy(out_dir / "linear.npz", staging / "linear.npz")
        else:
            _train_linear(train_split, val, staging, quick, log)
        if linear_only:
            for name in ("minilm.int8.onnx", "tokenizer.json", "transformer.json"):
                if (out_dir / name).exists():
                    shutil.copy(out_dir / name, staging / name)
        else:
            work = work_dir or staging / "work"
            raw_val = _train_transformer(train_split, val, staging, work, budget_s, device, log)
        tier = "linear"
        if (staging / "transformer.json").exists():
            from townsquare.classifier.scorers import TransformerScorer

            tr = TransformerScorer(staging)
            logits = tr.logits(val.texts) if raw_val is None else tr.logits_from_raw(raw_val)
            tier = _stack(val, staging, logits, log)
        holds.compute_for(staging, val.texts, val.y, MASKED, log)
        cascade.compute_for(staging, val.texts, val.y, MASKED, log)
        new_auc = val_auc(_predict(load(tier_kind, staging), val.texts), val.y)
        result = TrainResult(False, new_auc, old_auc, tier)
        result.replaced = result.old_mean is None or result.new_mean >= result.old_mean
        if result.replaced:
            out_dir.mkdir(parents=True, exist_ok=True)
            for path in staging.iterdir():
                if path.is_file() and not path.name.endswith(".fp32.onnx"):
                    shutil.copy(path, out_dir / path.name)
    verdict = (
        "replaced the shipped model" if result.replaced else "kept the shipped model (the new one is worse)"
    )
    old = "none" if result.old_mean is None else f"{result.old_mean:.4f}"
    log(f"validation mean ROC-AUC ({tier_kind} tier): new {result.new_mean:.4f}, shipped {old}: {verdict}")
    if report is not None:
        _write_report(report, result, train_split, val, tier_kind, decisions)
    from townsquare.classifier.api import reset_cache

    reset_cache()
    return result


def _predict(scorer: Any, texts: list[str]) -> npt.NDArray[np.float64]:
    return np.asarray(scorer.predict(texts), dtype=np.float64)


def _write_report(
    path: Path, result: TrainResult, train_split: Split, val: Split, tier: str, decisions: Split | None
) -> None:
    verdict = "the new model replaced the shipped one" if result.replaced else "the shipped model was kept"
    lines = [
        "# Training report",
        "",
        f"Generated by `townsquare model train` on {time.strftime('%Y-%m-%d %H:%M')}; "
        f"tier compared: `{tier}`.",
        "",
        f"Moderator decisions added: {0 if decisions is None else len(decisions)}.",
        "",
        f"**Result: {verdict}** (a new model ships only if its mean validation ROC-AUC is at least the "
        "shipped model's on the same rows).",
        "",
        "The auto tier's stacking weights are fitted on these validation rows, so its figure is optimistic; "
        "`auto.json` holds the out-of-fold AUCs that chose it.",
        "",
        "| label | new | shipped |",
        "| --- | --- | --- |",
    ]
    for label in LABELS:
        new = result.new_auc.get(label)
        old = None if result.old_auc is None else result.old_auc.get(label)
        lines.append(
            f"| {label} | {'-' if new is None else f'{new:.4f}'} | {'-' if old is None else f'{old:.4f}'} |"
        )
    old_mean = "-" if result.old_mean is None else f"{result.old_mean:.4f}"
    lines += [
        f"| **mean** | **{result.new_mean:.4f}** | **{old_mean}** |",
        "",
        "## Data",
        "",
        "Training rows:",
        "",
    ]
    lines += [f"    {line}" for line in train_split.summary()]
    lines += ["", "Validation rows:", ""] + [f"    {line}" for line in val.summary()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
