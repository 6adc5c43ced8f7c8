"""Shared fixtures of the classifier's tests."""

import pytest

from townsquare.comments.models import Comment, CommentState
from townsquare.moderation.models import ModerationEvent


@pytest.fixture
def decisions(article, alice, troll, maria):
    """Maria published alice's comments and rejected the troll's."""
    bodies = [
        (alice, "Great piece on the harbour, thank you", "published"),
        (alice, "The numbers in paragraph three look off to me", "published"),
        (troll, "you absolute clown, nobody wants your opinion", "rejected"),
        (troll, "get lost loser, your mother should be ashamed", "rejected"),
    ] * 3
    for author, body, state in bodies:
        comment = Comment.objects.create(article=article, author=author, body=body, html=body, state=state)
        ModerationEvent.objects.create(
            site=article.site,
            comment=comment,
            source=ModerationEvent.Source.MODERATOR,
            actor=maria,
            action="approve" if state == CommentState.PUBLISHED else "reject",
            from_state=CommentState.HELD,
            to_state=state,
        )
