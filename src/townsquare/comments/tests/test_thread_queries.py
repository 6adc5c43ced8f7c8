"""The thread endpoint answers in a fixed number of queries, however long the thread."""

from typing import Any

import pytest
from conftest import client_for
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from townsquare.comments.models import Article, Reaction
from townsquare.comments.tests.test_thread import seed


def grow(article: Article, alice: Any, bob: Any, roots: int) -> None:
    """`roots` comments by alice, each with two replies by bob and a reply to a reply; bob likes all."""
    for root in seed(article, alice, roots):
        replies = seed(article, bob, 2, parent=root)
        seed(article, alice, 1, parent=replies[0])
        for comment in (root, *replies):
            Reaction.objects.create(comment=comment, user=bob, kind="like")


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "bob"])
@pytest.mark.parametrize(
    "path", ["/api/v1/articles/{pk}/comments?sort={sort}", "/embed/a/{pk}/page/?sort={sort}"]
)
@pytest.mark.parametrize("sort", ["newest", "top"])
def test_query_count_does_not_grow_with_the_thread(
    alice: Any, bob: Any, article: Article, who: str, path: str, sort: str
):
    client = client_for(bob) if who == "bob" else Client()
    target = path.format(pk=article.pk, sort=sort)
    grow(article, alice, bob, 5)
    small = queries(client, target)
    grow(article, alice, bob, 55)
    large = queries(client, target)
    assert small == large, (small, large)
    # Session, user, article, top-level page, replies, and the viewer's own reactions.
    assert large <= 8
