"""A display name is what other readers see: nobody may pass for Alice with characters that show
nothing, turn the text around, or only look different to a computer."""

from importlib import import_module
from typing import Any

import pytest
from conftest import PASSWORD
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from townsquare.accounts.actions import check_display_name, clean_display_name, do_create_reader
from townsquare.accounts.models import Profile
from townsquare.errors import TownsquareError


def make_user(username: str) -> User:
    return User.objects.create_user(username)


def sign_up(display_name: str, username: str = "mallory") -> Profile:
    return do_create_reader(username=username, password=PASSWORD, display_name=display_name)


@pytest.mark.parametrize(
    "name",
    [
        "Alice\u200b",  # zero-width space
        "\u202eecilA",  # right-to-left override: shows as "Alice"
        "Al\u2066ice\u2069",  # isolates
        "\ufeffAlice",  # byte-order mark
        "Al\u00adice",  # soft hyphen
        "Alice\u3164",  # Hangul filler, a letter that shows nothing
    ],
)
def test_invisible_and_direction_characters_are_refused(alice: Any, name: str):
    with pytest.raises(TownsquareError) as refused:
        sign_up(name)
    assert refused.value.code == "display_name_invalid"
    assert "invisible" in refused.value.message


def test_the_sign_up_page_says_why(client: Client, alice: Any):
    response = client.post(
        "/accounts/signup/", {"username": "mallory", "password": PASSWORD, "display_name": "\u202eecilA"}
    )
    assert response.status_code == 400
    assert "cannot contain invisible or text-direction characters" in response.content.decode()


@pytest.mark.parametrize("name", ["\uff21\uff4c\uff49\uff43\uff45", "\uff21lice", "ALICE", "  alice\u00a0"])
def test_lookalike_forms_of_a_taken_name_are_taken(alice: Any, name: str):
    with pytest.raises(TownsquareError) as refused:
        sign_up(name)
    assert refused.value.code == "display_name_taken"


def test_names_are_stored_normalised(db: None):
    assert sign_up("Karine\u00a0\u2003from   Lyon\u3000").display_name == "Karine from Lyon"
    assert check_display_name("\ufb01ona") == "fiona"  # the ligature "fi" is two letters


def test_user_names_are_compared_in_their_stored_form(alice: Any):
    with pytest.raises(TownsquareError) as refused:
        do_create_reader(username="\uff21\uff2c\uff29\uff23\uff25", password=PASSWORD, display_name="Other")
    assert refused.value.code == "username_taken"


def test_names_from_elsewhere_are_cleaned_not_refused():
    assert clean_display_name("Karine\u200b \u202efrom\u202c Lyon") == "Karine from Lyon"
    assert clean_display_name("\u200b\u2066\u3164") == ""
    assert len(clean_display_name("Karine " + "de la Tour " * 10)) <= 60


def test_stored_lookalikes_are_cleaned_by_the_migration(alice: Any, bob: Any):
    """Names taken before the fix: the spoof loses its invisible characters and gets a number."""
    spoof = Profile.objects.create(user=make_user("mallory"), display_name="Alice\u200b")
    turned = Profile.objects.create(user=make_user("mallory2"), display_name="\u202eboB")
    hidden = Profile.objects.create(user=make_user("mallory3"), display_name="\u200b")
    migration = import_module("townsquare.accounts.migrations.0003_clean_display_names")
    migration.clean_display_names(apps, None)
    names = {p.pk: p.display_name for p in Profile.objects.all()}
    assert names[alice.profile.pk] == "Alice" and names[bob.profile.pk] == "Bob"
    assert names[spoof.pk] == "Alice 2"
    assert names[turned.pk] == "boB 2"  # the same letters as "Bob", whichever way they were shown
    assert names[hidden.pk] == f"Reader {hidden.pk}"
