"""What a site administrator may change in a site's policy, and how each value is checked.

The pipeline reads the same keys (`sites.policy.DEFAULT_POLICY` holds their defaults); this module
only validates changes made from the dashboard or the API.
"""

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from townsquare.errors import InvalidInput
from townsquare.sites.models import Site
from townsquare.sites.policy import DEFAULT_POLICY

LABELS = ("toxicity", "insult", "identity_attack", "threat", "profanity", "spam")
DEFAULT_REJECT_REASONS = {"guidelines": "Breaks the community guidelines"}
CODE_RE = re.compile(r"^[a-z0-9_]{1,64}$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
MAX_WORDS = 5000
MAX_WORD = 100
MAX_TEXT = 500


def policy_get(site: Site, key: str, fallback: Any = None) -> Any:
    """The site's value for `key`, else the default policy's, else `fallback`."""
    if key in site.policy:
        return site.policy[key]
    return DEFAULT_POLICY.get(key, fallback)


def reject_reasons(site: Site) -> dict[str, str]:
    """Reason codes a moderator may reject with, and their label."""
    value = policy_get(site, "reject_reasons", DEFAULT_REJECT_REASONS)
    return dict(value) if isinstance(value, dict) and value else dict(DEFAULT_REJECT_REASONS)


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{key} must be true or false.", code="policy_invalid")
    return value


def _count(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
        raise InvalidInput(f"{key} must be a whole number from 0 to 1000.", code="policy_invalid")
    return value


def _texts(key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{key} must map reason codes to texts.", code="policy_invalid")
    cleaned: dict[str, str] = {}
    for code, text in value.items():
        if not isinstance(code, str) or not CODE_RE.match(code):
            raise InvalidInput(
                f"{key}: {code!r} is not a reason code (lower-case letters, digits and _).",
                code="policy_invalid",
            )
        if not isinstance(text, str) or not text.strip() or len(text.strip()) > MAX_TEXT:
            raise InvalidInput(
                f"{key}: the text for {code} must have 1 to {MAX_TEXT} characters.", code="policy_invalid"
            )
        cleaned[code] = text.strip()
    return cleaned


def _reject_reasons(key: str, value: Any) -> dict[str, str]:
    cleaned = _texts(key, value)
    if not cleaned:
        raise InvalidInput(f"{key} needs at least one reason.", code="policy_invalid")
    return cleaned


def _thresholds(key: str, value: Any) -> dict[str, float]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{key} must map labels to numbers.", code="policy_invalid")
    cleaned: dict[str, float] = {}
    for label, number in value.items():
        if label not in LABELS:
            raise InvalidInput(
                f"{key}: {label!r} is not a label; use one of {', '.join(LABELS)}.", code="policy_invalid"
            )
        if isinstance(number, bool) or not isinstance(number, int | float) or not 0 <= number <= 1:
            raise InvalidInput(f"{key}: {label} must be a number from 0 to 1.", code="policy_invalid")
        cleaned[label] = float(number)
    return cleaned


def _words(key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise InvalidInput(f"{key} must be a list of words.", code="policy_invalid")
    words = list(dict.fromkeys(w.strip() for w in value if w.strip()))
    if len(words) > MAX_WORDS:
        raise InvalidInput(f"{key} has at most {MAX_WORDS} entries.", code="policy_invalid")
    long = [w for w in words if len(w) > MAX_WORD]
    if long:
        raise InvalidInput(f"{key}: an entry has at most {MAX_WORD} characters.", code="policy_invalid")
    return words


def _domains(key: str, value: Any) -> list[str]:
    domains = [d.lower().removeprefix("www.") for d in _words(key, value)]
    bad = [d for d in domains if not DOMAIN_RE.match(d)]
    if bad:
        raise InvalidInput(f"{key}: {bad[0]!r} is not a domain name.", code="policy_invalid")
    return list(dict.fromkeys(domains))


# Bans and the length limit always apply: a site cannot switch these checks off.
REQUIRED_PHASES = ("Length", "ReaderStanding")


def _pipeline(key: str, value: Any) -> dict[str, Any]:
    """Per-phase overrides: `{"<Phase>": {"enabled": bool, "OPTIONS": {...}, "override": bool}}`."""
    from townsquare.moderation.pipeline import phase_name

    if not isinstance(value, dict):
        raise InvalidInput(f"{key} must map phase names to their settings.", code="policy_invalid")
    phases = {phase_name(entry): entry for entry in settings.MODERATION_PIPELINE}
    cleaned: dict[str, Any] = {}
    for name, override in value.items():
        if name not in phases:
            raise InvalidInput(f"{key}: there is no check called {name!r}.", code="policy_invalid")
        if not isinstance(override, dict) or set(override) - {"enabled", "OPTIONS", "override"}:
            raise InvalidInput(f"{key}: {name} takes enabled, OPTIONS and override.", code="policy_invalid")
        if override.get("enabled", True) is not True and name in REQUIRED_PHASES:
            raise InvalidInput(f"{key}: the {name} check cannot be switched off.", code="policy_invalid")
        options = {**phases[name].get("OPTIONS", {}), **override.get("OPTIONS", {})}
        try:
            import_string(phases[name]["NAME"])(name, **options)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"{key}: {name}: {exc}", code="policy_invalid") from exc
        cleaned[name] = override
    return cleaned


RULES: dict[str, Callable[[str, Any], Any]] = {
    "premoderate_all": _bool,
    "nudge_enabled": _bool,
    "pipeline": _pipeline,
    "new_reader_premoderation_count": _count,
    "reason_texts": _texts,
    "reject_reasons": _reject_reasons,
    "thresholds": _thresholds,
    "wordlist_banned": _words,
    "wordlist_suspect": _words,
    "link_allow_domains": _domains,
    "link_deny_domains": _domains,
}


def check_policy_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Cleaned values for `changes`, or InvalidInput naming the first bad key."""
    unknown = sorted(set(changes) - set(RULES))
    if unknown:
        raise InvalidInput(f"Unknown policy setting: {', '.join(unknown)}.", code="policy_unknown_key")
    return {key: RULES[key](key, value) for key, value in changes.items()}
