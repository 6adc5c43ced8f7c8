"""The cascade tier: the linear model alone where it is sure, the full tier for the rest."""

import numpy as np
import pytest

from townsquare.classifier import cascade
from townsquare.classifier.api import LABELS, get_scorer
from townsquare.classifier.scorers import CascadeScorer

from .test_scorers import CIVIL, TOXIC

# The int8 transformer's scores move with the batch a text is in: its activations are quantised with one scale
# per batch, and padding and batch-mates change that scale. Over 300 Kaggle comments scored alone and in one
# batch, 99 % of the scores moved by less than 0.05 (the mean by 0.004).
BATCH_NOISE = 0.05


def test_a_civil_comment_is_scored_by_the_linear_tier_alone():
    scorer = get_scorer("cascade")
    assert isinstance(scorer, CascadeScorer)
    linear = get_scorer("linear").score(CIVIL[0])
    _first, unsure = scorer.first_pass([CIVIL[0]])
    assert not unsure[0]
    assert scorer.score(CIVIL[0]) == pytest.approx(linear)


def test_a_troll_is_scored_by_the_full_tier():
    scorer = get_scorer("cascade")
    assert isinstance(scorer, CascadeScorer)
    full = get_scorer("auto").score_batch(TOXIC)
    assert scorer.first_pass(TOXIC)[1].all()
    # All of them go on together, so they share a batch (and its padding) with the full tier's own run.
    assert scorer.score_batch(TOXIC) == [pytest.approx(expected) for expected in full]


def test_a_batch_mixes_both_tiers_in_order():
    scorer = get_scorer("cascade")
    texts = [CIVIL[0], TOXIC[0], CIVIL[1], TOXIC[1]]
    batch = scorer.score_batch(texts)
    assert batch == [pytest.approx(scorer.score(text), abs=BATCH_NOISE) for text in texts]
    assert scorer.first_pass(texts)[1].tolist() == [False, True, False, True]


def test_a_comment_in_a_language_the_models_never_saw_goes_to_the_full_tier():
    scorer = get_scorer("cascade")
    assert isinstance(scorer, CascadeScorer)
    german = "Die Verhandlungen über die Grenze sollen am Montag in Wien weitergehen."
    portuguese = "As negociações sobre a fronteira devem continuar na segunda-feira em Viena."
    _first, unsure = scorer.first_pass([german, portuguese, CIVIL[0]])
    assert unsure.tolist() == [True, True, False]
    assert scorer.score(german) == pytest.approx(get_scorer("auto").score(german), abs=BATCH_NOISE)


def test_a_linear_only_score_never_holds():
    scorer = get_scorer("cascade")
    assert isinstance(scorer, CascadeScorer)
    for label, cut in zip(LABELS, scorer.cuts, strict=True):
        assert cut <= scorer.hold_thresholds[label]
        assert cut <= scorer.thresholds[label]


def test_cuts_let_through_at_most_the_allowed_share_of_caught_positives():
    rng = np.random.default_rng(0)
    n = 2000
    y = np.full((n, len(LABELS)), -1, dtype=np.int8)
    y[:, 0] = rng.integers(0, 2, n)
    linear = np.clip(y[:, :1] * 0.5 + rng.random((n, len(LABELS))) * 0.5, 0, 1)
    full = np.clip(y[:, :1] * 0.6 + rng.random((n, len(LABELS))) * 0.4, 0, 1)
    ceilings = dict.fromkeys(LABELS, 0.5)
    cuts = cascade.choose_cuts(linear, full, y, ceilings, -1)
    caught = (y[:, 0] == 1) & (full[:, 0] >= 0.5)
    lost = (linear[caught, 0] < cuts["toxicity"]).mean()
    assert 0 < cuts["toxicity"] <= 0.5
    assert lost <= cascade.MAX_LOSS
    assert cuts["insult"] == 0.0  # no labelled rows: everything goes on to the full tier
