"""A site's policy: the settings a publisher may change, with their defaults."""

from typing import Any

DEFAULT_POLICY: dict[str, Any] = {
    # Hold every comment for review before it appears.
    "premoderate_all": False,
    # The first N comments of a new reader wait for a moderator.
    "new_reader_premoderation_count": 0,
    # Plain-language texts the reader sees when a comment is refused or held, by reason code.
    "reason_texts": {
        "default_reject": "Your comment breaks our community guidelines and was not published.",
        "default_hold": "Your comment is awaiting review by a moderator.",
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
