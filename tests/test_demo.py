"""`townsquare demo_seed`: what a newcomer sees after `make demo`."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from townsquare.comments.models import Article, Comment
from townsquare.sites.models import Site


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed() -> str:
    out = StringIO()
    call_command("demo_seed", stdout=out)
    return out.getvalue()


def test_the_demo_seeds_a_site_an_article_and_nested_threads(db: None, fast_passwords: None):
    output = seed()
    site = Site.objects.get(slug="demo")
    article = Article.objects.get(site=site)
    comments = Comment.objects.filter(article=article)
    assert comments.count() >= 25
    assert comments.filter(parent__isnull=False).count() >= 10
    assert comments.filter(depth__gte=2).exists()
    assert "/news/demo/" in output
    assert "/moderate/" in output
    assert "townsquare-demo" in output
    assert "alice" in output and "moderator" in output


def test_the_demo_seed_is_idempotent(db: None, fast_passwords: None):
    seed()
    before = (Site.objects.count(), Article.objects.count(), Comment.objects.count())
    seed()
    assert (Site.objects.count(), Article.objects.count(), Comment.objects.count()) == before


def test_the_publisher_page_embeds_the_comments_with_one_script_tag(db: None, fast_passwords: None):
    seed()
    article = Article.objects.get(site__slug="demo")
    response = Client().get(f"/news/demo/{article.key}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert article.title in html
    assert "/static/townsquare/embed.js" in html
    assert 'data-site="demo"' in html
    assert f'data-article="{article.key}"' in html
    embed = Client().get(f"/embed/demo/?key={article.key}")
    assert embed.status_code == 200
    assert embed.content.decode().count('class="ts-comment') >= 5
