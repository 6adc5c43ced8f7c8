"""Helpers for the comments tests: post through the real actions, count what changed."""

import json
from typing import Any

import pytest
from django.test import Client

from townsquare.comments.actions import do_post_comment
from townsquare.comments.models import Article, Comment
from townsquare.moderation.models import ModerationEvent

# The comment server's tests are about storing, showing and refusing comments, not about which
# texts the moderation pipeline lets through (moderation's own tests cover that): only the
# premoderation phase stays, so a held comment is one flag away (`article.premoderate = True`).
PREMODERATION_ONLY = [{"NAME": "townsquare.moderation.phases.reader.Premoderation"}]


@pytest.fixture(autouse=True)
def _premoderation_only_pipeline(settings: Any) -> None:
    settings.MODERATION_PIPELINE = PREMODERATION_ONLY
    # Every persona is a real account; a slow password hash would be most of the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Cached anonymous pages are invalidated on commit, which never comes inside a test's
    # transaction; these tests read the thread as it is rendered (pagecache has its own tests).
    settings.THREAD_CACHE_SECONDS = settings.THREAD_CACHE_LOCAL_SECONDS = 0


def post(
    reader: Any, article: Article, body: str = "A thoughtful remark.", parent: Comment | None = None
) -> Comment:
    result = do_post_comment(
        reader=reader, article=article, body=body, parent_id=parent.pk if parent else None
    )
    assert result.comment is not None
    return result.comment


def api_post(client: Client, path: str, data: Any) -> Any:
    return client.post(path, json.dumps(data), content_type="application/json")


def api_patch(client: Client, path: str, data: Any) -> Any:
    return client.patch(path, json.dumps(data), content_type="application/json")


def error_code(response: Any) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert body["error"]["message"], body
    return str(body["error"]["code"])


def counts() -> tuple[int, int]:
    """(comments, audit rows): a refused write changes neither."""
    return Comment.objects.count(), ModerationEvent.objects.count()


@pytest.fixture
def alices_comment(alice: Any, article: Article) -> Comment:
    return post(alice, article, "Good to see the two presidents *talking*.")
