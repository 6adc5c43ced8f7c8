"""One comment's text as a short key, so copies are found by an index instead of by reading bodies.

Case, spacing and punctuation do not make a text new: "Read THE truth!!" and "read the truth" share a
fingerprint. The moderation pipeline's repeat checks compare texts this way.
"""

import hashlib
import re

_WORDS = re.compile(r"\w+")


def fold(text: str) -> str:
    """The words of `text`, case-folded, one space apart."""
    return " ".join(_WORDS.findall(text.casefold()))


def fingerprint(text: str) -> str:
    """16 hex digits of a hash of the folded text (stored on `Comment.fingerprint`)."""
    return hashlib.blake2b(fold(text).encode(), digest_size=8).hexdigest()
