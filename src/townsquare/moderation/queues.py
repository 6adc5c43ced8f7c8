"""The moderators' queues of one site: which comments each holds, in a fixed number of SQL queries.

Pages are keyset-paged on the primary key (never OFFSET), so the thousandth page of a queue costs
what the first does. A page of any size takes the same queries: the comments with their article and
author, their open reports, and their authors' active measures.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Count, Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from townsquare.comments.models import Article, Comment, CommentState, Report
from townsquare.comments.threads import decode_cursor, encode_cursor
from townsquare.errors import InvalidInput
from townsquare.lib.http import whole_number
from townsquare.lib.text import check_storable
from townsquare.moderation.highlight import highlight
from townsquare.moderation.models import ReaderSanction
from townsquare.moderation.policy_rules import LABELS
from townsquare.sites.models import Site

S = CommentState
# Codes of the reasons that hold a comment only because the site or reader is pre-moderated.
PREMODERATION_CODES = ("premoderation", "premod_article", "premod_site", "new_reader", "premod_reader")
# `Comment.decided_by` once a moderator approved it.
APPROVED_BY_MODERATOR = "moderator_approved"

QUEUES: dict[str, str] = {
    "held": "Held by the system",
    "premoderated": "Pre-moderated",
    "reported": "Reported",
    "rejected": "Rejected",
    "approved": "Approved",
    "all": "All",
}


def queue_filter(queue: str, state: str = "state") -> Q:
    """The comments of `queue`, with the state read from the field or annotation named `state`."""
    held, published = Q(**{state: S.HELD}), Q(**{state: S.PUBLISHED})
    return {
        "held": held & ~Q(decided_by__in=PREMODERATION_CODES),
        "premoderated": held & Q(decided_by__in=PREMODERATION_CODES),
        "reported": published & Q(report_count__gt=0),
        "rejected": Q(**{state: S.REJECTED}),
        "approved": published & Q(decided_by=APPROVED_BY_MODERATOR),
        "all": Q(),
    }[queue]


QUEUE_FILTERS: dict[str, Q] = {name: queue_filter(name) for name in QUEUES}
# Queues that hold a large share of a site's comments: on SQLite these are read newest (or oldest)
# first along the primary key until a page is full, instead of sorting every match (see NoIndex).
WIDE_QUEUES = ("reported", "approved", "all")


class NoIndex(Func):
    """SQLite's unary plus: the same value, but the planner will not pick an index for it."""

    template = "(+%(expressions)s)"


ORDERS = ("newest", "oldest")
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_SEARCH = 200


@dataclass(frozen=True)
class QueueQuery:
    queue: str = "held"
    order: str = "newest"
    article_id: int | None = None
    reason: str = ""
    search: str = ""
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT

    def params(self, **changes: object) -> dict[str, str]:
        """The query string of this query (without cursor), with `changes` applied."""
        values: dict[str, object] = {
            "queue": self.queue,
            "order": self.order,
            "article": self.article_id or "",
            "reason": self.reason,
            "q": self.search,
            "limit": self.limit if self.limit != DEFAULT_LIMIT else "",
        }
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in ("", None)}


@dataclass
class QueueItem:
    comment: Comment
    text: SafeString
    reports: list[Report] = field(default_factory=list)
    sanctions: list[ReaderSanction] = field(default_factory=list)

    @property
    def scores(self) -> list[tuple[str, float]]:
        """The label scores in 0..1, in the labels' order (timings and other numbers left out)."""
        raw = self.comment.scores if isinstance(self.comment.scores, dict) else {}
        found = [(label, raw.get(label)) for label in LABELS]
        return [(label, float(v)) for label, v in found if isinstance(v, int | float) and 0 <= v <= 1]


@dataclass
class QueuePage:
    query: QueueQuery
    items: list[QueueItem]
    next_cursor: str | None


def _int(value: str | None, name: str) -> int | None:
    if not value:
        return None
    number = whole_number(value)
    if number is None:
        raise InvalidInput(f"{name} must be a number.", code="query_invalid")
    return number


def check_query(params: Mapping[str, str]) -> QueueQuery:
    """A QueueQuery from request parameters; InvalidInput for anything unknown."""
    queue = params.get("queue") or "held"
    if queue not in QUEUES:
        raise InvalidInput(f"Choose a queue: {', '.join(QUEUES)}.", code="queue_invalid")
    order = params.get("order") or "newest"
    if order not in ORDERS:
        raise InvalidInput("Order by newest or oldest.", code="order_invalid")
    # PostgreSQL refuses a NUL in any text, so a pasted one would fail the query.
    search = check_storable((params.get("q") or "").strip(), "The search")
    if len(search) > MAX_SEARCH:
        raise InvalidInput(f"Search for at most {MAX_SEARCH} characters.", code="search_too_long")
    limit = _int(params.get("limit"), "limit") or DEFAULT_LIMIT
    cursor = params.get("cursor") or None
    if cursor:
        decode_cursor(cursor)
    return QueueQuery(
        queue=queue,
        order=order,
        article_id=_int(params.get("article"), "article"),
        reason=check_storable((params.get("reason") or "").strip()[:64], "The reason"),
        search=search,
        cursor=cursor,
        limit=min(max(limit, 1), MAX_LIMIT),
    )


