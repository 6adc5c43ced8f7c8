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
}
