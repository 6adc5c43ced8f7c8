"""Set-up and inspection for the services tests, run inside the servers' own settings:

python -m tests.services.seed reader            -> {"article": id, "session": key, "csrf": token}
python -m tests.services.seed held              -> {"comment": id}  (held: check unavailable)
python -m tests.services.seed states ARTICLE    -> {"states": {id: state}}
python -m tests.services.seed publish NAME JSON -> {} (publishes a job to the broker)
"""

import json
import sys

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from townsquare.accounts.models import Profile  # noqa: E402
from townsquare.comments.models import Article, Comment, CommentState  # noqa: E402
from townsquare.moderation.models import ModerationEvent  # noqa: E402
from townsquare.moderation.transitions import transition  # noqa: E402
from townsquare.sites.models import Site  # noqa: E402


def _article(key: str = "peace-talks") -> Article:
    site, _ = Site.objects.get_or_create(
        slug="gazette", defaults={"name": "The Gazette", "allowed_origins": ["https://gazette.example"]}
    )
    article, _ = Article.objects.get_or_create(site=site, key=key, defaults={"title": key})
    return article


def _user(name: str) -> User:
    user, created = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.org"})
    if created:
        Profile.objects.create(user=user, display_name=name.capitalize())
    return user


def main(args: list[str]) -> dict[str, object]:
    if args[0] == "reader":
        user = _user(args[1] if len(args) > 1 else "alice")
        from django.conf import settings
        from django.utils.module_loading import import_module

        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        article = _article(args[2] if len(args) > 2 else "peace-talks")
        return {"article": article.pk, "session": store.session_key, "csrf": get_random_string(32)}
    if args[0] == "held":
        article = _article()
        with transaction.atomic():
            comment = Comment(article=article, author=_user("alice"), body="Wait for me.", html="<p>Wait</p>")
            comment.decided_by = "check_unavailable"
            transition(
                comment,
                CommentState.HELD,
                from_state="",
                source=ModerationEvent.Source.PIPELINE,
                action="post",
            )
        return {"comment": comment.pk}
    if args[0] == "states":
        rows = Comment.objects.filter(article_id=int(args[1])).values_list("pk", "state")
        return {"states": {str(pk): state for pk, state in rows}}
    if args[0] == "publish":
        import_string("townsquare.jobs.celery.publish")(args[1], json.loads(args[2]))
        return {}
    raise SystemExit(f"unknown command {args[0]}")


print(json.dumps(main(sys.argv[1:])))
