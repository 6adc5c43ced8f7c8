"""Turning the settings form into policy values and back (validation lives in `policy_rules`)."""

from typing import Any

from django.http import QueryDict

from townsquare.errors import InvalidInput
from townsquare.moderation.policy_rules import LABELS, policy_get, reject_reasons
from townsquare.sites.models import Site

LIST_KEYS = ("wordlist_banned", "wordlist_suspect", "link_allow_domains", "link_deny_domains")
TEXT_KEYS = ("reason_texts", "reject_reasons")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _pairs(name: str, value: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for number, line in enumerate(_lines(value), start=1):
        code, sep, text = line.partition(":")
        if not sep:
            raise InvalidInput(f"{name}, line {number}: write it as “code: text”.", code="policy_invalid")
        pairs[code.strip()] = text.strip()
    return pairs


def policy_changes(post: QueryDict) -> dict[str, Any]:
    """The policy values a submitted settings form asks for (not yet validated)."""
    changes: dict[str, Any] = {"premoderate_all": post.get("premoderate_all") == "on"}
    count = post.get("new_reader_premoderation_count", "").strip() or "0"
    if not count.isdigit():
        raise InvalidInput("new_reader_premoderation_count must be a whole number.", code="policy_invalid")
    changes["new_reader_premoderation_count"] = int(count)
    thresholds: dict[str, float] = {}
    for label in LABELS:
        raw = post.get(f"threshold_{label}", "").strip()
        if raw:
            try:
                thresholds[label] = float(raw)
            except ValueError as exc:
                raise InvalidInput(f"thresholds: {label} must be a number.", code="policy_invalid") from exc
    changes["thresholds"] = thresholds
    for key in LIST_KEYS:
        changes[key] = _lines(post.get(key, ""))
    for key in TEXT_KEYS:
        changes[key] = _pairs(key, post.get(key, ""))
    return changes


def settings_initial(site: Site) -> dict[str, Any]:
    """The current policy as the form shows it."""
    thresholds = policy_get(site, "thresholds", {}) or {}
    texts = policy_get(site, "reason_texts", {}) or {}
    return {
        "premoderate_all": bool(policy_get(site, "premoderate_all", False)),
        "new_reader_premoderation_count": policy_get(site, "new_reader_premoderation_count", 0),
        "thresholds": [(label, thresholds.get(label, "")) for label in LABELS],
        **{key: "\n".join(policy_get(site, key, []) or []) for key in LIST_KEYS},
        "reason_texts": "\n".join(f"{k}: {v}" for k, v in texts.items()),
        "reject_reasons": "\n".join(f"{k}: {v}" for k, v in reject_reasons(site).items()),
    }


def settings_from_post(post: QueryDict) -> dict[str, Any]:
    """The submitted form, to show again with the error."""
    return {
        "premoderate_all": post.get("premoderate_all") == "on",
        "new_reader_premoderation_count": post.get("new_reader_premoderation_count", ""),
        "thresholds": [(label, post.get(f"threshold_{label}", "")) for label in LABELS],
        **{key: post.get(key, "") for key in (*LIST_KEYS, *TEXT_KEYS)},
    }
