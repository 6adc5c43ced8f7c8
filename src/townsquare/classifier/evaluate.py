"""`townsquare model evaluate`: every benchmark/ and newsroom/ set, every shipped tier, two baselines,
one report.

Nothing here fits on the evaluation sets: the tiers are the shipped artefacts, profanity-check is a pretrained
package, and the TF-IDF baseline is fitted on the same `train/` rows as the model.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import average_precision_score, f1_score, precision_recall_curve, roc_auc_score

from townsquare.classifier import langdetect, scorers
from townsquare.classifier.api import LABELS, get_scorer
from townsquare.classifier.data import MASKED, SEED, datasets_root, load_training, read_csv, require
from townsquare.classifier.train import REPORTS

Float = npt.NDArray[np.float64]
Predict = Callable[[Sequence[str]], Float]

# The label whose score and hold threshold answer each set's question (toxicity everywhere else).
SET_LABEL = {
    "benchmark/tweeteval_hate/test": "identity_attack",
    "benchmark/tweeteval_offensive/test": "profanity",
    "benchmark/kaggle_insults_impermium/test": "insult",
    "benchmark/youtube_spam/test": "spam",
    "benchmark/hatexplain/test_hateonly": "identity_attack",
    "benchmark/davidson_hate_offensive/test_hateonly": "identity_attack",
}
SMALL_POSITIVES = 100  # below this, bootstrap confidence intervals are given
BOOTSTRAP = 1000
LANGUAGE_SETS = ("newsroom/one_million_posts_derstandard/test", "newsroom/offcombr/test")
# (share of comments per detected language, {tier: (ROC-AUC with word lists, without)})
LanguageReport = tuple[dict[str, float], dict[str, tuple[float, float]]]


@dataclass
class Row:
    system: str
    dataset: str
    label: str
    positives: int
    n: int
    roc_auc: float
    pr_auc: float
    macro_f1: float
    recall: float
    roc_ci: tuple[float, float] | None = None
    pr_ci: tuple[float, float] | None = None
    # Macro-F1 at the threshold that is best on the set's own validation rows in train/ (None: it has none).
    macro_f1_own: float | None = None
    threshold_own: float | None = None


def evaluation_sets(root: Path) -> list[str]:
    """`folder/set/file` names of every labelled CSV in benchmark/ and newsroom/."""
    names = []
    for folder in ("benchmark", "newsroom"):
        for path in sorted((root / folder).glob("*/*.csv")):
            if path.name != "scores_all.csv":
                names.append(f"{folder}/{path.parent.name}/{path.stem}")
    return names


def bootstrap_ci(y: npt.NDArray[np.int_], p: Float, metric: Callable[..., float]) -> tuple[float, float]:
    rng = np.random.default_rng(SEED)
    stats = []
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, len(y), len(y))
        if 0 < y[idx].sum() < len(idx):
            stats.append(metric(y[idx], p[idx]))
    return float(np.percentile(stats, 2.5)), float(np.percentile(stats, 97.5))


def measure(
    system: str, dataset: str, label: str, y: npt.NDArray[np.int_], p: Float, threshold: float
) -> Row:
    pred = (p >= threshold).astype(int)
    row = Row(
        system,
        dataset,
        label,
        int(y.sum()),
        len(y),
        float(roc_auc_score(y, p)),
        float(average_precision_score(y, p)),
        float(f1_score(y, pred, average="macro")),
        float(pred[y == 1].mean()),
    )
    if row.positives < SMALL_POSITIVES:
        row.roc_ci = bootstrap_ci(y, p, roc_auc_score)
        row.pr_ci = bootstrap_ci(y, p, average_precision_score)
    return row


def best_macro_f1_threshold(y: npt.NDArray[np.int_], p: Float) -> float:
    """The score threshold with the best macro-F1 on these (validation) rows."""
    candidates = np.unique(np.quantile(p, np.linspace(0.0, 1.0, 401)))
    scores = [f1_score(y, (p >= t).astype(int), average="macro") for t in candidates]
    return float(candidates[int(np.argmax(scores))])


def own_validation(dataset: str, label: str) -> tuple[list[str], npt.NDArray[np.int_]] | None:
    """The validation rows in train/ of the same set as `dataset` ("benchmark/<set>/test"), labelled for
    `label` as the training data labels them; None for newsroom sets and the re-labelled `test_hateonly`."""
    from townsquare.classifier.data import SET_LABELS

    folder, set_name, stem = dataset.split("/")
    if folder != "benchmark" or stem != "test" or label not in SET_LABELS.get(set_name, ()):
        return None
    _train, val = _training_split()
    j = LABELS.index(label)
    rows = [i for i, source in enumerate(val.sources) if source == set_name and val.targets[i][j] != MASKED]
    return [val.texts[i] for i in rows], np.asarray([val.targets[i][j] for i in rows])


@functools.cache
def _training_split() -> tuple[Any, Any]:
    return load_training()


def tfidf_baseline() -> Predict:
    """Plain word TF-IDF + logistic regression on the same training data's toxicity rows (holds at 0.5)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    train, _ = _training_split()
    y = train.y[:, 0]
    rows = np.flatnonzero(y != MASKED)
    pipe = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000, random_state=SEED))
    pipe.fit([train.texts[i] for i in rows], y[rows])
    return lambda texts: np.asarray(pipe.predict_proba(list(texts))[:, 1], dtype=np.float64)


def profanity_check_baseline() -> Predict:
    from profanity_check import predict_prob

    return lambda texts: np.asarray(predict_prob(list(texts)), dtype=np.float64)


