"""Moderators' approve/reject decisions from the audit log, as training rows (label 1 = rejected)."""

from __future__ import annotations

from townsquare.classifier.data import Split

DECIDED_STATES = ("published", "rejected")


def load_decisions(site: str | None = None) -> Split:
    """The latest moderator decision per comment; a published one is also no insult, threat or profanity."""
    from townsquare.moderation.models import ModerationEvent

    events = ModerationEvent.objects.filter(
        source="moderator", to_state__in=DECIDED_STATES, comment__isnull=False
    )
    if site:
        events = events.filter(site__slug=site)
    latest: dict[int, tuple[str, str]] = {}
    for comment_id, body, state in events.order_by("created_at", "id").values_list(
        "comment_id", "comment__body", "to_state"
    ):
        latest[comment_id] = (body, state)
    split = Split()
    for body, state in latest.values():
        if state == "rejected":
            split.add(body, "decisions", toxicity=1)
        else:
            split.add(body, "decisions", toxicity=0, insult=0, identity_attack=0, threat=0, profanity=0)
    return split
