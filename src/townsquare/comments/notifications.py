"""Reply notifications: tell a comment's author by e-mail that someone replied.

Queued by `moderation.transitions.transition` when a reply becomes published (posted, approved by a
moderator, or re-checked); runs as the job "comments.notify_reply", at most once per reply (a
`JobReceipt` guards redeliveries). Imported comments never notify, only an address its reader
confirmed is mailed (`accounts.notifications`: anyone can type someone else's at sign-up), and only
to a reader who has not turned reply e-mails off. Every one carries a one-click link that does that
(`accounts.unsubscribe`), in its text and in the `List-Unsubscribe` headers mail clients read.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from townsquare.accounts import unsubscribe
from townsquare.comments.models import Comment, CommentState
from townsquare.jobs.api import enqueue, register
from townsquare.jobs.receipts import claim

JOB = "comments.notify_reply"


def queue_reply_notification(reply: Comment) -> None:
    """Call when `reply` becomes published; only a reply to someone else is worth an e-mail."""
    if reply.parent_id is not None and reply.state == CommentState.PUBLISHED:
        enqueue(JOB, comment_id=reply.pk)


@register(JOB, soft_time_limit=30, time_limit=45, max_retries=6, retry_backoff=30)
def notify_reply(comment_id: int) -> None:
    reply = (
        Comment.objects.select_related("parent__author__profile", "author__profile", "article")
        .filter(pk=comment_id)
        .first()
    )
    if reply is None or reply.parent is None or reply.state != CommentState.PUBLISHED:
        return
    recipient = reply.parent.author
    if not recipient.email or recipient.pk == reply.author_id or not recipient.is_active:
        return
    profile = getattr(recipient, "profile", None)
    if profile is None or not profile.email_confirmed or not profile.reply_emails:
        return
    name = reply.author.profile.display_name if hasattr(reply.author, "profile") else "A reader"
    article = reply.article.title or reply.article.key
    link = reply.article.url or settings.PUBLIC_URL
    with transaction.atomic():
        if not claim(f"{JOB}:{comment_id}"):
            return
        # Sent inside the transaction: a failed send rolls the claim back and the job retries.
        EmailMessage(
            subject=f"{name} replied to your comment on {article}"[:200],
            body=(
                f"{name} replied to your comment on {article}:\n\n{reply.body}\n\nRead it: {link}\n\n"
                f"-- \nNo more e-mails about replies: {unsubscribe.unsubscribe_url(recipient)}\n"
            ),
            to=[recipient.email],
            headers=unsubscribe.headers(recipient),
        ).send()