def speed(predict: Predict, texts: list[str]) -> tuple[float, float]:
    """(comments per second in batches of 1,000, median single-comment latency in ms)."""
    predict(texts[:50])
    started = time.perf_counter()
    for i in range(0, len(texts), 1000):
        predict(texts[i : i + 1000])
    rate = len(texts) / (time.perf_counter() - started)
    latencies = []
    for text in texts[:300]:
        t0 = time.perf_counter()
        predict([text])
        latencies.append((time.perf_counter() - t0) * 1000)
    return rate, float(np.median(latencies))


def evaluate(
    out_dir: Path = REPORTS, tiers: Sequence[str] = ("linear", "transformer", "auto", "cascade")
) -> Path:
    # The data first: a missing folder is the likelier mistake, and it needs no train extra to say so.
    root = datasets_root()
    for folder in ("train", "benchmark", "newsroom"):
        require(root / folder)
    import matplotlib
    import profanity_check  # noqa: F401  (the baseline's package: missing, fail before minutes of work)

    matplotlib.use("Agg")
    from tqdm import tqdm

    from townsquare.classifier import report

    systems: dict[str, tuple[Predict, Callable[[str], float]]] = {}
    for tier in tiers:
        try:
            scorer = get_scorer(tier)
        except FileNotFoundError:
            continue
        thresholds = dict(scorer.thresholds)
        systems[tier] = (scorer.predict, lambda label, t=thresholds: t[label])  # type: ignore[attr-defined,misc]
    _share_transformer_logits()
    print("fitting the TF-IDF + logistic regression baseline on train/ ...")
    systems["tfidf_lr"] = (tfidf_baseline(), lambda label: 0.5)
    systems["profanity_check"] = (profanity_check_baseline(), lambda label: 0.5)
    rows: list[Row] = []
    curves: dict[str, dict[str, tuple[Float, Float]]] = {}
    for name in tqdm(evaluation_sets(root), desc="evaluation sets"):
        texts, labels = read_csv(root / f"{name}.csv")
        y = np.asarray(labels)
        label = SET_LABEL.get(name, "toxicity")
        j = LABELS.index(label)
        curves[name] = {}
        own = own_validation(name, label)
        for system, (predict, threshold) in systems.items():
            out = predict(texts)
            p = out[:, j] if out.ndim == 2 else out
            single = out.ndim == 1
            row = measure(system, name, label if not single else "-", y, p, threshold(label))
            if own is not None:
                val_out = predict(own[0])
                val_p = val_out[:, j] if val_out.ndim == 2 else val_out
                row.threshold_own = best_macro_f1_threshold(own[1], val_p)
                row.macro_f1_own = float(f1_score(y, (p >= row.threshold_own).astype(int), average="macro"))
            rows.append(row)
            if not single and label != "toxicity":
                rows.append(measure(system, name, "toxicity", y, out[:, 0], threshold("toxicity")))
            precision, recall, _ = precision_recall_curve(y, p)
            curves[name][system] = (recall, precision)
    languages = {name: language_report(root, name, tiers) for name in LANGUAGE_SETS}
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    speed_texts = _speed_texts(root)
    speeds = {}
    for system in systems:
        # Fresh scorers for timing: the shared logits cache must not flatter the transformer.
        fresh = scorers.load(system) if system in tiers else None
        speeds[system] = speed(fresh.predict if fresh else systems[system][0], speed_texts)
    deferred = _cascade_share(speed_texts) if "cascade" in tiers else None
    return report.write(out_dir, rows, curves, speeds, languages, len(speed_texts), deferred)


def _cascade_share(texts: list[str]) -> float | None:
    """The share of these comments the cascade sends on to the full tier."""
    scorer = scorers.load("cascade")
    if not isinstance(scorer, scorers.CascadeScorer):
        return None
    return float(scorer.first_pass(texts)[1].mean())


def _share_transformer_logits() -> None:
    """Let "auto" reuse the transformer tier's logits of each evaluation set instead of recomputing them."""
    from townsquare.classifier.scorers import StackedScorer, TransformerScorer

    try:
        auto, transformer = get_scorer("auto"), get_scorer("transformer")
    except FileNotFoundError:
        return
    assert isinstance(transformer, TransformerScorer)
    cache: dict[int, Float] = {}
    compute = transformer.raw_logits

    def raw_logits(texts: Sequence[str]) -> Float:
        key = hash(tuple(texts))
        if key not in cache:
            cache[key] = compute(texts)
        return cache[key]

    transformer.raw_logits = raw_logits  # type: ignore[method-assign]
    if isinstance(auto, StackedScorer):
        auto.transformer = transformer


def language_report(root: Path, name: str, tiers: Sequence[str]) -> LanguageReport:
    """Detected languages, and each tier's toxicity ROC-AUC with and without the word-list evidence."""
    from townsquare.classifier.scorers import BaseScorer, without_word_lists

    texts, labels = read_csv(root / f"{name}.csv")
    detected = [langdetect.detect(t)[0] for t in texts]
    shares = {lang: detected.count(lang) / len(detected) for lang in sorted(set(detected))}
    aucs = {}
    for tier in tiers:
        try:
            scorer = get_scorer(tier)
        except FileNotFoundError:
            continue
        assert isinstance(scorer, BaseScorer)
        with_lists = scorer.predict(texts)[:, 0]
        with without_word_lists(scorer):
            without = scorer.predict(texts)[:, 0]
        aucs[tier] = (float(roc_auc_score(labels, with_lists)), float(roc_auc_score(labels, without)))
    return shares, aucs


def _speed_texts(root: Path) -> list[str]:
    texts: list[str] = []
    for name in (
        "newsroom/fox_news_comments/test",
        "newsroom/ruddit/test",
        "benchmark/kaggle_insults_impermium/test",
    ):
        texts += read_csv(root / f"{name}.csv")[0]
    rng = np.random.default_rng(SEED)
    return [texts[i] for i in rng.permutation(len(texts))[:5000]]
