"""Publisher single sign-on: a reader signed in at the newspaper is signed in to its comments."""

import time

import jwt
import pytest

from townsquare.accounts.models import Profile

SECRET = "gazette-shared-secret-of-enough-length"


def token(secret=SECRET, **claims):
    now = int(time.time())
    payload = {"sub": "reader-991", "name": "Karine from Lyon", "iat": now, "exp": now + 300, **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


@pytest.fixture
def sso_gazette(gazette):
    gazette.sso_secret = SECRET
    gazette.save()
    return gazette


def embed(client, sso):
    return client.get("/embed/gazette/", {"key": "peace-talks", "sso": sso})


def test_a_valid_token_signs_the_reader_in_and_leaves_the_address(client, sso_gazette):
    response = embed(client, token())
    assert response.status_code == 302
    assert "sso=" not in response["Location"] and "key=peace-talks" in response["Location"]
    page = client.get(response["Location"])
    assert 'data-testid="display-name">Karine from Lyon<' in page.content.decode()
    profile = Profile.objects.get(external_id="reader-991")
    assert not profile.user.has_usable_password()


def test_the_same_reader_comes_back_to_the_same_account_with_a_new_name(client, sso_gazette):
    embed(client, token())
    embed(client, token(name="Karine D."))
    assert Profile.objects.filter(external_id="reader-991").count() == 1
    assert Profile.objects.get(external_id="reader-991").display_name == "Karine D."


def test_the_publishers_address_counts_as_confirmed(client, sso_gazette):
    """The publisher vouches for its signed-in reader's address: no link is mailed, replies are."""
    embed(client, token(email="karine@example.org"))
    profile = Profile.objects.get(external_id="reader-991")
    assert profile.email_confirmed and profile.user.email == "karine@example.org"
    embed(client, token(email="karine@example.net"))
    profile.refresh_from_db()
    assert profile.email_confirmed and profile.confirmed_email == "karine@example.net"


def test_a_publishers_name_loses_its_invisible_characters_and_the_reader_is_let_in(
    client, sso_gazette, alice
):
    """Refused at sign-up, cleaned here: the reader could not correct the publisher's name."""
    response = embed(client, token(name="\u202eAlice\u200b"))
    assert response.status_code == 302
    assert Profile.objects.get(external_id="reader-991").display_name == "Alice 2"


def test_a_name_with_nothing_visible_becomes_reader_and_the_id(client, sso_gazette):
    embed(client, token(name="\u200b\u2066 \u3164"))
    assert Profile.objects.get(external_id="reader-991").display_name == "Reader reader-991"


def test_a_taken_display_name_gets_a_number(client, sso_gazette, alice):
    embed(client, token(name="Alice"))
    assert Profile.objects.get(external_id="reader-991").display_name == "Alice 2"


@pytest.mark.parametrize(
    ("sso", "code"),
    [
        (token(secret="someone-elses-secret-of-enough-length"), "sso_invalid"),
        (token(exp=int(time.time()) - 3600, iat=int(time.time()) - 3700), "sso_expired"),
        (token(exp=int(time.time()) + 7 * 86400), "sso_invalid"),
        ("not-a-token", "sso_invalid"),
        (token(iat="soon"), "sso_invalid"),
        (token(sub="x" * 150), "sso_invalid"),  # cut to fit, it could share an account with another
    ],
)
def test_bad_tokens_are_refused_and_sign_nobody_in(client, sso_gazette, sso, code):
    response = embed(client, sso)
    assert response.status_code == 400
    assert f'data-code="{code}"' in response.content.decode()
    assert not Profile.objects.exists()


def test_a_site_without_single_sign_on_refuses_tokens(client, gazette):
    response = embed(client, token())
    assert 'data-code="sso_not_configured"' in response.content.decode()


@pytest.mark.parametrize("sso", [token(sub="reader-\x00"), token(name="Karine \ud800")])
def test_a_token_with_characters_that_are_not_text_is_refused(client, sso_gazette, sso):
    response = embed(client, sso)
    assert response.status_code == 400
    assert 'data-code="sso_invalid"' in response.content.decode()
    assert not Profile.objects.exists()


def test_a_publishers_long_name_is_cut_and_a_bad_address_left_out(client, sso_gazette):
    embed(client, token(name="Karine " + "de la Tour " * 10, email="x" * 250 + "@example.org"))
    profile = Profile.objects.get(external_id="reader-991")
    assert len(profile.display_name) <= 60 and profile.display_name.startswith("Karine de la Tour")
    assert profile.user.email == ""


def test_a_local_account_named_like_a_publisher_reader_is_never_signed_into(client, sso_gazette):
    """Before such names were reserved, signing up as sso-<site>-<sub> would have been given the
    publisher's reader on their first sign-on."""
    from django.contrib.auth.models import User

    squatter = User.objects.create_user(username=f"sso-{sso_gazette.pk}-reader-991", password="known-pass-1")
    response = embed(client, token())
    assert response.status_code == 409
    assert 'data-code="sso_account_conflict"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    squatter.refresh_from_db()
    assert squatter.email == ""


def test_an_empty_token_signs_the_publishers_reader_out_of_the_frame(client, sso_gazette, alice):
    """The publisher's page says its reader signed out (data-sso-token=""): on a shared computer the
    next person must not comment as them. A reader with a Townsquare account of their own stays in."""
    client.get(embed(client, token())["Location"])
    assert "_auth_user_id" in client.session
    response = embed(client, "")
    assert response.status_code == 302 and "sso=" not in response["Location"]
    assert "_auth_user_id" not in client.session

    client.force_login(alice)
    embed(client, "")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_times_written_as_strings_are_read_as_numbers_as_pyjwt_reads_them(client, sso_gazette):
    now = int(time.time())
    response = embed(client, token(iat=str(now), exp=str(now + 300)))
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_token_signs_in_once_and_a_replay_from_elsewhere_is_refused(client, sso_gazette):
    """The token can leak after its use (a log, a shared link, a referrer): whoever holds it then must
    not become the reader, though it has not expired."""
    from django.test import Client

    sso = token()
    assert embed(client, sso).status_code == 302
    thief = Client()
    response = embed(thief, sso)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-code="sso_token_used"' in page and "already used; reload the page" in page
    assert "_auth_user_id" not in thief.session
    assert client.session["_auth_user_id"] == str(Profile.objects.get(external_id="reader-991").user_id)


def test_a_token_spelled_another_way_is_the_same_token(client, sso_gazette):
    """PyJWT takes the signature with a padding "=" too: the token is known by what it signs."""
    from django.test import Client

    sso = token()
    embed(client, sso)
    response = embed(Client(), sso + "=")
    assert response.status_code == 409 and 'data-code="sso_token_used"' in response.content.decode()


def test_the_readers_own_browser_restoring_the_page_stays_signed_in(client, sso_gazette):
    """A restored tab or the back button sends the used token again from the session it signed in:
    harmless, and the reader must neither be signed out nor see an error."""
    sso = token()
    embed(client, sso)
    signed_in_as = client.session["_auth_user_id"]
    response = embed(client, sso)
    assert response.status_code == 302 and "sso=" not in response["Location"]
    assert client.session["_auth_user_id"] == signed_in_as
    assert 'data-testid="display-name">Karine from Lyon<' in client.get(response["Location"]).content.decode()


def test_another_readers_session_replaying_a_token_is_refused_and_left_as_it_was(client, sso_gazette, alice):
    from django.test import Client

    sso = token()
    embed(Client(), sso)
    client.force_login(alice)
    response = embed(client, sso)
    assert response.status_code == 409 and 'data-code="sso_token_used"' in response.content.decode()
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_refused_sign_in_leaves_its_token_unspent(client, sso_gazette):
    """The token's use is written in the sign-in's transaction: a sign-in that fails spends nothing."""
    from django.contrib.auth.models import User

    User.objects.create_user(username=f"sso-{sso_gazette.pk}-reader-991", password="known-pass-1")
    sso = token()
    assert embed(client, sso).status_code == 409
    assert 'data-code="sso_account_conflict"' in embed(client, sso).content.decode()
