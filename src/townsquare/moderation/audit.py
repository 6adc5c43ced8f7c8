"""The audit log of one site: every ModerationEvent, by moderators, readers and pipeline phases."""

import csv
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from townsquare.comments.threads import decode_cursor, encode_cursor
from townsquare.errors import InvalidInput
from townsquare.lib.text import check_storable
from townsquare.moderation.models import ModerationEvent
from townsquare.sites.models import Site

PAGE_SIZE = 50
CSV_COLUMNS = [
    "id", "created_at", "source", "actor", "action", "phase", "comment_id", "article_id", "reader",
    "from_state", "to_state", "reasons", "note",
]  # fmt: skip


@dataclass(frozen=True)
class AuditQuery:
    action: str = ""
    source: str = ""
    actor: str = ""
    since: date | None = None
    until: date | None = None
    cursor: str | None = None

    def params(self) -> dict[str, str]:
        values = {
            "action": self.action,
            "source": self.source,
            "actor": self.actor,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {k: v for k, v in values.items() if v}


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{name} must be a date like 2025-01-31.", code="date_invalid") from exc


def check_audit_query(params: Mapping[str, str]) -> AuditQuery:
    source = params.get("source", "")
    if source and source not in ModerationEvent.Source.values:
        raise InvalidInput(
            f"Choose a source: {', '.join(ModerationEvent.Source.values)}.", code="source_invalid"
        )
    cursor = params.get("cursor") or None
    if cursor:
        decode_cursor(cursor)
    return AuditQuery(
        action=check_storable(params.get("action", "").strip()[:32], "The action"),
        source=source,
        actor=check_storable(params.get("actor", "").strip()[:150], "The moderator"),
        since=_date(params.get("since"), "since"),
        until=_date(params.get("until"), "until"),
        cursor=cursor,
    )


def audit_events(site: Site, query: AuditQuery) -> QuerySet[ModerationEvent]:
    qs = ModerationEvent.objects.filter(site=site)
    if query.action:
        qs = qs.filter(action=query.action)
    if query.source:
        qs = qs.filter(source=query.source)
    if query.actor:
        qs = qs.filter(actor__username=query.actor)
    if query.since:
        qs = qs.filter(created_at__date__gte=query.since)
    if query.until:
        qs = qs.filter(created_at__date__lte=query.until)
    return qs.select_related("actor", "target_user", "article").order_by("-pk")


def audit_page(site: Site, query: AuditQuery) -> tuple[list[ModerationEvent], str | None]:
    qs = audit_events(site, query)
    if query.cursor:
        qs = qs.filter(pk__lt=decode_cursor(query.cursor)[-1])
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, encode_cursor([rows[-1].pk]) if more else None


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    # A cell starting with = + - @ would be a formula in a spreadsheet: quote it (CSV injection).
    # Spreadsheets also read one after leading spaces, or written in full-width forms (U+FF1D).
    first = unicodedata.normalize("NFKC", value.lstrip(" \u3000"))[:1]
    return "'" + value if value[:1] in ("\t", "\r") or first in ("=", "+", "-", "@") else value


def audit_csv_lines(site: Site, query: AuditQuery) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in audit_events(site, query).iterator(chunk_size=2000):
        reasons = ";".join(str(r.get("code", "")) for r in event.reasons if isinstance(r, dict))
        row = [
            str(event.pk),
            event.created_at.isoformat(),
            event.source,
            event.actor.username if event.actor else "",
            event.action,
            event.phase,
            str(event.comment_id or ""),
            str(event.article_id or ""),
            event.target_user.username if event.target_user else "",
            event.from_state,
            event.to_state,
            reasons,
            event.note,
        ]
        yield writer.writerow([_cell(v) for v in row])
