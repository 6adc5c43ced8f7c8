"""alice hears of bob's replies until she says stop: with the link in any reply e-mail, without
signing in, or with her mail client's own button (RFC 8058's one-click POST)."""

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import confirm_email
from django.core import mail
from django.test import Client

from townsquare.accounts.notifications import confirmation_token
from townsquare.comments.actions import do_post_comment
from townsquare.comments.models import Article, Comment

pytestmark = pytest.mark.usefixtures("pipeline_without_model")


@pytest.fixture
def alices_comment(alice: Any, article: Article) -> Comment:
    confirm_email(alice, "alice@example.org")
    comment = do_post_comment(reader=alice, article=article, body="The new bridge is a good idea.").comment
    assert comment is not None
    return comment


def reply(bob: Any, to: Comment, capture: Any, body: str = "It will cost more than they say.") -> None:
    with capture(execute=True):
        do_post_comment(reader=bob, article=to.article, body=body, parent_id=to.pk)


def unsubscribe_path(message: Any) -> str:
    header: str = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<https?://\S+/accounts/replies/unsubscribe/\S+/>", header), header
    path = urlsplit(header[1:-1]).path
    assert path in message.body
    return path


def test_every_reply_email_carries_a_one_click_unsubscribe(
    alices_comment: Comment, bob: Any, django_capture_on_commit_callbacks: Any
):
    reply(bob, alices_comment, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    unsubscribe_path(message)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message.message().as_string()


def test_alices_mail_client_unsubscribes_her_without_a_session_or_csrf_token(
    alice: Any, alices_comment: Comment, bob: Any, django_capture_on_commit_callbacks: Any
):
    reply(bob, alices_comment, django_capture_on_commit_callbacks)
    path = unsubscribe_path(mail.outbox[0])
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert 'data-testid="unsubscribed"' in response.content.decode()
    alice.profile.refresh_from_db()
    assert alice.profile.reply_emails is False

    reply(bob, alices_comment, django_capture_on_commit_callbacks, body="And it will be late.")
    assert len(mail.outbox) == 1  # nothing more

    assert mail_client.post(path).status_code == 200  # twice: still off, no error


def test_opening_the_link_only_asks(
    alice: Any, alices_comment: Comment, bob: Any, django_capture_on_commit_callbacks: Any
):
    """Mail scanners open links: the page has a button, and only the button unsubscribes."""
    reply(bob, alices_comment, django_capture_on_commit_callbacks)
    page = Client().get(unsubscribe_path(mail.outbox[0]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "alice@example.org" in text and '<form method="post"' in text
    alice.profile.refresh_from_db()
    assert alice.profile.reply_emails is True


def test_a_tampered_or_borrowed_link_is_refused_and_changes_nothing(
    alice: Any, alices_comment: Comment, bob: Any, django_capture_on_commit_callbacks: Any
):
    reply(bob, alices_comment, django_capture_on_commit_callbacks)
    path = unsubscribe_path(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    # A link signed for something else (her address's confirmation) is no unsubscribe link.
    for bad in (tampered, confirmation_token(alice), "not-a-link"):
        for response in (
            Client().get(f"/accounts/replies/unsubscribe/{bad}/"),
            Client().post(f"/accounts/replies/unsubscribe/{bad}/"),
        ):
            assert response.status_code == 400
            assert 'data-code="unsubscribe_invalid"' in response.content.decode()
    alice.profile.refresh_from_db()
    assert alice.profile.reply_emails is True


def test_a_link_to_an_address_alice_left_changes_nothing(
    alice: Any, alices_comment: Comment, bob: Any, django_capture_on_commit_callbacks: Any
):
    """Whoever has her old address cannot silence the mail to her new one."""
    reply(bob, alices_comment, django_capture_on_commit_callbacks)
    path = unsubscribe_path(mail.outbox[0])
    confirm_email(alice, "alice@example.net")
    response = Client().post(path)
    assert response.status_code == 200 and "alice@example.org" in response.content.decode()
    alice.profile.refresh_from_db()
    assert alice.profile.reply_emails is True
    reply(bob, alices_comment, django_capture_on_commit_callbacks, body="Still here?")
    assert [m.to for m in mail.outbox] == [["alice@example.org"], ["alice@example.net"]]
