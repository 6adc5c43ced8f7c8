"""Password guessing: after too many failed sign-ins for one name or from one address, even the right
password is refused until the window ends, on our page and at the admin's login alike."""

import re
import time
from typing import Any

import pytest
from conftest import PASSWORD
from django.contrib.auth.models import User
from django.test import Client

SIGNIN = "/accounts/signin/"
ADMIN_LOGIN = "/admin/login/"
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.7"}


def guess(client: Client, username: str, times: int, url: str = SIGNIN, **extra: str) -> None:
    for n in range(times):
        response = client.post(url, {"username": username, "password": f"guess-{n}"}, **extra)
        assert response.status_code == 200  # told the pair does not match: not refused yet


def sign_in(client: Client, username: str, **extra: str) -> Any:
    return client.post(SIGNIN, {"username": username, "password": PASSWORD}, **extra)


@pytest.fixture
def sam(db: None) -> User:
    """The newsroom's superuser, who signs in at /admin/."""
    return User.objects.create_superuser("sam", password=PASSWORD)


def test_guessing_alices_password_locks_her_name_even_for_the_right_password(
    client: Client, alice: Any, settings: Any
):
    guess(client, "alice", settings.SIGNIN_FAILURES_PER_NAME)
    response = sign_in(client, "alice")
    assert response.status_code == 429
    page = response.content.decode()
    assert re.search(r"Too many failed sign-ins for this account; try again in \d+ minutes?\.", page)
    assert "_auth_user_id" not in client.session
    # The name is locked wherever the guesses come from.
    assert sign_in(Client(), "alice", **ELSEWHERE).status_code == 429


def test_a_name_nobody_has_is_refused_in_the_same_words(client: Client, alice: Any, settings: Any):
    """The refusal tells an attacker nothing about which names have accounts."""
    guess(client, "nobody-here", settings.SIGNIN_FAILURES_PER_NAME)
    response = client.post(SIGNIN, {"username": "nobody-here", "password": "guess"})
    assert response.status_code == 429
    assert "Too many failed sign-ins for this account" in response.content.decode()


def test_the_admin_login_is_throttled_too(client: Client, sam: User, settings: Any):
    guess(client, "sam", settings.SIGNIN_FAILURES_PER_NAME, url=ADMIN_LOGIN)
    response = client.post(ADMIN_LOGIN, {"username": "sam", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 200  # the admin's form, with its error: nobody signed in
    assert "_auth_user_id" not in client.session
    # One count for both doors: the guesses at the admin lock our page as well.
    assert sign_in(Client(**ELSEWHERE), "sam").status_code == 429


def test_other_readers_on_the_same_address_still_sign_in(client: Client, alice: Any, bob: Any, settings: Any):
    guess(client, "alice", settings.SIGNIN_FAILURES_PER_NAME)
    response = sign_in(Client(), "bob")
    assert response.status_code == 302


def test_an_address_guessing_at_many_names_is_refused_for_every_name(client: Client, bob: Any, settings: Any):
    settings.SIGNIN_FAILURES_PER_ADDRESS = 5
    for n in range(5):
        guess(client, f"reader-{n}", 1)
    response = sign_in(client, "bob")
    assert response.status_code == 429
    assert "Too many failed sign-ins from your address" in response.content.decode()
    assert sign_in(Client(), "bob", **ELSEWHERE).status_code == 302


def test_signing_in_clears_the_names_count_but_not_the_addresss(
    client: Client, alice: Any, bob: Any, troll: Any, settings: Any
):
    settings.SIGNIN_FAILURES_PER_NAME = 3
    settings.SIGNIN_FAILURES_PER_ADDRESS = 5
    guess(client, "alice", 2)
    assert sign_in(Client(), "alice").status_code == 302  # alice herself, after two typos
    guess(client, "alice", 2)  # the name's count started again: not refused yet
    # The troll's own account does not wipe his address's count between guesses at others.
    assert sign_in(client, "troll").status_code == 302
    guess(Client(), "bob", 1)
    response = sign_in(Client(), "bob")
    assert response.status_code == 429
    assert "from your address" in response.content.decode()


def test_once_the_window_ends_the_right_password_works_again(
    client: Client, alice: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
):
    guess(client, "alice", settings.SIGNIN_FAILURES_PER_NAME)
    assert sign_in(client, "alice").status_code == 429
    later = time.time() + settings.SIGNIN_WINDOW_SECONDS
    monkeypatch.setattr(time, "time", lambda: later)  # the counters' clock and the cache's expiry
    response = sign_in(client, "alice")
    assert response.status_code == 302
    assert client.get("/api/v1/me").json()["signed_in"] is True
