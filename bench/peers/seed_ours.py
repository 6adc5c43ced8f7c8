"""Seed Townsquare for the peer benchmark: the shared threads, readers with sessions, a post target.

Run with Townsquare's own interpreter and settings (DJANGO_SETTINGS_MODULE, TOWNSQUARE_DATA_DIR or
DATABASE_URL). Prints one JSON line: article ids, session keys and the CSRF token for wrk.
"""

import json
import sys

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from townsquare.accounts.models import Profile  # noqa: E402
from townsquare.comments.models import Article, Comment, CommentState  # noqa: E402
from townsquare.comments.render import render_body  # noqa: E402
from townsquare.sites.models import Site  # noqa: E402


def main() -> None:
    threads = json.loads(sys.stdin.read())  # {"t100": [[text, parent_index|None], ...], ...}
    readers = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    site = Site.objects.create(slug="bench", name="Bench", allowed_origins=["http://127.0.0.1"])
    # The post test measures the pipeline, not the flood guard: the rate limits are raised for the
    # bench site (the peers' guards are switched off too). Every content phase still runs.
    site.policy = {
        **site.policy,
        "pipeline": {
            "RateLimits": {
                "OPTIONS": {"per_reader_minute": 10**6, "per_reader_hour": 10**6, "per_ip_minute": 10**6}
            }
        },
    }
    site.save()
    users = [
        User(username=f"reader{i}", password="!", email=f"reader{i}@example.org") for i in range(readers)
    ]
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__startswith="reader").order_by("pk"))
    Profile.objects.bulk_create([Profile(user=u, display_name=f"Reader {u.pk}") for u in users])
    out: dict[str, object] = {}
    for key, rows in threads.items():
        article = Article.objects.create(site=site, key=key, title=key)
        out[key] = article.pk
        # The generated threads are two levels deep: top-level comments first, then the replies.
        tops = [i for i, (_, parent_index) in enumerate(rows) if parent_index is None]
        made: dict[int, Comment] = {}
        for i in tops:
            made[i] = Comment(
                article=article,
                author=users[i % len(users)],
                body=rows[i][0],
                html=render_body(rows[i][0]),
                state=CommentState.PUBLISHED,
            )
        Comment.objects.bulk_create(list(made.values()))
        replies = []
        for i, (text, parent_index) in enumerate(rows):
            if parent_index is None:
                continue
            parent = made[parent_index]
            parent.reply_count += 1
            replies.append(
                Comment(
                    article=article,
                    parent=parent,
                    root=parent,
                    depth=1,
                    author=users[i % len(users)],
                    body=text,
                    html=render_body(text),
                    state=CommentState.PUBLISHED,
                )
            )
        Comment.objects.bulk_create(replies, batch_size=500)
        Comment.objects.bulk_update(list(made.values()), ["reply_count"])
    out["posts"] = Article.objects.create(site=site, key="posts", title="posts").pk
    sessions = []
    for u in users:
        store = SessionStore()
        store[SESSION_KEY] = str(u.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = u.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    out["sessions"] = sessions
    out["csrf"] = get_random_string(32)
    print(json.dumps(out))


main()
