"""A site's policy: the settings a publisher may change, with their defaults."""

from typing import Any

DEFAULT_POLICY: dict[str, Any] = {
    # Hold every comment for review before it appears.
    "premoderate_all": False,
    # The first N comments of a new reader wait for a moderator.
    "new_reader_premoderation_count": 0,
    # Tell the reader which part may break the guidelines, and let them rephrase, before a hold.
    "nudge_enabled": True,
    # Hold thresholds per model label (toxicity, insult, ...); empty: the model's own thresholds.
    "thresholds": {},
    # The site's own words, added to the shipped lists (list syntax: a trailing * matches a stem).
    "wordlist_banned": [],
    "wordlist_suspect": [],
    "link_allow_domains": [],
    "link_deny_domains": [],
    # Per-site changes to the pipeline: {"<Phase>": {"enabled": false} or {"OPTIONS": {...}}}.
    "pipeline": {},
    # Plain-language texts the reader sees when a comment is refused or held, by reason code.
    "reason_texts": {
        "default_reject": "Your comment breaks our community guidelines and was not published.",
        "default_hold": "Your comment is awaiting review by a moderator.",
        "banned_word": "Your comment contains language that is not allowed here, so it was not published.",
        "threat": "Threats and calls for violence are not allowed here, so your comment was not published.",
        "doxxing": "Threatening to expose or find another person is not allowed here.",
        "link_denied": "Your comment links to a site we do not allow.",
        "spam": "Your comment looks like advertising or spam, so it was not published.",
        "duplicate": "You posted this comment already.",
        "rate_limited": "You are posting very quickly. Please wait a minute and try again.",
        "reader_banned": "You can no longer comment on this site.",
        "reader_suspended": "Your account is suspended from commenting for now.",
        "article_closed": "Comments on this article are closed.",
        "too_long": "Your comment is too long.",
        "empty": "Write something before posting.",
    },
    # Reasons a moderator picks from when rejecting a comment (code -> label), editable in the dashboard.
    "reject_reasons": {
        "guidelines": "Breaks the community guidelines",
        "incivility": "Attacks another reader",
        "hate": "Hateful or discriminatory",
        "spam": "Spam or advertising",
        "personal_data": "Reveals personal information",
        "off_topic": "Off topic",
    },
}
