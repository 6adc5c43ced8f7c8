"""Helpers for the moderator's desk tests: comments in a known state, as the pipeline leaves them.

They go through `transitions.transition`, like every real state change, but do not depend on what
the pipeline's phases decide today, so a test about the dashboard stays about the dashboard.
"""

import secrets
import time
from typing import Any

import jwt
from django.contrib.auth.models import User
from django.db import transaction

from townsquare.accounts.sso import do_sso_sign_in
from townsquare.comments.models import Article, Comment, CommentState
from townsquare.comments.render import render_body
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.transitions import transition
from townsquare.sites.models import Site

INSULT = "You are an idiot and everyone knows it."
SSO_SECRET = "desk-shared-secret-of-enough-length"


def insult_reason(body: str = INSULT, word: str = "idiot") -> dict[str, Any]:
    start = body.index(word)
    return {
        "code": "insult",
        "text": "Attacks another reader",
        "span": [start, start + len(word)],
        "phase": "words",
    }


def make_comment(
    author: Any,
    article: Article,
    body: str = INSULT,
    *,
    state: str = CommentState.HELD,
    decided_by: str = "insult",
    reasons: list[dict[str, Any]] | None = None,
    scores: dict[str, float] | None = None,
    parent: Comment | None = None,
) -> Comment:
    if reasons is None:
        reasons = [insult_reason(body)] if state == CommentState.HELD and "idiot" in body else []
    comment = Comment(
        article=article,
        parent=parent,
        root=(parent.root or parent) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author=author,
        body=body,
        html=render_body(body),
        decided_by=decided_by if state != CommentState.PUBLISHED else "",
    )
    with transaction.atomic():
        transition(
            comment,
            state,
            from_state="",
            source=ModerationEvent.Source.PIPELINE,
            action="post",
            phase="words" if reasons else "",
            reasons=reasons,
            scores=scores if scores is not None else {"insult": 0.91, "toxicity": 0.8},
        )
        if parent is not None:
            Comment.objects.filter(pk=parent.pk).update(reply_count=parent.reply_count + 1)
            parent.reply_count += 1
    return comment


def make_many(author: Any, article: Article, n: int, **kwargs: Any) -> list[Comment]:
    return [make_comment(author, article, f"Comment number {i}: you idiot.", **kwargs) for i in range(n)]


def publisher_signs_in(site: Site, name: str, external_id: str = "reader-991") -> User:
    """The site's publisher signs its reader in (single sign-on) under `name`."""
    if site.sso_secret != SSO_SECRET:
        site.sso_secret = SSO_SECRET
        site.save(update_fields=["sso_secret"])
    now = int(time.time())
    claims = {"sub": external_id, "name": name, "iat": now, "exp": now + 300, "jti": secrets.token_hex(8)}
    return do_sso_sign_in(site, jwt.encode(claims, SSO_SECRET, algorithm="HS256"))