def site_comments(site: Site) -> QuerySet[Comment]:
    return Comment.objects.filter(article__site=site)


def search_comments(qs: QuerySet[Comment], text: str) -> QuerySet[Comment]:
    """Full-text search on PostgreSQL (any language: the "simple" configuration), substring on SQLite."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(text, config="simple", search_type="websearch")
        return qs.annotate(search_doc=SearchVector("body", config="simple")).filter(search_doc=query)
    return qs.filter(body__icontains=text)


def queue_queryset(site: Site, query: QueueQuery) -> QuerySet[Comment]:
    if connection.vendor == "sqlite" and (query.queue in WIDE_QUEUES or query.search):
        # Without this SQLite fetches every comment of the site through the article index and
        # sorts them all for one page (350 ms at 100,000 comments instead of 5).
        qs: QuerySet[Comment] = Comment.objects.alias(
            scan_article=NoIndex(F("article_id"), output_field=IntegerField()),
            scan_state=NoIndex(F("state"), output_field=CharField()),
        ).filter(
            scan_article__in=Article.objects.filter(site=site).values("pk"),
        )
        qs = qs.filter(queue_filter(query.queue, "scan_state"))
    else:
        qs = site_comments(site).filter(QUEUE_FILTERS[query.queue])
    if query.article_id:
        qs = qs.filter(article_id=query.article_id)
    if query.reason:
        qs = qs.filter(decided_by=query.reason)
    if query.search:
        qs = search_comments(qs, query.search)
    return qs


def active_sanctions_q() -> Q:
    return Q(revoked=False) & (Q(until__isnull=True) | Q(until__gt=timezone.now()))


def queue_page(site: Site, query: QueueQuery) -> QueuePage:
    qs = queue_queryset(site, query)
    after = decode_cursor(query.cursor)[-1] if query.cursor else None
    if query.order == "newest":
        qs = qs.filter(pk__lt=after) if after else qs
        qs = qs.order_by("-pk")
    else:
        qs = qs.filter(pk__gt=after) if after else qs
        qs = qs.order_by("pk")
    open_reports = Report.objects.filter(resolved=False).order_by("created_at")
    rows = list(
        qs.select_related("article", "author__profile").prefetch_related(
            Prefetch("reports", queryset=open_reports, to_attr="open_reports")
        )[: query.limit + 1]
    )
    has_more = len(rows) > query.limit
    rows = rows[: query.limit]
    sanctions: dict[int, list[ReaderSanction]] = {}
    if rows:
        for sanction in ReaderSanction.objects.filter(
            active_sanctions_q(), site=site, user_id__in={c.author_id for c in rows}
        ).order_by("created_at"):
            sanctions.setdefault(sanction.user_id, []).append(sanction)
    items = [
        QueueItem(
            comment=c,
            text=highlight(c.body, c.reasons),
            reports=list(getattr(c, "open_reports", [])),
            sanctions=sanctions.get(c.author_id, []),
        )
        for c in rows
    ]
    return QueuePage(query, items, encode_cursor([rows[-1].pk]) if has_more else None)


def queue_counts(site: Site) -> dict[str, int]:
    """How many comments each queue holds, in four queries that each read only what they count.

    One aggregate with a filter per queue would read every comment of the site; these use the
    state index for the work queues and count "all" from the article index alone.
    """
    comments = site_comments(site)
    counts = dict.fromkeys(QUEUES, 0)
    premod = Q(decided_by__in=PREMODERATION_CODES)
    for row in (
        comments.filter(state__in=(S.HELD, S.REJECTED))
        .values("state")
        .annotate(total=Count("pk"), premod=Count("pk", filter=premod))
        .order_by()
    ):
        if row["state"] == S.HELD:
            counts["held"] = row["total"] - row["premod"]
            counts["premoderated"] = row["premod"]
        else:
            counts["rejected"] = row["total"]
    published = comments.filter(state=S.PUBLISHED)
    flags = published.filter(Q(report_count__gt=0) | Q(decided_by=APPROVED_BY_MODERATOR)).aggregate(
        reported=Count("pk", filter=Q(report_count__gt=0)),
        approved=Count("pk", filter=Q(decided_by=APPROVED_BY_MODERATOR)),
    )
    counts["reported"] = int(flags["reported"] or 0)
    counts["approved"] = int(flags["approved"] or 0)
    counts["all"] = comments.count()
    return counts


def queue_tabs(site: Site) -> list[tuple[str, str, int]]:
    """(name, label, count) of every queue, for the tabs."""
    counts = queue_counts(site)
    return [(name, label, counts[name]) for name, label in QUEUES.items()]


def site_articles(site: Site, limit: int = 200) -> QuerySet[Article]:
    """The newest articles of the site that carry comments, for the article filter: the pages anyone
    can make the embed create (a visit is enough) must not push them out."""
    commented = Exists(Comment.objects.filter(article=OuterRef("pk")))
    return Article.objects.filter(commented, site=site).order_by("-pk")[:limit]
