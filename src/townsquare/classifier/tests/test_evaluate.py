"""Pieces of the evaluation report: thresholds from a set's own validation rows, and the goals table."""

import numpy as np

from townsquare.classifier import report
from townsquare.classifier.evaluate import Row, best_macro_f1_threshold, own_validation


def test_the_own_threshold_is_the_best_one_on_validation_rows():
    y = np.array([0, 0, 0, 0, 1, 1, 1, 0, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.35, 0.4, 0.6, 0.7, 0.38, 0.8, 0.9])
    assert 0.35 < best_macro_f1_threshold(y, p) <= 0.4


def test_own_validation_rows_come_from_train_never_from_benchmark():
    rows = own_validation("benchmark/tweeteval_offensive/test", "profanity")
    assert rows is not None
    texts, labels = rows
    assert len(texts) == 1324 == len(labels)  # train/tweeteval_offensive/val.csv
    assert set(labels.tolist()) == {0, 1}
    assert own_validation("newsroom/fox_news_comments/test", "toxicity") is None
    assert own_validation("benchmark/hatexplain/test_hateonly", "identity_attack") is None


def test_the_goals_use_the_own_threshold_and_say_both():
    def row(dataset, label, pooled, own):
        return Row("auto", dataset, label, 10, 100, 0.9, 0.5, pooled, 0.5, macro_f1_own=own)

    rows = [
        row("benchmark/tweeteval_offensive/test", "profanity", 0.70, 0.81),
        row("benchmark/tweeteval_hate/test", "identity_attack", 0.50, 0.52),
    ]
    goals = {goal: (measured, ok) for goal, measured, ok in report.goals(rows, {}, "auto")}
    olid = goals["TweetEval offensive (OLID) test macro-F1 > 0.80"]
    assert olid[1] and "0.810" in olid[0] and "0.700" in olid[0]
    assert not goals["TweetEval hate test macro-F1 > 0.55"][1]


def test_the_report_says_how_the_shipped_transformer_was_trained():
    from townsquare.classifier import report

    line = report._provenance()[0]
    assert line.startswith("The `transformer` tier: fine-tuned from all-MiniLM-L6-v2")
    assert "steps of" in line
