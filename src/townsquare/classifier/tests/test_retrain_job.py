"""`townsquare model train --with-decisions --queue`: Maria's decisions teach the model in a job."""

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from townsquare.classifier import jobs, train
from townsquare.classifier.linear import LinearModel
from townsquare.classifier.scorers import ARTEFACTS
from townsquare.jobs.api import REGISTRY
from townsquare.jobs.models import JobReceipt
from townsquare.jobs.receipts import lease


@pytest.fixture
def trained(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Stands in for the hour of training: records how the job called it."""
    calls: list[dict[str, Any]] = []

    def fake_train(**kwargs: Any) -> train.TrainResult:
        calls.append(kwargs)
        return train.TrainResult(True, {"toxicity": 0.9}, {"toxicity": 0.8}, "linear")

    monkeypatch.setattr(train, "train", fake_train)
    return calls


def queue(*options: str) -> str:
    out = StringIO()
    call_command("model", "train", *options, "--queue", stdout=out)
    return out.getvalue()


def test_the_job_has_an_hour_and_one_try():
    spec = REGISTRY["classifier.retrain"]
    assert spec.soft_time_limit >= 3600 and spec.time_limit > spec.soft_time_limit
    assert spec.max_retries <= 1


def test_queueing_runs_the_linear_tier_with_the_sites_decisions_after_commit(
    decisions, trained, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = queue("--with-decisions", "--site", "gazette", "--artefacts", str(tmp_path))
        assert trained == []  # queued, not run in the foreground
    assert "the linear tier only (the transformer needs torch" in out
    (call,) = trained
    assert call["linear_only"] is True and call["quick"] is False
    assert call["out_dir"] == tmp_path
    assert call["report"] == train.REPORTS / "training.md"
    assert len(call["decisions"]) == 12


def test_without_decisions_the_job_retrains_on_the_datasets_alone(
    decisions, trained, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queue("--quick")
    (call,) = trained
    assert call["decisions"] is None and call["quick"] is True and call["out_dir"] == ARTEFACTS


def test_the_transformer_and_unknown_sites_are_refused_before_anything_is_queued(
    gazette, trained, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        with pytest.raises(CommandError, match="transformer needs torch"):
            queue("--with-decisions", "--transformer-only")
        with pytest.raises(CommandError, match="no site 'herald'"):
            queue("--with-decisions", "--site", "herald")
    assert queued == [] and trained == []


def test_a_second_delivery_while_the_first_trains_does_nothing(db, trained):
    with lease(jobs.JOB, 60) as first:
        assert first
        assert jobs.retrain(with_decisions=False) is None
    assert trained == []
    assert jobs.retrain(with_decisions=False) is True  # the lease is free again
    assert not JobReceipt.objects.exists()


def test_a_lease_left_by_a_dead_worker_is_taken_over_after_the_time_limit(db, trained):
    JobReceipt.objects.create(key=jobs.JOB)
    assert jobs.retrain(with_decisions=False) is None
    JobReceipt.objects.update(created_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert jobs.retrain(with_decisions=False) is True


def test_a_quick_real_retrain_in_the_job_replaces_a_worse_model(decisions, tmp_path: Path):
    artefacts = tmp_path / "artefacts"
    artefacts.mkdir()
    broken = LinearModel.load(ARTEFACTS / "linear.npz")
    broken.coef = np.zeros_like(broken.coef)
    broken.save(artefacts / "linear.npz")
    replaced = jobs.retrain(
        site="gazette", quick=True, artefacts=str(artefacts), report=str(tmp_path / "training.md")
    )
    assert replaced is True
    assert np.abs(LinearModel.load(artefacts / "linear.npz").coef).sum() > 0
    report = (tmp_path / "training.md").read_text()
    assert "Moderator decisions added: 12." in report
    assert not (artefacts / "minilm.int8.onnx").exists()  # no transformer was trained
