"""The shipped artefacts as a news site uses them: loaded once, offline, scoring real-looking comments."""

import json
import subprocess
import sys

import pytest
from conftest import checkout_env

from townsquare.classifier.api import LABELS, Scorer, get_scorer, model_loaded
from townsquare.classifier.scorers import ARTEFACTS

CIVIL = [
    "Thanks for the thorough reporting, the council should publish the budget figures too.",
    "I disagree with the author, but the interview with the mayor was fair.",
    "Does anyone know when the new bridge opens?",
]
TOXIC = [
    "You are a worthless idiot and everyone here hates you, shut up",
    "f*** you, you stupid piece of s***, go back to where you came from",
    "I will find you and kill you, you pathetic moron",
]
TIERS = ["linear", "transformer", "auto", "cascade"]


@pytest.mark.parametrize("tier", TIERS)
def test_every_label_is_a_probability(tier):
    scorer = get_scorer(tier)
    assert isinstance(scorer, Scorer)
    for scores in scorer.score_batch([*CIVIL, *TOXIC, "", "🙂", "a" * 5000]):
        assert set(scores) == set(LABELS)
        assert all(0.0 <= value <= 1.0 for value in scores.values())
    assert model_loaded()


@pytest.mark.parametrize("tier", TIERS)
def test_a_troll_scores_above_a_reader(tier):
    scorer = get_scorer(tier)
    civil = [s["toxicity"] for s in scorer.score_batch(CIVIL)]
    toxic = [s["toxicity"] for s in scorer.score_batch(TOXIC)]
    assert max(civil) < min(toxic)
    assert scorer.score(TOXIC[0])["toxicity"] >= scorer.thresholds["toxicity"]
    assert scorer.score(CIVIL[0])["toxicity"] < scorer.thresholds["toxicity"]


def test_spam_and_threat_heads_answer_their_question():
    scorer = get_scorer("auto")
    spam = scorer.score("Check out my channel!!! subscribe http://bit.ly/free-money win an iphone")
    assert spam["spam"] > scorer.score(CIVIL[0])["spam"]
    assert scorer.score(TOXIC[2])["threat"] > scorer.score(TOXIC[0])["threat"]


@pytest.mark.parametrize("tier", TIERS)
def test_thresholds_exist_for_every_label(tier):
    thresholds = get_scorer(tier).thresholds
    assert set(thresholds) == set(LABELS)
    assert all(0.0 < t < 1.0 for t in thresholds.values())


def test_scorer_is_loaded_once():
    assert get_scorer("linear") is get_scorer("linear")
    with pytest.raises(ValueError, match="unknown tier"):
        get_scorer("gpt")


def test_german_portuguese_and_russian_abuse_gets_word_list_evidence():
    scorer = get_scorer("auto")
    assert (
        scorer.score("Ты мудак, заткнись уже")["toxicity"]
        > scorer.score("Спасибо за статью, очень подробно и честно")["toxicity"] + 0.5
    )
    assert (
        scorer.score("Du bist ein elendes Arschloch und ein Wichser")["toxicity"]
        > scorer.score("Ich finde den Artikel sehr informativ, danke für die Recherche")["toxicity"]
    )
    assert (
        scorer.score("vai tomar no cu seu babaca")["toxicity"]
        > scorer.score("obrigado pela materia, muito bem escrita")["toxicity"]
    )


def test_artefacts_are_small_and_complete():
    sizes = {p.name: p.stat().st_size for p in ARTEFACTS.iterdir() if p.is_file()}
    assert {"linear.npz", "minilm.int8.onnx", "tokenizer.json", "transformer.json", "auto.json"} <= set(sizes)
    assert sum(sizes.values()) < 40_000_000
    assert json.loads((ARTEFACTS / "auto.json").read_text())["tier"] in {"linear", "transformer", "stacked"}


OFFLINE_NO_TORCH = """
import importlib.abc, socket, sys
class NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "transformers"):
            raise ImportError(f"serving must not import {name}")
        return None
sys.meta_path.insert(0, NoTorch())
def refuse(*args, **kwargs):
    raise AssertionError("the classifier tried to reach the network")
socket.socket.connect = refuse
socket.create_connection = refuse
from townsquare.classifier.api import get_scorer
for tier in ("linear", "transformer", "auto"):
    scores = get_scorer(tier).score("Ihr seid alle Idioten")
    assert all(0 <= v <= 1 for v in scores.values()), scores
assert "torch" not in sys.modules
print("ok")
"""


def test_artefacts_load_without_torch_and_without_network():
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_NO_TORCH],
        env=checkout_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize("tier", ["linear", "transformer", "auto"])
def test_hold_thresholds_are_shipped_and_never_below_the_f1_ones(tier):
    from townsquare.classifier.scorers import ARTEFACTS, load

    scorer = load(tier)
    assert (ARTEFACTS / "hold_thresholds.json").exists()
    assert set(scorer.hold_thresholds) == set(LABELS)
    for label in LABELS:
        assert scorer.thresholds[label] <= scorer.hold_thresholds[label] <= 1.0


def test_a_precision_threshold_holds_only_where_the_validation_rows_agree():
    import numpy as np

    from townsquare.classifier.holds import precision_threshold

    prob = np.linspace(0, 1, 100)
    y = (prob > 0.7).astype(int)
    y[75] = 0  # one civil comment high up
    # 29 hold-worthy of the top 32 is still 90 % precise; one more civil row below would not be.
    assert 0.68 < precision_threshold(prob, y, 0.9) < 0.69
    assert precision_threshold(prob, np.zeros(100, dtype=int), 0.9) == 1.0


@pytest.mark.parametrize("tier", TIERS)
def test_the_word_lists_can_be_switched_off_for_every_tier_inside_a_scorer(tier):
    # The evaluation report's "without word lists" column: the cascade's own tiers carry the lists too.
    from townsquare.classifier.scorers import without_word_lists

    scorer = get_scorer(tier)
    abuse = "seu desgracado, vai tomar no cu"
    with_lists = scorer.score(abuse)["toxicity"]
    with without_word_lists(scorer):
        assert scorer.score(abuse)["toxicity"] < with_lists
    assert scorer.score(abuse)["toxicity"] == with_lists
