"""Articles as the desk sees them: which carry a conversation, and the measures a newsroom takes on one.

Closing an article stops new comments and edits (the pipeline's ArticleClosed phase); pre-moderating it
holds every new comment for a moderator (Premoderation). Both are for any moderator of the site, as in
Coral. The title and address shown to readers and in reply e-mails come from the first page that
embedded the thread; a site administrator may correct them. Each change writes its audit row.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from townsquare.comments import pagecache
from townsquare.comments.models import Article, Comment
from townsquare.errors import Conflict, Forbidden, InvalidInput, NotFound
from townsquare.lib.text import check_storable
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.permissions import check_moderates, is_site_admin
from townsquare.sites.models import Site

PAGE_SIZE = 50
SEARCH_MAX = 200
TITLE_MAX = 500
URL_MAX = 1000


@dataclass(frozen=True)
class ArticlesPage:
    articles: Sequence[Article]  # each with `comment_count`
    next_cursor: int | None


def articles_page(site: Site, search: str = "", cursor: int | None = None) -> ArticlesPage:
    """The site's articles that carry comments or a measure, newest first; with `search`, any whose
    title, key or address contains it (to close one before its first comment)."""
    search = check_storable(search.strip()[:SEARCH_MAX], "The search")
    rows: QuerySet[Article] = Article.objects.filter(site=site)
    if search:
        rows = rows.filter(Q(title__icontains=search) | Q(key__icontains=search) | Q(url__icontains=search))
    else:
        commented = Exists(Comment.objects.filter(article=OuterRef("pk")))
        rows = rows.filter(commented | Q(is_open=False) | Q(premoderate=True))
    if cursor is not None:
        rows = rows.filter(pk__lt=cursor)
    found = list(rows.annotate(comment_count=Count("comments")).order_by("-pk")[: PAGE_SIZE + 1])
    more = len(found) > PAGE_SIZE
    return ArticlesPage(found[:PAGE_SIZE], found[PAGE_SIZE - 1].pk if more else None)


def access_article(moderator: User, site: Site, article_id: int) -> Article:
    check_moderates(moderator, site)
    article = Article.objects.filter(site=site, pk=article_id).first()
    if article is None:
        raise NotFound("There is no such article on this site.", code="unknown_article")
    return article


def _record(moderator: User, article: Article, action: str, note: str) -> ModerationEvent:
    pagecache.bump(article.pk)  # the reader's page shows the form, or says comments are closed
    return ModerationEvent.objects.create(
        site_id=article.site_id,
        article=article,
        source=ModerationEvent.Source.MODERATOR,
        actor=moderator,
        action=action,
        note=note,
    )


def _note(note: str) -> str:
    return check_storable(note.strip(), "The note")[:1000]


def _set_flag(
    moderator: User, article: Article, field: str, value: bool, *, action: str, already: Conflict, note: str
) -> Article:
    check_moderates(moderator, article.site)
    note = _note(note)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if getattr(locked, field) == value:
            raise already
        setattr(locked, field, value)
        locked.save(update_fields=[field])
        _record(moderator, locked, action, note)
    return locked


def do_set_article_open(moderator: User, article: Article, *, is_open: bool, note: str = "") -> Article:
    """Close the article to new comments and edits, or open it again."""
    state = "open" if is_open else "closed"
    already = Conflict(f"Comments on this article are {state} already.", code=f"article_already_{state}")
    action = "open_article" if is_open else "close_article"
    return _set_flag(moderator, article, "is_open", is_open, action=action, already=already, note=note)


def do_set_article_premoderation(
    moderator: User, article: Article, *, premoderate: bool, note: str = ""
) -> Article:
    """Hold every new comment on the article for a moderator, or stop doing so."""
    state = "pre-moderated" if premoderate else "not pre-moderated"
    already = Conflict(f"This article is {state} already.", code="article_premoderation_unchanged")
    action = "premoderate_article" if premoderate else "stop_premoderating_article"
    return _set_flag(
        moderator, article, "premoderate", premoderate, action=action, already=already, note=note
    )


def check_article_url(site: Site, url: str) -> str:
    url = check_storable(url.strip(), "The address")
    parts = urlsplit(url)
    if len(url) > URL_MAX or parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput("Give the article's full address, starting https://.", code="article_url_invalid")
    if f"{parts.scheme}://{parts.netloc}" not in site.allowed_origins:
        raise InvalidInput(
            "That address is not on one of the site's allowed origins.", code="article_url_invalid"
        )
    return url


def do_edit_article(admin: User, article: Article, *, title: str, url: str) -> Article:
    """Correct the title and address readers and reply e-mails show; site administrators only."""
    check_moderates(admin, article.site)
    if not is_site_admin(admin, article.site):
        raise Forbidden("Only the site's administrators change an article's title.", code="not_site_admin")
    title = " ".join(check_storable(title, "The title").split())
    if not title or len(title) > TITLE_MAX:
        raise InvalidInput(f"Give a title of 1 to {TITLE_MAX} characters.", code="article_title_invalid")
    url = check_article_url(article.site, url) if url.strip() else ""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        changed = [f for f, v in (("title", title), ("url", url)) if getattr(locked, f) != v]
        if not changed:
            return locked
        was = "; ".join(f"{f} was {getattr(locked, f)!r}" for f in changed)
        locked.title, locked.url = title, url
        locked.save(update_fields=["title", "url"])
        _record(admin, locked, "edit_article", was[:1000])
    return locked
