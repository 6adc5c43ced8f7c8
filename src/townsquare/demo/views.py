"""A plain publisher's page that embeds the comments as a newsroom would: one script tag."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from townsquare.comments.models import Article
from townsquare.sites.models import Site

ARTICLE_FILE = Path(__file__).parent / "fixtures" / "article.json"


@cache
def demo_article() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ARTICLE_FILE.read_text(encoding="utf-8"))
    data["paragraphs"] = [p.strip() for p in data["body"].split("\n") if p.strip()]
    return data


def home(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.select_related("site").order_by("-created_at")[:20]
    return render(request, "demo/home.html", {"articles": articles})


def publisher_page(request: HttpRequest, site_slug: str, article_key: str) -> HttpResponse:
    site = get_object_or_404(Site, slug=site_slug)
    article = Article.objects.filter(site=site, key=article_key).first()
    text = demo_article()
    context = {
        "site": site,
        "key": article_key,
        "title": article.title if article else text["title"],
        "text": text,
    }
    return render(request, "demo/publisher.html", context)
