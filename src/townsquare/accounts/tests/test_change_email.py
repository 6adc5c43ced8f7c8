"""alice moves to a new address: she gives her password, the new address is unconfirmed until she
follows the link mailed to it, and until then no reply e-mail goes anywhere."""

from typing import Any

from conftest import PASSWORD, client_for, confirm_email
from django.core import mail
from django.test import Client

from townsquare.accounts.models import Profile

URL = "/accounts/me/email/"


def change(client: Client, email: str, password: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(URL, {"email": email, "password": password, "next": "/embed/gazette/?key=x"})


def test_alices_new_address_is_unconfirmed_and_mailed_a_link(
    alice: Any, django_capture_on_commit_callbacks: Any
):
    confirm_email(alice, "alice@example.org")
    as_alice = client_for(alice)
    response = change(as_alice, "alice@example.net", PASSWORD, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and "saved=email" in response["Location"]
    profile = Profile.objects.select_related("user").get(user=alice)
    assert profile.user.email == "alice@example.net" and not profile.email_confirmed
    assert [m.to for m in mail.outbox] == [["alice@example.net"]]
    assert "/accounts/address/confirm/" in mail.outbox[0].body
    assert "not confirmed yet" in as_alice.get("/accounts/me/").content.decode()


def test_back_to_an_address_confirmed_before_it_must_be_confirmed_again(
    alice: Any, django_capture_on_commit_callbacks: Any
):
    """She may have given the old address up meanwhile."""
    confirm_email(alice, "alice@example.org")
    as_alice = client_for(alice)
    change(as_alice, "alice@example.net", PASSWORD, django_capture_on_commit_callbacks)
    change(as_alice, "alice@example.org", PASSWORD, django_capture_on_commit_callbacks)
    assert not Profile.objects.get(user=alice).email_confirmed


def test_the_same_address_again_changes_nothing(alice: Any, django_capture_on_commit_callbacks: Any):
    confirm_email(alice, "alice@example.org")
    response = change(client_for(alice), "alice@example.org", "", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and "saved=email_same" in response["Location"]
    assert Profile.objects.get(user=alice).email_confirmed
    assert mail.outbox == []


def test_a_wrong_password_changes_nothing_and_keeps_the_typed_address(
    alice: Any, django_capture_on_commit_callbacks: Any
):
    """Someone at a computer where alice stayed signed in cannot move her account to their address."""
    confirm_email(alice, "alice@example.org")
    response = change(client_for(alice), "thief@example.net", "guess", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="email-error" data-code="password_incorrect"' in page
    assert 'value="thief@example.net"' in page
    assert 'required aria-invalid="true" aria-describedby="email-error" autofocus' in page
    assert Profile.objects.get(user=alice).email_confirmed
    assert mail.outbox == []


def test_guessing_at_the_password_here_counts_as_failed_sign_ins(
    alice: Any, settings: Any, django_capture_on_commit_callbacks: Any
):
    settings.SIGNIN_FAILURES_PER_NAME = 2
    as_alice = client_for(alice)
    for n in range(2):
        change(as_alice, "thief@example.net", f"guess-{n}", django_capture_on_commit_callbacks)
    response = change(as_alice, "thief@example.net", PASSWORD, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert 'data-code="signin_throttled"' in response.content.decode()
    assert Client().post("/accounts/signin/", {"username": "alice", "password": PASSWORD}).status_code == 429


def test_what_is_not_an_address_is_refused_beside_its_field(
    alice: Any, django_capture_on_commit_callbacks: Any
):
    response = change(client_for(alice), "alice at home", PASSWORD, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-code="email_invalid"' in page
    assert 'value="alice at home" aria-invalid="true" aria-describedby="email-error"' in page


def test_alice_removes_her_address(alice: Any, django_capture_on_commit_callbacks: Any):
    confirm_email(alice, "alice@example.org")
    response = change(client_for(alice), "", PASSWORD, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and "saved=email_removed" in response["Location"]
    profile = Profile.objects.select_related("user").get(user=alice)
    assert profile.user.email == "" and profile.confirmed_email == ""


def test_karines_address_is_the_gazettes_to_change(karine: Any, django_capture_on_commit_callbacks: Any):
    response = change(client_for(karine), "k@example.net", "", django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert 'data-code="publisher_account"' in response.content.decode()
    karine.refresh_from_db()
    assert karine.email == "karine@example.org"
