"""Alice hears by e-mail when bob replies to her, once, and never about her own replies."""

import pytest
from conftest import confirm_email
from django.core import mail

from townsquare.accounts.notifications import confirmation_token
from townsquare.comments.actions import do_post_comment
from townsquare.comments.notifications import notify_reply


@pytest.fixture
def alice_with_email(alice):
    return confirm_email(alice, "alice@example.org")


def test_bob_replying_sends_alice_one_email(
    article, alice_with_email, bob, django_capture_on_commit_callbacks
):
    first = do_post_comment(reader=alice_with_email, article=article, body="The new bridge is a good idea.")
    assert first.comment is not None
    with django_capture_on_commit_callbacks(execute=True):
        reply = do_post_comment(
            reader=bob, article=article, body="It will cost more than they say.", parent_id=first.comment.pk
        )
    assert reply.comment is not None and reply.comment.state == "published"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "It will cost more than they say." in mail.outbox[0].body

    notify_reply(comment_id=reply.comment.pk)  # a redelivery of the same job
    assert len(mail.outbox) == 1


def test_an_address_nobody_confirmed_is_never_mailed(
    article, alice, bob, client, django_capture_on_commit_callbacks
):
    """The troll can type alice's address at sign-up; until she follows the link, she hears nothing."""
    alice.email = "alice@example.org"
    alice.save()
    first = do_post_comment(reader=alice, article=article, body="The harbour needs a new quay.")
    with django_capture_on_commit_callbacks(execute=True):
        do_post_comment(
            reader=bob, article=article, body="It needs dredging first.", parent_id=first.comment.pk
        )
    assert mail.outbox == []

    response = client.post(f"/accounts/address/confirm/{confirmation_token(alice)}/")
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        do_post_comment(reader=bob, article=article, body="And a longer pier.", parent_id=first.comment.pk)
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_no_email_for_a_reply_to_oneself_or_without_an_address(
    article, alice_with_email, bob, django_capture_on_commit_callbacks
):
    first = do_post_comment(reader=alice_with_email, article=article, body="The bus line should go further.")
    bobs = do_post_comment(reader=bob, article=article, body="The tram would be better for the harbour.")
    assert first.comment is not None and bobs.comment is not None
    with django_capture_on_commit_callbacks(execute=True):
        do_post_comment(
            reader=alice_with_email,
            article=article,
            body="And to the school too.",
            parent_id=first.comment.pk,
        )
        do_post_comment(
            reader=alice_with_email, article=article, body="Why the tram?", parent_id=bobs.comment.pk
        )
    assert mail.outbox == []  # her own thread, and bob has no address


def test_a_held_reply_notifies_once_a_moderator_approves_it(
    article, alice_with_email, troll, maria, django_capture_on_commit_callbacks
):
    from townsquare.moderation.actions import do_always_premoderate, do_approve, do_reject

    first = do_post_comment(reader=alice_with_email, article=article, body="The ferry should run later.")
    do_always_premoderate(maria, article.site, troll, reason="watch")
    with django_capture_on_commit_callbacks(execute=True):
        reply = do_post_comment(
            reader=troll, article=article, body="It runs late enough.", parent_id=first.comment.pk
        )
    assert reply.comment.state == "held"
    assert mail.outbox == []  # nobody hears of a reply readers cannot see

    with django_capture_on_commit_callbacks(execute=True):
        do_approve(maria, reply.comment)
    assert len(mail.outbox) == 1
    assert "It runs late enough." in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        do_reject(maria, reply.comment, "guidelines")
        do_approve(maria, reply.comment)
    assert len(mail.outbox) == 1  # approved again: still one e-mail
