"""The machine-learned scores per label, held against the site's thresholds."""

import time
from typing import Any, ClassVar

from django.conf import settings

from townsquare.classifier.api import LABELS
from townsquare.classifier.scorers import CascadeScorer
from townsquare.moderation.phases.base import MODEL_PENDING, Context, Phase, Verdict
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

    `defer`: with the cascade tier, a new comment the linear tier is unsure of is held as
    `model_pending` and the full tier scores it in the `moderation.recheck` job, off the web request.
    "auto" defers when jobs run on Celery workers (in-process jobs would run in the same request
    anyway). A deferred comment is not nudged: the reader learns the outcome when the job is done.
    """

    # The model does not touch the database, so the time budget can cut it off.
    isolated: ClassVar[bool] = True
    nudgeable: ClassVar[bool] = True
    defaults: ClassVar[dict[str, Any]] = {"tier": "cascade", "labels": list(LABELS), "defer": "auto"}

    def prepare(self) -> None:
        scorer_for(self.options["tier"]).score("warm up")

    def defers(self, ctx: Context) -> bool:
        """Whether an unsure comment waits for the job (never for re-checks and dry runs)."""
        defer = self.options["defer"]
        if defer == "auto":
            defer = settings.TOWNSQUARE_JOBS == "celery"
        return bool(defer) and ctx.comment_id is None and not ctx.dry_run

    def check(self, ctx: Context) -> Verdict | None:
        scorer = scorer_for(self.options["tier"])
        started = time.perf_counter()
        full_tier: bool | None = None
        if isinstance(scorer, CascadeScorer):
            first, unsure = scorer.first_pass([ctx.text])
            full_tier = bool(unsure[0])
            if full_tier and self.defers(ctx):
                scores = {label: round(float(v), 4) for label, v in zip(LABELS, first[0], strict=True)}
                scores["model_ms"] = round((time.perf_counter() - started) * 1000, 3)
                text = "The detailed model check runs in the background; the comment waits for it."
                return Verdict("hold", [self.reason(MODEL_PENDING, text, action="hold")], scores)
            raw = dict(zip(LABELS, map(float, scorer.finish([ctx.text], first, unsure)[0]), strict=True))
        else:
            raw = scorer.score(ctx.text)
        scores = {label: round(float(value), 4) for label, value in raw.items()}
        scores["model_ms"] = round((time.perf_counter() - started) * 1000, 3)
        if isinstance(scorer, FallbackLexiconScorer):
            scores["scorer_fallback"] = 1.0
        if full_tier is not None:
            # 1.0: the linear tier was unsure and the full tier scored it; 0.0: the linear tier alone.
            scores["model_full_tier"] = float(full_tier)
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
