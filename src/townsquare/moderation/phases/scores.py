"""The machine-learned scores per label, held against the site's thresholds."""

import time
from typing import Any, ClassVar

from townsquare.classifier.api import LABELS
from townsquare.classifier.scorers import CascadeScorer
from townsquare.moderation.phases.base import Context, Phase, Verdict
from townsquare.moderation.scoring import FallbackLexiconScorer, scorer_for

LABEL_TEXT = {
    "toxicity": "rude or disrespectful",
    "insult": "an insult",
    "identity_attack": "an attack on a group's identity",
    "threat": "a threat",
    "profanity": "profane",
    "spam": "spam",
}


class ModelScores(Phase):
    """Hold when a label's score reaches its threshold (the site's, else the model's hold threshold).

    The model alone never rejects: a person reviews what only the model objects to.
    """

    # The model does not touch the database, so the time budget can cut it off.
    isolated: ClassVar[bool] = True
    nudgeable: ClassVar[bool] = True
    defaults: ClassVar[dict[str, Any]] = {"tier": "cascade", "labels": list(LABELS)}

    def prepare(self) -> None:
        scorer_for(self.options["tier"]).score("warm up")

    def check(self, ctx: Context) -> Verdict | None:
        scorer = scorer_for(self.options["tier"])
        started = time.perf_counter()
        raw = scorer.score(ctx.text)
        scores = {label: round(float(value), 4) for label, value in raw.items()}
        scores["model_ms"] = round((time.perf_counter() - started) * 1000, 3)
        if isinstance(scorer, FallbackLexiconScorer):
            scores["scorer_fallback"] = 1.0
        if isinstance(scorer, CascadeScorer):
            # 1.0: the linear tier was unsure and the full tier scored it; 0.0: the linear tier alone.
            scores["model_deferred"] = float(scorer.deferred(raw))
        thresholds = {**scorer.hold_thresholds, **(ctx.policy("thresholds") or {})}
        reasons = []
        for label in self.options["labels"]:
            threshold = thresholds.get(label)
            if threshold is not None and scores.get(label, 0.0) >= threshold:
                text = (
                    f"The model scores this {scores[label]:.0%} likely to be {LABEL_TEXT.get(label, label)}."
                )
                reasons.append(self.reason(f"model_{label}", text, action="hold"))
        return Verdict("hold" if reasons else None, reasons, scores)
