"""`townsquare moderate [--site SLUG] FILE`: what the content checks would decide, without a server.

Reads JSON Lines (`{"text": ..., "author": optional, "parent_text": optional}`; FILE may be `-`)
and writes one JSON line per input, in order. Nothing is written to the database; each text is
judged as if an established reader in good standing posted it (no rate limits, no pre-moderation).
"""

import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from townsquare.classifier.api import LABELS
from townsquare.moderation import pipeline
from townsquare.moderation.scoring import scorer_for
from townsquare.sites.models import Site


class Command(BaseCommand):
    help = "Dry-run the moderation pipeline over JSON Lines of comments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON Lines file, or - for standard input")
        parser.add_argument("--site", help="judge with this site's policy (default: a new site's)")

    def handle(self, *args: Any, **options: Any) -> None:
        site = self.site(options["site"])
        failed = 0
        with self.open(options["file"]) as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    result = judge(site, parse(line, number))
                except ValueError as exc:
                    failed += 1
                    result = {"error": str(exc), "line": number}
                self.stdout.write(json.dumps(result, ensure_ascii=False))
        if failed:
            raise CommandError(
                f"{failed} input line(s) could not be judged; see the error lines.", returncode=2
            )

    def site(self, slug: str | None) -> Site:
        if slug is None:
            return Site(slug="dry-run", name="Dry run")
        site = Site.objects.filter(slug=slug).first()
        if site is None:
            raise CommandError(f"There is no site {slug!r}.")
        return site

    def open(self, path: str) -> IO[str]:
        if path == "-":
            return _Unclosed(sys.stdin)  # type: ignore[return-value]
        try:
            return open(path, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc


class _Unclosed:
    """Standard input in a with-block, left open afterwards."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def __enter__(self) -> IO[str]:
        return self.stream

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self) -> Iterator[str]:
        return iter(self.stream)


def parse(line: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {number} is not valid JSON: {exc.msg}") from exc
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise ValueError(f'line {number} needs an object with a "text" string')
    for key in ("author", "parent_text"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise ValueError(f'line {number}: "{key}" must be a string')
    return item


def judge(site: Site, item: dict[str, Any]) -> dict[str, Any]:
    decision = pipeline.dry_run(item["text"], site, parent_text=item.get("parent_text") or "")
    scores = {label: decision.scores[label] for label in LABELS if label in decision.scores}
    if len(scores) < len(LABELS):  # the model phase did not run (disabled, or out of time)
        scores = scorer_for("auto").score(item["text"])
    return {
        "decision": decision.action,
        "reasons": [{"code": r["code"], "text": r["text"], "span": r["span"]} for r in decision.reasons],
        "scores": {label: round(min(max(float(scores[label]), 0.0), 1.0), 4) for label in LABELS},
    }
