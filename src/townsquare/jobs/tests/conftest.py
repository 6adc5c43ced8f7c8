import pytest


@pytest.fixture(autouse=True)
def _rules_only(pipeline_without_model: None) -> None:
    """The jobs' stories post ordinary comments; the model's verdict on them is not what they test."""
