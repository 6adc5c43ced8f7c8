"""alice's account page: reached from the comments frame, where she changes her display name and
says whether replies are e-mailed to her. karine's name comes from the Gazette: she only sees it."""

from typing import Any

from conftest import client_for
from django.test import Client

from townsquare.accounts.changes import NAME_CHANGES_PER_DAY
from townsquare.accounts.models import Profile

ME = "/accounts/me/"
EMBED = "/embed/gazette/?key=peace-talks"


def rename(client: Client, name: str) -> Any:
    return client.post("/accounts/me/name/", {"display_name": name, "next": EMBED})


def test_the_comments_frame_leads_alice_to_her_account_page_and_back(as_alice: Client, article: Any):
    thread = as_alice.get(EMBED).content.decode()
    assert 'href="/accounts/me/?next=/embed/gazette/%3Fkey%3Dpeace-talks"' in thread
    response = as_alice.get(ME, {"next": EMBED})
    assert response.status_code == 200
    assert "https://gazette.example" in response["Content-Security-Policy"]  # shown in the frame
    page = response.content.decode()
    assert 'value="Alice"' in page and f'href="{EMBED}"' in page
    assert "You have given no address" in page


def test_someone_not_signed_in_is_sent_to_sign_in_first(client: Client, db: None):
    response = client.get(ME, {"next": EMBED})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/?next=%2Faccounts%2Fme%2F%3Fnext%3D")
    assert client.post("/accounts/me/name/", {"display_name": "Anyone"}).status_code == 401


def test_alice_changes_her_display_name_and_the_thread_shows_it(as_alice: Client, alice: Any, article: Any):
    response = rename(as_alice, "  Alice   from Leeds ")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/me/?next=") and "saved=name" in response["Location"]
    page = as_alice.get(response["Location"]).content.decode()
    assert 'data-testid="saved"' in page and "display name is changed" in page
    assert Profile.objects.get(user=alice).display_name == "Alice from Leeds"
    assert 'data-testid="display-name">Alice from Leeds<' in as_alice.get(EMBED).content.decode()


def test_a_taken_name_is_refused_beside_the_field_and_the_typed_name_kept(
    as_alice: Client, alice: Any, bob: Any
):
    response = rename(as_alice, "BOB")
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="name-error" data-code="display_name_taken"' in page
    assert 'value="BOB" aria-describedby="name-error" aria-invalid="true" autofocus' in page
    assert Profile.objects.get(user=alice).display_name == "Alice"


def test_the_name_goes_through_the_checks_of_sign_up(as_alice: Client, alice: Any):
    for name, code in (
        ("Bob\u200b", "display_name_invalid"),
        ("", "display_name_required"),
        ("x" * 61, "display_name_long"),
    ):
        response = rename(as_alice, name)
        assert response.status_code == 400
        assert f'data-code="{code}"' in response.content.decode()
    assert Profile.objects.get(user=alice).display_name == "Alice"


def test_alice_cannot_put_on_a_new_face_every_hour(as_alice: Client, alice: Any):
    for n in range(NAME_CHANGES_PER_DAY):
        assert rename(as_alice, f"Alice {n}").status_code == 302
    response = rename(as_alice, "Alice again")
    assert response.status_code == 429
    assert 'data-code="display_name_throttled"' in response.content.decode()
    assert Profile.objects.get(user=alice).display_name == f"Alice {NAME_CHANGES_PER_DAY - 1}"


def test_alice_turns_reply_emails_off_and_on(as_alice: Client, alice: Any):
    response = as_alice.post("/accounts/me/replies/", {"next": EMBED})  # the box unticked
    assert response.status_code == 302 and "saved=replies_off" in response["Location"]
    assert Profile.objects.get(user=alice).reply_emails is False
    page = as_alice.get(ME).content.decode()
    assert 'name="reply_emails" value="on" aria-describedby="replies-note"' in page  # not ticked
    as_alice.post("/accounts/me/replies/", {"reply_emails": "on"})
    assert Profile.objects.get(user=alice).reply_emails is True


def test_karine_sees_the_name_and_address_the_gazette_gave_and_cannot_change_them(karine: Any):
    as_karine = client_for(karine)
    page = as_karine.get(ME).content.decode()
    assert "through your account at The Gazette" in page
    assert 'data-testid="display-name">Karine from Lyon<' in page and "karine@example.org" in page
    assert 'name="display_name"' not in page and 'name="old_password"' not in page
    assert 'name="reply_emails"' in page  # that one is hers to choose

    response = rename(as_karine, "Someone else")
    assert response.status_code == 403
    assert 'data-code="publisher_account"' in response.content.decode()
    assert Profile.objects.get(user=karine).display_name == "Karine from Lyon"


def test_every_change_needs_the_pages_csrf_token(alice: Any):
    client = client_for(alice, csrf=True)
    assert rename(client, "Alice the Second").status_code == 403
    assert client.post("/accounts/me/replies/", {}).status_code == 403
    assert Profile.objects.get(user=alice).display_name == "Alice"
    assert Profile.objects.get(user=alice).reply_emails is True
