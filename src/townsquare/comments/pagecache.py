"""Rendered thread pages for readers who are not signed in, cached per article and version.

A page is what most readers of a busy article fetch, identical for everyone not signed in, so it
is rendered once and served from the cache (Redis when configured, shared by every web process).
Every change that can alter a page — a comment saved in any state, a reaction added or removed —
bumps the article's version on commit, so the next read renders afresh. Signed-in readers always
get a fresh page (their own held comments, their reactions).

With the local-memory cache each process has its own copy and cannot see another's bump, so there
pages live for `THREAD_CACHE_LOCAL_SECONDS` only (two seconds by default): a bounded staleness.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from townsquare.comments.models import Comment, Reaction

# A version outlives every page cached under it; when it expires a new one simply starts afresh.
VERSION_SECONDS = 86400


def _version_key(article_id: int) -> str:
    return f"thread-version:{article_id}"


def _ttl() -> int:
    shared = not str(settings.CACHES["default"]["BACKEND"]).endswith("LocMemCache")
    return settings.THREAD_CACHE_SECONDS if shared else settings.THREAD_CACHE_LOCAL_SECONDS


def cached_page(article_id: int, variant: tuple[Any, ...], render: Callable[[], bytes]) -> bytes:
    """The page `variant` of the article's thread from the cache, or `render()` stored for next time."""
    ttl = _ttl()
    if ttl <= 0:
        return render()
    version = cache.get(_version_key(article_id))
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_version_key(article_id), version, VERSION_SECONDS)
        version = cache.get(_version_key(article_id), version)
    key = f"thread-page:{article_id}:{version}:" + ":".join(str(v) for v in variant)
    page = cache.get(key)
    if page is None:
        page = render()
        cache.set(key, page, ttl)
    return bytes(page)


def bump(article_id: int) -> None:
    """Make every cached page of the article stale: now, and again once the transaction commits
    (a page rendered in between, from the data before the commit, must not outlive it)."""

    def new_version() -> None:
        cache.set(_version_key(article_id), uuid.uuid4().hex, VERSION_SECONDS)

    new_version()
    transaction.on_commit(new_version)


@receiver(post_save, sender=Comment, dispatch_uid="pagecache-comment")
def _comment_saved(sender: type[Comment], instance: Comment, **kwargs: Any) -> None:
    bump(instance.article_id)


@receiver(post_save, sender=Reaction, dispatch_uid="pagecache-reaction-saved")
@receiver(post_delete, sender=Reaction, dispatch_uid="pagecache-reaction-deleted")
def _reaction_changed(sender: type[Reaction], instance: Reaction, **kwargs: Any) -> None:
    article_id = Comment.objects.filter(pk=instance.comment_id).values_list("article_id", flat=True).first()
    if article_id is not None:
        bump(article_id)
