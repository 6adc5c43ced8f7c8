"""A reader's address is mailed only once they confirm it: anyone can type someone else's at sign-up.

Karine signs up with her address and follows the link she is mailed; a tampered, expired or outdated
link confirms nothing and says why; a lost link can be sent again, within limits.
"""

import re
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import client_for, confirm_email
from django.core import mail, signing
from django.test import Client

from townsquare.accounts.models import Profile
from townsquare.accounts.notifications import MAX_AGE, confirmation_token

GOOD = {"username": "karine", "display_name": "Karine from Lyon", "password": "apricot orchard 1915"}
SEND = "/accounts/address/send-link/"


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+/accounts/address/confirm/\S+/", message.body)
    assert found is not None, message.body
    return urlsplit(found.group(0)).path


def confirm_path(token: str) -> str:
    return f"/accounts/address/confirm/{token}/"


def test_karine_is_mailed_a_link_that_confirms_her_address(
    client: Client, gazette: Any, django_capture_on_commit_callbacks: Any
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", {**GOOD, "email": "k@example.org"})
    assert [m.to for m in mail.outbox] == [["k@example.org"]]
    assert "Karine" not in mail.outbox[0].body  # nothing a stranger typed reaches the address
    profile = Profile.objects.get()
    assert not profile.email_confirmed
    thread = client.get("/embed/gazette/", {"key": "peace-talks"}).content.decode()
    assert 'data-testid="confirm-address"' in thread  # she is told, and offered a new link

    # Opening the link changes nothing: mail scanners open links too.
    page = Client().get(link_in(mail.outbox[0]))
    assert page.status_code == 200 and "k@example.org" in page.content.decode()
    profile.refresh_from_db()
    assert not profile.email_confirmed

    response = Client().post(link_in(mail.outbox[0]))
    assert response.status_code == 200
    assert "Address confirmed" in response.content.decode()
    profile.refresh_from_db()
    assert profile.email_confirmed and profile.confirmed_email == "k@example.org"
    thread = client.get("/embed/gazette/", {"key": "peace-talks"}).content.decode()
    assert 'data-testid="confirm-address"' not in thread


def test_a_sign_up_without_an_address_mails_nothing(
    client: Client, gazette: Any, django_capture_on_commit_callbacks: Any
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", GOOD)
    assert mail.outbox == []
    thread = client.get("/embed/gazette/", {"key": "peace-talks"}).content.decode()
    assert 'data-testid="confirm-address"' not in thread


def tampered(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def test_a_tampered_link_is_refused_and_confirms_nothing(client: Client, alice: Any):
    alice.email = "alice@example.org"
    alice.save()
    for response in (
        client.get(confirm_path(tampered(confirmation_token(alice)))),
        client.post(confirm_path(tampered(confirmation_token(alice)))),
        client.post(confirm_path("not-a-link")),
    ):
        assert response.status_code == 400
        page = response.content.decode()
        assert 'data-code="confirmation_invalid"' in page and "not valid" in page
    alice.profile.refresh_from_db()
    assert not alice.profile.email_confirmed


def test_an_expired_link_says_so(client: Client, alice: Any, monkeypatch: pytest.MonkeyPatch):
    alice.email = "alice@example.org"
    alice.save()
    sent_at = time.time() - MAX_AGE.total_seconds() - 60
    with monkeypatch.context() as past:
        past.setattr(signing.time, "time", lambda: sent_at)
        token = confirmation_token(alice)
    response = client.post(confirm_path(token))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-code="confirmation_expired"' in page and "expired" in page
    alice.profile.refresh_from_db()
    assert not alice.profile.email_confirmed


def test_a_new_address_is_unconfirmed_and_the_old_link_confirms_nothing(client: Client, alice: Any):
    confirm_email(alice, "alice@example.org")
    old_link = confirm_path(confirmation_token(alice))
    alice.email = "someone-else@example.net"
    alice.save()
    alice.profile.refresh_from_db()
    assert not alice.profile.email_confirmed
    response = client.post(old_link)
    assert response.status_code == 400
    assert 'data-code="confirmation_outdated"' in response.content.decode()
    alice.profile.refresh_from_db()
    assert not alice.profile.email_confirmed


def test_alice_asks_for_a_new_link_a_few_times_at_most(
    alice: Any, gazette: Any, django_capture_on_commit_callbacks: Any
):
    alice.email = "alice@example.org"
    alice.save()
    as_alice = client_for(alice)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = as_alice.post(SEND, {"next": "/embed/gazette/?key=x"})
        assert response.status_code == 200
        assert "We sent a new link" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(SEND, {"next": "/embed/gazette/?key=x"})
    assert response.status_code == 429
    assert "https://gazette.example" in response["Content-Security-Policy"]  # shown in the frame
    assert 'data-code="confirmation_throttled"' in response.content.decode()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]] * 3
    assert as_alice.post(link_in(mail.outbox[-1])).status_code == 200


def test_a_confirmed_reader_asking_again_is_told_so(alice: Any, django_capture_on_commit_callbacks: Any):
    confirm_email(alice, "alice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(SEND)
    assert response.status_code == 200 and "confirmed already" in response.content.decode()
    assert mail.outbox == []


def test_asking_for_a_link_needs_an_account_with_an_address(client: Client, bob: Any):
    assert client.post(SEND).status_code == 401
    response = client_for(bob).post(SEND)
    assert response.status_code == 400
    assert 'data-code="email_missing"' in response.content.decode()


def test_one_address_gets_a_few_links_a_day_however_many_accounts_name_it(
    client: Client, db: None, django_capture_on_commit_callbacks: Any
):
    """A troll signing up again and again with someone's address cannot flood it."""
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            Client().post(
                "/accounts/signup/",
                {
                    **GOOD,
                    "username": f"troll{n}",
                    "display_name": f"Troll {n}",
                    "email": "victim@example.net",
                },
            )
    assert Profile.objects.count() == 8
    assert len(mail.outbox) == 5
