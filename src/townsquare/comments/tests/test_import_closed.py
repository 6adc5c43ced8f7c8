"""A thread the Gazette had closed in its old system stays closed after the move."""

import json
from pathlib import Path
from typing import Any

import pytest

from townsquare.comments.models import Article
from townsquare.comments.tests.importing import FIXTURES, edited, run
from townsquare.moderation.articles import do_set_article_open
from townsquare.moderation.models import ModerationEvent
from townsquare.sites.models import Site


def jsonl(tmp_path: Path, *ids: str, closed: bool = True) -> Path:
    path = tmp_path / f"old-{ids[0]}.jsonl"
    lines = [
        {
            "id": comment_id,
            "article": "harbour-plan",
            "author": "Sam",
            "body": f"Comment {comment_id}.",
            "created_at": "2024-03-01T10:00:00Z",
            "article_closed": closed,
        }
        for comment_id in ids
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


@pytest.fixture
def importing(django_capture_on_commit_callbacks: Any) -> Any:
    def import_(path: Path, *options: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return run(path, *options)

    return import_


def test_a_closed_thread_is_closed_with_an_audit_row(gazette: Site, tmp_path: Path, importing: Any):
    importing(jsonl(tmp_path, "c-1", "c-2"))
    article = Article.objects.get(key="harbour-plan")
    assert not article.is_open
    (event,) = ModerationEvent.objects.filter(action="close_article")
    assert (event.article, event.source, event.actor) == (article, ModerationEvent.Source.SYSTEM, None)
    assert "previous system" in event.note


def test_an_open_thread_stays_open(gazette: Site, tmp_path: Path, importing: Any):
    importing(jsonl(tmp_path, "c-1", closed=False))
    assert Article.objects.get(key="harbour-plan").is_open
    assert not ModerationEvent.objects.filter(action="close_article").exists()


def test_a_thread_the_desk_opened_again_stays_open_on_a_later_import(
    gazette: Site, maria: Any, tmp_path: Path, importing: Any
):
    importing(jsonl(tmp_path, "c-1"))
    do_set_article_open(maria, Article.objects.get(key="harbour-plan"), is_open=True)
    out = importing(jsonl(tmp_path, "c-2"))
    assert "1 comments to import" in out
    assert Article.objects.get(key="harbour-plan").is_open


def test_a_wordpress_post_closed_to_comments_is_closed(gazette: Site, tmp_path: Path, importing: Any):
    export = FIXTURES / "wordpress.xml"
    path = edited(
        export,
        tmp_path,
        ("<wp:comment_status><![CDATA[open]]>", "<wp:comment_status><![CDATA[closed]]>"),
    )
    out = importing(path, "--format", "wordpress")
    assert "posts closed to comments there, closed here too: 1." in out
    harbour = Article.objects.get(key="https://gazette.example/2024/03/harbour-plan/")
    bridge = Article.objects.get(key="https://gazette.example/?p=40")
    assert (harbour.is_open, bridge.is_open) == (False, True)


def test_a_closed_disqus_thread_is_closed(gazette: Site, tmp_path: Path, importing: Any):
    path = edited(
        FIXTURES / "disqus.xml", tmp_path, ("<isClosed>false</isClosed>", "<isClosed>true</isClosed>")
    )
    out = importing(path, "--format", "disqus")
    assert "threads closed to comments there, closed here too: 1." in out
    assert sorted(Article.objects.values_list("is_open", flat=True)) == [False, True]
