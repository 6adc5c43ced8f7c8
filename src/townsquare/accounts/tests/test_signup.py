"""Sign up: a newcomer creates an account from the comments frame and comes back signed in."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from townsquare.accounts.actions import do_create_reader, ensure_profile
from townsquare.accounts.models import Profile
from townsquare.errors import InvalidInput, TownsquareError

GOOD = {"username": "karine", "display_name": "Karine from Lyon", "password": "apricot orchard 1915"}


def test_karine_signs_up_and_returns_to_the_thread_signed_in(client: Client, db: None):
    response = client.post(
        "/accounts/signup/?next=/embed/gazette/%3Fkey%3Dx", {**GOOD, "email": "k@example.org"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/embed/gazette/?key=x"
    profile = Profile.objects.get()
    assert (profile.user.username, profile.display_name, profile.user.email) == (
        "karine",
        "Karine from Lyon",
        "k@example.org",
    )
    assert client.get("/api/v1/me").json() == {"signed_in": True, "display_name": "Karine from Lyon"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": ""}, "user name"),
        ({"username": "x" * 151}, "user name"),
        ({"username": "has space"}, "user name"),
        ({"username": "<script>"}, "user name"),
        ({"display_name": "   "}, "display name"),
        ({"display_name": "x" * 61}, "display name"),
        ({"password": "short"}, "too short"),
        ({"password": "password"}, "too common"),
        ({"email": "not-an-address"}, "e-mail"),
        ({"display_name": "nul\x00"}, "display name"),
    ],
)
def test_bad_sign_ups_show_a_message_and_create_nothing(
    client: Client, db: None, changes: dict[str, str], message: str
):
    response = client.post("/accounts/signup/", {**GOOD, **changes})
    assert response.status_code == 400
    assert message in response.content.decode().lower()
    assert not User.objects.exists()
    assert not Profile.objects.exists()


def test_names_are_unique_whatever_their_case(client: Client, alice: Any):
    response = client.post("/accounts/signup/", {**GOOD, "username": "ALICE"})
    assert response.status_code == 400
    assert "That user name is taken." in response.content.decode()
    response = client.post("/accounts/signup/", {**GOOD, "display_name": " alice "})
    assert response.status_code == 400
    assert "That display name is taken." in response.content.decode()
    assert User.objects.count() == 1


def test_the_action_refuses_with_codes(db: None):
    with pytest.raises(TownsquareError) as refused:
        do_create_reader(username="k", password="short", display_name="K")
    assert refused.value.code == "password_weak"


def test_an_account_made_elsewhere_gets_a_profile_on_first_use(alice: Any, db: None):
    user = User.objects.create_user("Alice2")
    Profile.objects.create(user=User.objects.create_user("someone"), display_name="Alice2")
    assert ensure_profile(user).display_name == "Alice2 2"
    assert ensure_profile(user).display_name == "Alice2 2"


def test_the_sign_up_page_renders(client: Client, db: None):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content


@pytest.mark.parametrize("username", ["sso-1-reader-1001", "SSO-2-x", "import-1-0f3a"])
def test_names_kept_for_accounts_made_here_cannot_be_signed_up_for(username: str, db: None):
    with pytest.raises(InvalidInput) as refused:
        do_create_reader(username=username, password="a-long-passphrase-1", display_name="Squatter")
    assert refused.value.code == "username_reserved"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password": "short"}, "password"),
        ({"email": "not-an-address"}, "email"),
        ({"display_name": "nul\x00"}, "display_name"),
    ],
)
def test_the_field_at_fault_is_marked_and_described_by_the_message(
    client: Client, db: None, changes: dict[str, str], field: str
):
    """A screen reader hears the message on the field, and the cursor is there to correct it."""
    html = client.post("/accounts/signup/", {**GOOD, **changes}).content.decode()
    marked = re.findall(
        r'<input id="id_(\w+)"[^>]*aria-invalid="true" aria-describedby="form-error" autofocus', html
    )
    assert marked == [field]
    assert 'role="alert" id="form-error"' in html


def test_a_failed_sign_in_marks_the_password(client: Client, alice: Any):
    html = client.post(
        "/accounts/signin/", {"username": "alice", "password": "wrong-password"}
    ).content.decode()
    assert re.search(r'<input id="id_password"[^>]*aria-invalid="true" aria-describedby="form-error"', html)
