"""The linear tier's single-comment path must score exactly as the batch path it shortcuts."""

import numpy as np
import pytest

from townsquare.classifier import features
from townsquare.classifier.linear import LinearModel
from townsquare.classifier.scorers import ARTEFACTS

TEXTS = [
    "You are an idiot and everyone knows it!!",
    "The council voted 7-2 to fund the new bridge; construction starts in May.",
    "Go back where you came from?! Nobody wants you here",
    "WOOOOOOW this is sooooo great http://example.org/x?y=1 @editor",
    "Ты дурак, и все это знают",
    "Du bist so ein Vollidiot, echt jetzt.",
    "héllo 😀 naïve café — ½ ﬁne",
    "!",
    "a",
    "word " * 400,
    "the the the the the the",
]


@pytest.fixture(scope="module")
def model() -> LinearModel:
    return LinearModel.load(ARTEFACTS / "linear.npz")


def test_one_text_has_the_batch_features():
    idf = np.linspace(0.5, 3.0, features.N_FEATURES, dtype=np.float32)
    batch = features.tfidf(features.counts(TEXTS), idf)
    for i, text in enumerate(TEXTS):
        indices, weights = features.one_text(text, idf)
        row = batch[i]
        expected = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        assert dict(zip(indices.tolist(), weights.tolist(), strict=True)) == pytest.approx(expected), text


def test_one_comment_scores_as_in_a_batch(model):
    batch = model.margins(TEXTS)
    alone = np.vstack([model.margins([text]) for text in TEXTS])
    np.testing.assert_allclose(alone, batch, rtol=0, atol=1e-4)
