"""A forgotten password: alice asks for a link at the address she confirmed and chooses a new one.

Only a confirmed address is mailed, and the page answers an address nobody has in the same words, so
nobody learns who has an account; nobody floods an inbox through the form; karine, whom the Gazette
signs in, is told that her password is the Gazette's.
"""

import re
from typing import Any
from urllib.parse import urlsplit

from conftest import PASSWORD, confirm_email
from django.core import mail
from django.test import Client

from townsquare.accounts.passwords import RESETS_PER_ADDRESS_HOUR, RESETS_PER_CLIENT_HOUR

RESET = "/accounts/password/reset/"
NEW = "a quiet harbour at dawn"
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.7"}


def ask(client: Client, email: str, capture: Any, **extra: Any) -> Any:
    with capture(execute=True):
        return client.post(RESET, {"email": email, "next": "/embed/gazette/?key=x"}, **extra)


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", message.body)
    assert found is not None, message.body
    return urlsplit(found.group(0)).path


def signs_in(username: str, password: str) -> bool:
    response = Client().post("/accounts/signin/", {"username": username, "password": password})
    return response.status_code == 302


def test_alice_resets_her_password_through_the_link_she_is_mailed(
    client: Client, alice: Any, django_capture_on_commit_callbacks: Any
):
    confirm_email(alice, "alice@example.org")
    response = ask(client, "Alice@Example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert 'data-testid="reset-sent"' in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "alice" in message.body and "within 3 days" in message.body  # her user name too

    # Django's view: the token moves from the address into the session, then the form.
    form_page = client.get(link_in(message), follow=True)
    assert form_page.status_code == 200 and "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    mismatch = client.post(set_url, {"new_password1": NEW, "new_password2": NEW + "!"})
    page = mismatch.content.decode()
    assert mismatch.status_code == 200 and 'aria-invalid="true"' in page and 'role="alert"' in page
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    assert "Password changed" in client.get(done["Location"]).content.decode()

    assert signs_in("alice", NEW) and not signs_in("alice", PASSWORD)
    used_again = Client().get(link_in(message), follow=True).content.decode()
    assert 'data-code="reset_link_invalid"' in used_again


def test_an_unconfirmed_or_unknown_address_gets_the_same_answer_and_no_mail(
    alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
):
    """bob gave an address at sign-up and never confirmed it: it may be someone else's."""
    confirm_email(alice, "alice@example.org")
    bob.email = "bob@example.org"
    bob.save()
    pages = {}
    for email in ("alice@example.org", "bob@example.org", "nobody@example.org"):
        response = ask(Client(), email, django_capture_on_commit_callbacks)
        assert response.status_code == 200
        page = response.content.decode().replace(email, "ADDRESS")
        pages[email] = re.sub(r'"X-CSRFToken": "\w+"', "", page)
    assert pages["alice@example.org"] == pages["bob@example.org"] == pages["nobody@example.org"]
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_karine_whom_the_gazette_signs_in_is_told_she_has_no_password_here(
    client: Client, karine: Any, django_capture_on_commit_callbacks: Any
):
    response = ask(client, "karine@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 200 and 'data-testid="reset-sent"' in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["karine@example.org"]
    assert "The Gazette" in message.body and "no password here" in message.body
    assert "/accounts/password/reset/" not in message.body
    assert "reset it at the news site" in client.get(RESET).content.decode()


def test_one_address_gets_a_few_links_however_it_is_asked_for(
    alice: Any, django_capture_on_commit_callbacks: Any
):
    confirm_email(alice, "alice@example.org")
    for n in range(RESETS_PER_ADDRESS_HOUR):
        ask(Client(REMOTE_ADDR=f"198.51.100.{n}"), "alice@example.org", django_capture_on_commit_callbacks)
    refused = ask(Client(), "ALICE@example.org", django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert 'data-code="reset_throttled"' in page and 'value="ALICE@example.org"' in page
    assert len(mail.outbox) == RESETS_PER_ADDRESS_HOUR
    # An address nobody has is refused alike: the refusal tells nothing either.
    for _ in range(RESETS_PER_ADDRESS_HOUR):
        ask(Client(), "nobody@example.org", django_capture_on_commit_callbacks)
    assert ask(Client(), "nobody@example.org", django_capture_on_commit_callbacks).status_code == 429


def test_one_client_asking_for_many_addresses_is_refused(alice: Any, django_capture_on_commit_callbacks: Any):
    confirm_email(alice, "alice@example.org")
    client = Client()
    for n in range(RESETS_PER_CLIENT_HOUR):
        assert ask(client, f"guess-{n}@example.org", django_capture_on_commit_callbacks).status_code == 200
    assert ask(client, "alice@example.org", django_capture_on_commit_callbacks).status_code == 429
    assert mail.outbox == []
    elsewhere = ask(Client(**ELSEWHERE), "alice@example.org", django_capture_on_commit_callbacks)
    assert elsewhere.status_code == 200
    assert len(mail.outbox) == 1


def test_what_is_not_an_address_is_refused_and_kept_in_the_form(
    client: Client, django_capture_on_commit_callbacks: Any, db: None
):
    response = ask(client, "alice at example", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-code="email_invalid"' in page and 'value="alice at example"' in page
    assert 'aria-invalid="true" ' in page or 'aria-invalid="true">' in page
    assert 'aria-describedby="form-error"' in page


def test_the_sign_in_page_links_to_the_reset_and_the_frame_may_show_it(client: Client, gazette: Any):
    signin = client.get("/accounts/signin/", {"next": "/embed/gazette/?key=x"}).content.decode()
    assert 'href="/accounts/password/reset/?next=/embed/gazette/%3Fkey%3Dx"' in signin
    response = client.get(RESET, {"next": "/embed/gazette/?key=x"})
    assert "https://gazette.example" in response["Content-Security-Policy"]


def test_asking_needs_the_pages_csrf_token(alice: Any, django_capture_on_commit_callbacks: Any):
    confirm_email(alice, "alice@example.org")
    response = ask(Client(enforce_csrf_checks=True), "alice@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert mail.outbox == []
