"""Sign in and out, and where the reader is sent afterwards: never to another site."""

from typing import Any

import pytest
from conftest import PASSWORD
from django.test import Client


def test_alice_signs_in_and_goes_back_to_the_thread(client: Client, alice: Any):
    response = client.post(
        "/accounts/signin/", {"username": "alice", "password": PASSWORD, "next": "/embed/gazette/?key=x"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/embed/gazette/?key=x"
    assert client.get("/api/v1/me").json() == {"signed_in": True, "display_name": "Alice"}


def test_a_wrong_password_shows_a_message(client: Client, alice: Any):
    response = client.post("/accounts/signin/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert client.get("/api/v1/me").json() == {"signed_in": False, "display_name": None}


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
    ],
)
def test_next_never_leads_to_another_site(client: Client, alice: Any, target: str):
    response = client.post("/accounts/signin/", {"username": "alice", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get(f"/accounts/signin/?next={target}").content.decode()
    assert "evil.example" not in page


def test_alice_signs_out(as_alice: Client):
    assert as_alice.get("/accounts/signout/").status_code == 405
    response = as_alice.post("/accounts/signout/", {"next": "/embed/gazette/?key=x"})
    assert response.status_code == 302
    assert response["Location"] == "/embed/gazette/?key=x"
    assert as_alice.get("/api/v1/me").json()["signed_in"] is False


def test_signing_in_needs_the_csrf_token(alice: Any):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/signin/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403


def test_the_session_cookie_is_http_only(client: Client, alice: Any):
    response = client.post("/accounts/signin/", {"username": "alice", "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"]
