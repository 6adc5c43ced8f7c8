"""`townsquare model`: info, and learning from The Gazette's moderators without shipping a worse model."""

import shutil
import sys
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from townsquare.classifier.api import LABELS
from townsquare.classifier.linear import LinearModel
from townsquare.classifier.scorers import ARTEFACTS


def test_info_describes_the_shipped_model():
    out = StringIO()
    call_command("model", "info", stdout=out)
    text = out.getvalue()
    assert "linear.npz" in text
    assert "threat" in text and "weak labels" in text
    assert "transformer fine-tuned from all-MiniLM-L6-v2" in text
    for label in LABELS:
        assert label in text


def _train(artefacts, tmp_path):
    out = StringIO()
    call_command(
        "model",
        "train",
        "--with-decisions",
        "--site",
        "gazette",
        "--linear-only",
        "--quick",
        "--artefacts",
        str(artefacts),
        "--report",
        str(tmp_path / "training.md"),
        stdout=out,
    )
    return out.getvalue()


def test_a_quick_retrain_does_not_replace_a_better_model(decisions, tmp_path):
    artefacts = tmp_path / "artefacts"
    artefacts.mkdir()
    shutil.copy(ARTEFACTS / "linear.npz", artefacts / "linear.npz")
    before = (artefacts / "linear.npz").read_bytes()
    out = _train(artefacts, tmp_path)
    assert "adding 12 moderator decisions" in out
    assert "kept the shipped model" in out
    assert (artefacts / "linear.npz").read_bytes() == before
    assert "the shipped model was kept" in (tmp_path / "training.md").read_text()


def test_a_retrain_replaces_a_worse_model(decisions, tmp_path):
    artefacts = tmp_path / "artefacts"
    artefacts.mkdir()
    broken = LinearModel.load(ARTEFACTS / "linear.npz")
    broken.coef = np.zeros_like(broken.coef)
    broken.save(artefacts / "linear.npz")
    out = _train(artefacts, tmp_path)
    assert "replaced" in out
    retrained = LinearModel.load(artefacts / "linear.npz")
    assert np.abs(retrained.coef).sum() > 0
    assert "the new model replaced the shipped one" in (tmp_path / "training.md").read_text()


def test_training_on_a_gpu_this_machine_lacks_fails_before_it_starts(tmp_path):
    # Without torch, or with a CPU build of it (CI and this machine): a clear error, nothing trained.
    with pytest.raises(CommandError, match="--device cuda"):
        call_command("model", "train", "--device", "cuda", "--artefacts", str(tmp_path), stdout=StringIO())
    assert not any(tmp_path.iterdir())


def test_training_without_the_datasets_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.setenv("TOWNSQUARE_DATASETS", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="TOWNSQUARE_DATASETS names another folder"):
        call_command("model", "train", "--linear-only", "--artefacts", str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match=r"nowhere/.+ is missing"):
        call_command("model", "evaluate", "--out", str(tmp_path / "reports"), stdout=StringIO())
    assert not (tmp_path / "reports").exists()


def test_evaluating_without_the_train_extra_says_how_to_install_it(tmp_path, monkeypatch):
    for folder in ("train", "benchmark", "newsroom"):
        (tmp_path / "data" / folder).mkdir(parents=True)
    monkeypatch.setenv("TOWNSQUARE_DATASETS", str(tmp_path / "data"))
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what `import` finds when it is not installed
    with pytest.raises(CommandError, match=r"needs the train extra \(matplotlib is not installed\)"):
        call_command("model", "evaluate", "--out", str(tmp_path / "reports"), stdout=StringIO())
    assert not (tmp_path / "reports").exists()


def test_evaluating_an_unknown_tier_names_the_tiers(tmp_path):
    with pytest.raises(CommandError, match="Unknown tier 'fast': choose from linear, transformer"):
        call_command("model", "evaluate", "--tiers", "linear,fast", "--out", str(tmp_path), stdout=StringIO())
