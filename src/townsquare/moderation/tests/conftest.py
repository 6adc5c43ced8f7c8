from typing import Any

import pytest


@pytest.fixture
def pipeline_without_model(settings: Any) -> None:
    """The default pipeline less the model's phase: for stories about the rule phases, whose outcome
    must not move when the shipped model is retrained. The corpus and property tests keep the model."""
    settings.MODERATION_PIPELINE = [
        e for e in settings.MODERATION_PIPELINE if not e["NAME"].endswith("ModelScores")
    ]
