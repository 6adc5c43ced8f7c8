"""Turning the settings form into policy values and back (validation lives in `policy_rules`)."""

from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils.module_loading import import_string

from townsquare.errors import InvalidInput
from townsquare.lib.http import whole_number
from townsquare.moderation.pipeline import phase_name
from townsquare.moderation.policy_rules import LABELS, REQUIRED_PHASES, policy_get, reject_reasons
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


def phases(site: Site, post: QueryDict | None = None) -> list[tuple[str, str, bool, bool]]:
    """(name, what it checks, on, required) for each pipeline check, as saved or as submitted."""
    overrides = policy_get(site, "pipeline", {}) or {}
    rows = []
    for entry in settings.MODERATION_PIPELINE:
        name = phase_name(entry)
        required = name in REQUIRED_PHASES
        if post is not None:
            on = required or post.get(f"phase_{name}") == "on"
        else:
            on = overrides.get(name, {}).get("enabled", True) is not False
        doc = (import_string(entry["NAME"]).__doc__ or name).strip().split("\n")[0]
        rows.append((name, doc, on, required))
    return rows


def pipeline_changes(site: Site, post: QueryDict) -> dict[str, Any]:
    """The site's phase overrides with each check switched on or off as the form says."""
    overrides = dict(policy_get(site, "pipeline", {}) or {})
    for name, _doc, on, _required in phases(site, post):
        entry = {k: v for k, v in overrides.get(name, {}).items() if k != "enabled"}
        if not on:
            entry["enabled"] = False
        if entry:
            overrides[name] = entry
        else:
            overrides.pop(name, None)
    return overrides


def policy_changes(post: QueryDict, site: Site) -> dict[str, Any]:
    """The policy values a submitted settings form asks for (not yet validated)."""
    changes: dict[str, Any] = {
        "premoderate_all": post.get("premoderate_all") == "on",
        "nudge_enabled": post.get("nudge_enabled") == "on",
        "pipeline": pipeline_changes(site, post),
    }
    count = post.get("new_reader_premoderation_count", "").strip() or "0"
    number = whole_number(count)
    if number is None:
        raise InvalidInput("new_reader_premoderation_count must be a whole number.", code="policy_invalid")
    changes["new_reader_premoderation_count"] = number
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
        "nudge_enabled": bool(policy_get(site, "nudge_enabled", True)),
        "phases": phases(site),
        "new_reader_premoderation_count": policy_get(site, "new_reader_premoderation_count", 0),
        "thresholds": [(label, thresholds.get(label, "")) for label in LABELS],
        **{key: "\n".join(policy_get(site, key, []) or []) for key in LIST_KEYS},
        "reason_texts": "\n".join(f"{k}: {v}" for k, v in texts.items()),
        "reject_reasons": "\n".join(f"{k}: {v}" for k, v in reject_reasons(site).items()),
    }


def settings_from_post(post: QueryDict, site: Site) -> dict[str, Any]:
    """The submitted form, to show again with the error."""
    return {
        "premoderate_all": post.get("premoderate_all") == "on",
        "nudge_enabled": post.get("nudge_enabled") == "on",
        "phases": phases(site, post),
        "new_reader_premoderation_count": post.get("new_reader_premoderation_count", ""),
        "thresholds": [(label, post.get(f"threshold_{label}", "")) for label in LABELS],
        **{key: post.get(key, "") for key in (*LIST_KEYS, *TEXT_KEYS)},
    }
