"""What every detector returns: findings a phase turns into a verdict and a moderator reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from townsquare.moderation.text import FormName, NormalisedText

Action = Literal["reject", "hold", "nudge"]


@dataclass(frozen=True)
class Finding:
    """One reason to act on a comment.

    ``text`` is plain language for moderators; ``span`` is a (start, end) range of the ORIGINAL comment text,
    or ``None`` when the finding is about the whole comment; ``score`` is the detector's confidence, 0..1.
    """

    code: str
    text: str
    span: tuple[int, int] | None
    action: Action
    score: float


def finding_at(
    nt: NormalisedText,
    form: FormName,
    start: int,
    end: int,
    *,
    code: str,
    text: str,
    action: Action,
    score: float,
) -> Finding:
    """A finding for ``form[start:end]``, its span mapped back to the original text."""
    return Finding(code=code, text=text, span=nt.to_original(form, start, end), action=action, score=score)


def excerpt(nt: NormalisedText, span: tuple[int, int], limit: int = 60) -> str:
    """The original words of a span, shortened for a one-line reason."""
    words = " ".join(nt.original[span[0] : span[1]].split())
    return words if len(words) <= limit else words[: limit - 1] + "…"
