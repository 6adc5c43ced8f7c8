"""alice changes her password on her account page: she stays signed in there, and anyone signed in
to her account elsewhere is signed out."""

from typing import Any

from conftest import PASSWORD, client_for
from django.test import Client

URL = "/accounts/me/password/"
NEW = "a quiet harbour at dawn"


def change(client: Client, old: str, new1: str, new2: str | None = None) -> Any:
    data = {"old_password": old, "new_password1": new1, "new_password2": new1 if new2 is None else new2}
    return client.post(URL, data)


def signed_in(client: Client) -> bool:
    return bool(client.get("/api/v1/me").json()["signed_in"])


def signs_in(password: str) -> bool:
    return Client().post("/accounts/signin/", {"username": "alice", "password": password}).status_code == 302


def test_alice_changes_her_password_and_her_other_sessions_end(alice: Any):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        assert (
            client.post("/accounts/signin/", {"username": "alice", "password": PASSWORD}).status_code == 302
        )
    response = change(here, PASSWORD, NEW)
    assert response.status_code == 302 and "saved=password" in response["Location"]
    assert signed_in(here) and not signed_in(elsewhere)
    assert signs_in(NEW) and not signs_in(PASSWORD)


def test_a_wrong_password_now_changes_nothing(alice: Any):
    response = change(client_for(alice), "guess", NEW)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="password-error" data-code="password_incorrect"' in page
    assert (
        'name="old_password" type="password" autocomplete="current-password" required aria-invalid="true"'
        in page
    )
    assert NEW not in page  # passwords are never sent back
    assert signs_in(PASSWORD)


def test_the_new_password_goes_through_djangos_validators(alice: Any):
    as_alice = client_for(alice)
    mismatch = change(as_alice, PASSWORD, NEW, NEW + "!")
    assert mismatch.status_code == 400
    assert 'data-code="new_password2_invalid"' in mismatch.content.decode()
    assert "The new password again:" in mismatch.content.decode()
    short = change(as_alice, PASSWORD, "short")
    assert short.status_code == 400 and "too short" in short.content.decode()
    assert signs_in(PASSWORD)


def test_karine_has_no_password_here(karine: Any):
    response = change(client_for(karine), "", NEW)
    assert response.status_code == 403
    assert 'data-code="publisher_account"' in response.content.decode()
    karine.refresh_from_db()
    assert not karine.has_usable_password()
