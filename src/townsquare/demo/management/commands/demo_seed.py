"""`townsquare demo_seed`: a demo site, the demo article, readers and staff, and comments posted
through the real actions and moderation pipeline. Safe to run twice: it seeds only once."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from townsquare.accounts.actions import do_create_reader
from townsquare.accounts.models import Profile
from townsquare.comments.actions import do_post_comment, ensure_article
from townsquare.comments.models import Article, Comment
from townsquare.demo.views import demo_article
from townsquare.sites.models import Site, SiteRole

COMMENTS_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "comments.json"
DEMO_PASSWORD = "townsquare-demo"  # noqa: S105  (printed for the demo; never used outside it)
ARTICLE_KEY = "putin-aliyev-peace-talks"
STAFF = {"moderator": SiteRole.Role.MODERATOR, "editor": SiteRole.Role.ADMIN}


class Command(BaseCommand):
    help = "Load the demo site with an article and nested comments, through the real pipeline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        site, _ = Site.objects.get_or_create(
            slug="demo", defaults={"name": "The Demo Gazette", "allowed_origins": [settings.PUBLIC_URL]}
        )
        article = ensure_article(site, ARTICLE_KEY, title=demo_article()["title"])
        if not Comment.objects.filter(article=article).exists():
            with transaction.atomic():
                self.seed(site, article)
        if not options["quiet"]:
            self.report(site)

    def reader(self, name: str) -> Any:
        profile = Profile.objects.filter(user__username=name).select_related("user").first()
        if profile is None:
            profile = do_create_reader(username=name, password=DEMO_PASSWORD, display_name=name.capitalize())
        return profile.user

    def seed(self, site: Site, article: Article) -> None:
        for username, role in STAFF.items():
            user = self.reader(username)
            SiteRole.objects.get_or_create(site=site, user=user, defaults={"role": role})
        admin = get_user_model().objects.filter(username="admin").first()
        if admin is None:
            get_user_model().objects.create_superuser("admin", password=DEMO_PASSWORD)

        def post(item: dict[str, Any], parent: Comment | None) -> None:
            result = do_post_comment(
                reader=self.reader(item["author"]),
                article=article,
                body=item["text"],
                parent_id=parent.pk if parent else None,
            )
            # A reply to a comment the pipeline did not publish is not possible for a reader either.
            if result.comment is not None and result.comment.state == "published":
                for reply in item.get("replies", []):
                    post(reply, result.comment)

        for item in json.loads(COMMENTS_FILE.read_text(encoding="utf-8")):
            post(item, None)

    def report(self, site: Site) -> None:
        base = settings.PUBLIC_URL
        counts: dict[str, int] = {}
        for state in Comment.objects.filter(article__site=site).values_list("state", flat=True):
            counts[state] = counts.get(state, 0) + 1
        self.stdout.write(
            f"\nTownsquare demo\n"
            f"  Publisher page (reader view): {base}/news/{site.slug}/{ARTICLE_KEY}/\n"
            f"  Moderation:                   {base}/moderate/\n"
            f"  API docs:                     {base}/api/v1/docs\n"
            f"  Logins (password '{DEMO_PASSWORD}'): reader 'alice', moderator 'moderator',"
            f" site administrator 'editor', superuser 'admin'\n"
            f"  Comments by state: {counts}\n"
        )
