"""Pure detectors over a normalised comment; each returns a list of ``Finding``.

Phases in ``townsquare.moderation.phases`` call them and decide; detectors never touch the database.
"""

from townsquare.moderation.detectors.attacks import find_personal_attacks
from townsquare.moderation.detectors.base import Action, Finding
from townsquare.moderation.detectors.links import Link, extract_links
from townsquare.moderation.detectors.personal_data import find_personal_data
from townsquare.moderation.detectors.spam import find_spam
from townsquare.moderation.detectors.threats import find_threats
from townsquare.moderation.detectors.wordlist import WordLists, find_words, load_wordlists

__all__ = [
    "Action",
    "Finding",
    "Link",
    "WordLists",
    "extract_links",
    "find_personal_attacks",
    "find_personal_data",
    "find_spam",
    "find_threats",
    "find_words",
    "load_wordlists",
]
