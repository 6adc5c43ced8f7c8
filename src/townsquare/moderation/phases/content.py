"""Phases that judge the text alone: they run live and in the dry run (`townsquare moderate`)."""

import re
from dataclasses import replace
from typing import Any, ClassVar

from django.conf import settings

from townsquare.moderation.detectors.attacks import find_personal_attacks
from townsquare.moderation.detectors.links import extract_links
from townsquare.moderation.detectors.personal_data import find_personal_data
from townsquare.moderation.detectors.spam import find_spam
from townsquare.moderation.detectors.threats import find_threats
from townsquare.moderation.detectors.wordlist import find_words, load_wordlists
from townsquare.moderation.phases.base import Context, Phase, Verdict
from townsquare.moderation.text import normalise


class Length(Phase):
    """Empty and over-long comments. The actions check these before the pipeline; this phase is
    the same rule for texts that arrive another way (imports, the dry run)."""

    defaults: ClassVar[dict[str, Any]] = {"min_length": 1}

    def check(self, ctx: Context) -> Verdict | None:
        size = len(ctx.text.strip())
        if size < self.options["min_length"]:
            return Verdict("reject", [self.reason("empty", "The comment is empty.", action="reject")])
        if size > settings.COMMENT_MAX_LENGTH:
            text = f"The comment is longer than {settings.COMMENT_MAX_LENGTH} characters."
            return Verdict("reject", [self.reason("too_long", text, action="reject")])
        return None


class Threats(Phase):
    """Threats of violence and doxxing ("I know where you work")."""

    def check(self, ctx: Context) -> Verdict | None:
        return self.from_findings(find_threats(ctx.normalised))


# A banned word in quotation marks, or after "called me", is often reported speech ("he called me
# a ..., and I reported it"): a person decides, so it is held rather than rejected.
_QUOTES = "\"'«»„“”‘’‚‹›「」"  # noqa: RUF001  (these quotation marks on purpose)
_REPORTED = re.compile(
    r"(?:\bcall(?:ed|s|ing)?|\bshout(?:ed|s|ing)?|\byell(?:ed|s|ing)?|\bsprayed|\bwr[io]te|\bnamed|"
    r"\bgenannt|\bnannte[n]?|\bbeschimpft|\btrait[ée]s?\s+de|\bllamó|\bllamaron|\bchamou|\bchamaram|"
    r"называ\w*|обозва\w*)(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)


def _reported_speech(text: str, span: tuple[int, int]) -> bool:
    start, end = span
    before, after = text[max(start - 40, 0) : start], text[end : end + 2]
    if before and before[-1] in _QUOTES and any(c in _QUOTES for c in after):
        return True
    return bool(_REPORTED.search(before))


class WordLists(Phase):
    """Banned (reject) and suspect (hold) words, seen through obfuscation; extended by the site's lists."""

    nudgeable = True

    def check(self, ctx: Context) -> Verdict | None:
        extra_banned, extra_suspect = (
            tuple(ctx.policy("wordlist_banned")),
            tuple(ctx.policy("wordlist_suspect")),
        )
        findings = find_words(ctx.normalised, load_wordlists(None, extra_banned, extra_suspect))
        reported = [
            replace(
                f, code="quoted_banned_word", action="hold", text=f"{f.text} It reads as reported speech."
            )
            if f.action == "reject" and f.span is not None and _reported_speech(ctx.text, f.span)
            else f
            for f in findings
        ]
        return self.from_findings(reported)

    def prepare(self) -> None:
        # Compiles the shipped lists' patterns once, before the first comment's time budget starts.
        list(load_wordlists().matches(normalise("warm up")))


class PersonalData(Phase):
    """E-mail addresses, phone numbers and street addresses: held so nobody is exposed."""

    nudgeable = True

    def check(self, ctx: Context) -> Verdict | None:
        return self.from_findings(find_personal_data(ctx.normalised))


class PersonalAttacks(Phase):
    """Attacks on another reader, even without a rude word ("did you even finish school?")."""

    nudgeable = True

    def check(self, ctx: Context) -> Verdict | None:
        return self.from_findings(find_personal_attacks(ctx.normalised))


class Links(Phase):
    """Too many links, and links to deny-listed domains. Allow-listed domains never count."""

    defaults: ClassVar[dict[str, Any]] = {
        "max_links": 3,
        # Top-level domains that mostly carry spam and disinformation farms: held for a look.
        "hold_tlds": ["xyz", "top", "click", "icu", "buzz", "win", "bet", "casino", "loan", "vip", "live"],
    }

    def check(self, ctx: Context) -> Verdict | None:
        links = extract_links(ctx.text)
        if not links:
            return None
        allow = {d.lower() for d in ctx.policy("link_allow_domains")}
        deny = {d.lower() for d in ctx.policy("link_deny_domains")}
        counted = [link for link in links if not _listed(link.domain, allow)]
        for link in counted:
            if _listed(link.domain, deny):
                text = f"Links to {link.domain}, which this site does not allow."
                return Verdict("reject", [self.reason("link_denied", text, link.span, "reject")])
        hold_tlds = set(self.options["hold_tlds"])
        for link in counted:
            if link.domain.rsplit(".", 1)[-1] in hold_tlds:
                text = f"Links to {link.domain}, on a domain ending often used for spam."
                return Verdict("hold", [self.reason("link_suspicious", text, link.span, "hold")])
        limit = int(self.options["max_links"])
        if len(counted) > limit:
            text = f"{len(counted)} links; this site holds comments with more than {limit}."
            return Verdict("hold", [self.reason("too_many_links", text, counted[limit].span, "hold")])
        return None


def _listed(domain: str, domains: set[str]) -> bool:
    """example.com matches example.com and any subdomain of it."""
    return any(domain == d or domain.endswith("." + d) for d in domains)


class Spam(Phase):
    """Commercial lures, shouting, floods of one character or word."""

    def check(self, ctx: Context) -> Verdict | None:
        findings = find_spam(ctx.normalised)
        if not findings:
            return None
        verdict = self.from_findings(findings)
        if verdict is not None:
            verdict.scores["spam_rules"] = max(f.score for f in findings)
        return verdict
