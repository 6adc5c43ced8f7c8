"""alice deletes her account (GDPR Article 17): her words and her name leave every thread and the
API, bob's replies stay where they were, the audit log says what happened, and she is signed out
everywhere. Her account's row stays, emptied, so the audit log and the threads hold together."""

import json
from datetime import timedelta
from typing import Any

import pytest
from conftest import PASSWORD, client_for, confirm_email, make_reader
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from townsquare.accounts.changes import do_change_display_name
from townsquare.accounts.models import Profile
from townsquare.comments.actions import (
    do_delete_comment,
    do_edit_comment,
    do_post_comment,
    do_react,
    do_report,
    ensure_article,
)
from townsquare.comments.models import Article, Comment, CommentRevision, Report
from townsquare.comments.notifications import notify_reply
from townsquare.moderation.models import ModerationEvent

pytestmark = pytest.mark.usefixtures("pipeline_without_model")
URL = "/accounts/me/delete/"
EMBED = "/embed/gazette/?key=peace-talks"
ATTACK = "Did you even finish school? Nobody with half a brain would write this."
ALICES = [
    "Peace needs patience.",
    "Patience, and money.",
    "Bob, the border is the key.",
    "A thought she took back.",
]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any, pipeline_without_model: None) -> None:
    """alice writes more in a minute here than the rate limits let through; they are not the story."""
    settings.MODERATION_PIPELINE = [
        e for e in settings.MODERATION_PIPELINE if not e["NAME"].endswith("RateLimits")
    ]


def post(reader: Any, article: Article, body: str, parent: Comment | None = None, **kw: Any) -> Comment:
    result = do_post_comment(
        reader=reader, article=article, body=body, parent_id=parent.pk if parent else None, **kw
    )
    assert result.comment is not None
    return result.comment


@pytest.fixture
def story(alice: Any, bob: Any, troll: Any, article: Article) -> dict[str, Comment]:
    """alice's comments in a thread: one bob answered, one edited, a reply to bob, one she deleted
    already, one held after a nudge; her reaction and her report."""
    confirm_email(alice, "alice@example.org")
    answered = post(alice, article, "Peace needs patience.")
    bobs_reply = post(bob, article, "Patience is not a policy.", parent=answered)
    edited = post(alice, article, "Patience.")
    do_edit_comment(reader=alice, comment_id=edited.pk, body="Patience, and money.")
    bobs = post(bob, article, "The border commission must meet.")
    her_reply = post(alice, article, "Bob, the border is the key.", parent=bobs)
    gone = post(alice, article, "A thought she took back.")
    do_delete_comment(reader=alice, comment_id=gone.pk)
    do_post_comment(reader=alice, article=article, body=ATTACK, nudge_acknowledged=False)
    held = post(alice, article, ATTACK, nudge_acknowledged=True)
    assert held.state == "held"
    do_react(reader=alice, comment_id=bobs.pk, kind="like")
    trolls = post(troll, article, "Sheep, all of you.")
    do_report(reader=alice, comment_id=trolls.pk, reason="harassment", note="He calls us sheep, again.")
    return {"answered": answered, "bobs_reply": bobs_reply, "edited": edited, "bobs": bobs,
            "her_reply": her_reply, "gone": gone, "held": held}  # fmt: skip


def delete(client: Client, confirmation: str = PASSWORD) -> Any:
    """Her request, and the jobs it queues (her comments' erasure), as in-process jobs run them."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, {"confirmation": confirmation, "next": EMBED})


def thread_json(client: Client, article: Article) -> str:
    response = client.get(f"/api/v1/articles/{article.pk}/comments?sort=oldest")
    assert response.status_code == 200
    return response.content.decode()


def test_alices_words_and_name_leave_the_thread_and_bobs_replies_stay(
    alice: Any, bob: Any, article: Article, story: dict[str, Comment]
):
    as_alice, as_bob = client_for(alice), client_for(bob)
    response = delete(as_alice)
    assert response.status_code == 200
    assert 'data-testid="account-deleted"' in response.content.decode()

    for client in (Client(), as_bob):
        api = thread_json(client, article)
        page = client.get(EMBED).content.decode()
        for text in [*ALICES, "Alice"]:
            assert text not in api and text not in page
        assert "Patience is not a policy." in api and "The border commission must meet." in api
    shown = json.loads(thread_json(Client(), article))["comments"]
    placeholder = next(c for c in shown if c["id"] == story["answered"].pk)
    assert (placeholder["status"], placeholder["html"], placeholder["author"]) == ("deleted", "", None)
    assert [r["id"] for r in placeholder["replies"]] == [story["bobs_reply"].pk]
    bobs = next(c for c in shown if c["id"] == story["bobs"].pk)
    assert (bobs["replies"], bobs["reply_count"], bobs["reaction_count"]) == ([], 0, 1)
    assert {c["id"] for c in shown} == {
        story["answered"].pk,
        story["bobs"].pk,
        Comment.objects.get(author__username="troll").pk,
    }

    for comment in Comment.objects.filter(author=alice):
        assert (comment.state, comment.body, comment.html, comment.fingerprint, comment.ip_hash) == (
            "deleted",
            "",
            "",
            "",
            "",
        )
        assert all(not r["text"] and r["span"] is None for r in comment.reasons)
    assert not CommentRevision.objects.filter(comment__author=alice).exists()


def test_every_step_is_in_the_audit_log_and_quotes_nothing_of_hers(
    alice: Any, gazette: Any, courier: Any, story: dict[str, Comment]
):
    harbour = post(alice, ensure_article(courier, "harbour"), "The harbour needs dredging.")
    delete(client_for(alice))
    deletions = ModerationEvent.objects.filter(action="delete", actor=alice, note="account deleted")
    # "gone" she had deleted before: it keeps its one deletion row.
    erased = {story[k].pk for k in ("answered", "edited", "her_reply", "held")} | {harbour.pk}
    assert {e.comment_id for e in deletions} == erased
    assert {(e.source, e.to_state) for e in deletions} == {("reader", "deleted")}
    accounts = ModerationEvent.objects.filter(action="delete_account").order_by("site_id")
    assert [(e.site, e.target_user, e.source) for e in accounts] == [
        (gazette, alice, "reader"),
        (courier, alice, "reader"),
    ]
    assert [e.note.rsplit(": ", 1)[1] for e in accounts] == ["5.", "1."]

    audit = json.dumps(list(ModerationEvent.objects.values("note", "reasons")))
    for words in ("finish school", "half a brain", "calls us sheep"):
        assert words not in audit
    assert Report.objects.get(reporter=alice).note == ""


def test_the_names_she_went_by_leave_the_audit_log_and_her_renames_stay(
    alice: Any, courier: Any, story: dict[str, Comment]
):
    post(alice, ensure_article(courier, "harbour"), "The harbour needs dredging.")
    do_change_display_name(alice, "Alice from Leeds")
    do_change_display_name(alice, "Alice L.")
    renames = ModerationEvent.objects.filter(action="rename", target_user=alice)
    assert renames.count() == 4  # two renames, on her two sites
    delete(client_for(alice))
    assert list(renames.values_list("note", flat=True)) == [""] * 4
    notes = json.dumps(list(ModerationEvent.objects.values_list("note", flat=True)), ensure_ascii=False)
    for name in ("Alice", "Leeds", "Alice L."):
        assert name not in notes


def test_alice_is_signed_out_everywhere_and_cannot_sign_in_again(alice: Any, story: dict[str, Comment]):
    elsewhere = Client()
    assert elsewhere.post("/accounts/signin/", {"username": "alice", "password": PASSWORD}).status_code == 302
    here = client_for(alice)
    delete(here)
    for client in (here, elsewhere):
        assert client.get("/api/v1/me").json() == {"signed_in": False, "display_name": None}
    assert Client().post("/accounts/signin/", {"username": "alice", "password": PASSWORD}).status_code == 200

    alice.refresh_from_db()
    assert alice.username == f"deleted-{alice.pk}" and alice.email == ""
    assert not alice.is_active and not alice.has_usable_password()
    profile = Profile.objects.get(user=alice)
    assert profile.display_name == f"Deleted reader {alice.pk}"
    assert (profile.confirmed_email, profile.reply_emails) == ("", False)


def test_a_reply_email_queued_before_the_deletion_is_not_sent(
    alice: Any, bob: Any, article: Article, story: dict[str, Comment]
):
    reply = post(bob, article, "Still there, alice?", parent=story["her_reply"])
    delete(client_for(alice))
    notify_reply(comment_id=reply.pk)  # the job, run after the deletion committed
    assert mail.outbox == []


def test_her_old_names_are_free_and_the_deleted_ones_are_nobodys(
    client: Client, alice: Any, story: dict[str, Comment]
):
    delete(client_for(alice))
    newcomer = make_reader("alice", "Alice")  # someone else now: nothing of the old alice comes along
    assert not Comment.objects.filter(author=newcomer).exists()
    for fields, why in (
        ({"username": f"deleted-{alice.pk}", "display_name": "Someone"}, "are kept for accounts made here"),
        (
            {"username": "someone", "display_name": f"Deleted reader {alice.pk}"},
            "are kept for deleted accounts",
        ),
    ):
        response = client.post("/accounts/signup/", {**fields, "password": "apricot orchard 1915"})
        assert response.status_code == 400
        assert why in response.content.decode()
    rename = client_for(newcomer).post("/accounts/me/name/", {"display_name": "deleted READER 1"})
    assert 'data-code="display_name_reserved"' in rename.content.decode()


def test_a_wrong_password_deletes_nothing(alice: Any, story: dict[str, Comment]):
    before = ModerationEvent.objects.count()
    response = delete(client_for(alice), "guess")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-code="password_incorrect"' in page
    assert 'aria-invalid="true" aria-describedby="form-error"' in page
    alice.refresh_from_db()
    assert alice.is_active and alice.username == "alice"
    assert ModerationEvent.objects.count() == before
    assert Comment.objects.get(pk=story["answered"].pk).body == "Peace needs patience."


def test_the_page_asks_first_and_a_post_needs_its_csrf_token(alice: Any, story: dict[str, Comment]):
    page = client_for(alice).get(URL, {"next": EMBED})
    assert page.status_code == 200
    assert "https://gazette.example" in page["Content-Security-Policy"]
    assert 'name="confirmation" type="password"' in page.content.decode()
    assert delete(client_for(alice, csrf=True)).status_code == 403
    alice.refresh_from_db()
    assert alice.is_active
    assert Client().post(URL, {"confirmation": PASSWORD}).status_code == 401


def test_karine_types_the_confirm_word(karine: Any, article: Article):
    post(karine, article, "From Lyon, with hope.")
    as_karine = client_for(karine)
    assert "Type “delete” to confirm" in as_karine.get(URL).content.decode()
    refused = delete(as_karine, "yes")
    assert refused.status_code == 400 and 'data-code="confirmation_word"' in refused.content.decode()
    assert delete(as_karine, " DELETE ").status_code == 200
    karine.refresh_from_db()
    assert not karine.is_active and karine.email == "" and karine.username.startswith("deleted-")
    assert Profile.objects.get(user=karine).external_id == ""
    assert "From Lyon" not in thread_json(Client(), article)


def test_an_administrators_account_is_removed_at_the_admin(db: None):
    sam = User.objects.create_superuser("sam", password=PASSWORD)
    response = delete(client_for(sam))
    assert response.status_code == 403 and 'data-code="staff_account"' in response.content.decode()
    sam.refresh_from_db()
    assert sam.is_active


def sign_in_again(sub: str = "reader-991") -> User:
    """The Gazette signs the same person in again, as the publisher does on their next page view."""
    import secrets
    import time

    import jwt

    from townsquare.accounts.tests.conftest import SSO_SECRET

    now = int(time.time())
    claims = {"sub": sub, "name": "Karine from Lyon", "jti": secrets.token_hex(8)}
    sso = jwt.encode({**claims, "iat": now, "exp": now + 300}, SSO_SECRET, algorithm="HS256")
    response = Client().get("/embed/gazette/", {"key": "peace-talks", "sso": sso})
    assert response.status_code == 302
    return User.objects.get(username__endswith=f"-{sub}", is_active=True)


def sanctions_in_force(reader: Any) -> set[tuple[str, str]]:
    from townsquare.moderation.models import ReaderSanction
    from townsquare.moderation.queues import active_sanctions_q

    in_force = ReaderSanction.objects.filter(active_sanctions_q(), user=reader)
    return {(s.site.slug, s.kind) for s in in_force}


def test_banned_karine_deletes_her_account_and_comes_back_banned(
    karine: Any, maria: Any, oscar: Any, article: Article, courier: Any
):
    """Deleting the account is no way out of a ban: the publisher signs the same person in again, the
    new account is banned too, and the audit log says the system put the ban back and why."""
    from townsquare.moderation.actions import do_ban, do_suspend, do_warn
    from townsquare.moderation.models import ReaderSanction

    post(karine, article, "You will all regret this.")
    post(karine, ensure_article(courier, "harbour"), "The harbour is a disgrace.")
    do_warn(maria, article.site, karine, reason="Tone it down.")
    do_ban(maria, article.site, karine, reason="Threats against other readers.")
    week = timezone.now() + timedelta(days=7)
    do_suspend(oscar, courier, karine, until=week, reason="Spam.")
    assert delete(client_for(karine), "delete").status_code == 200

    again = sign_in_again()
    assert again.pk != karine.pk
    # A warning restricts nothing and is not carried over; the measures that do are.
    assert sanctions_in_force(again) == {("gazette", "ban"), ("courier", "suspend")}
    ban = ReaderSanction.objects.get(user=again, kind="ban")
    assert (ban.reason, ban.until, ban.created_by) == ("Threats against other readers.", None, None)
    assert ReaderSanction.objects.get(user=again, kind="suspend").until == week
    event = ModerationEvent.objects.get(target_user=again, action="ban")
    assert (event.site, event.source, event.actor) == (article.site, "system", None)
    assert "deleted their account" in event.note
    refused = do_post_comment(reader=again, article=article, body="I am back.")
    assert refused.comment is not None and refused.comment.state == "rejected"

    # Put back once: the tombstone is gone, and the next sign-in is the same account as before.
    assert sign_in_again() == again
    assert ReaderSanction.objects.filter(user=again).count() == 2


def test_the_tombstone_knows_the_reader_only_by_a_keyed_hash(karine: Any, maria: Any, article: Article):
    import hashlib

    from townsquare.accounts.models import SanctionTombstone
    from townsquare.moderation.actions import do_ban

    post(karine, article, "You will all regret this.")
    do_ban(maria, article.site, karine, reason="Threats against other readers.")
    delete(client_for(karine), "delete")

    tombstone = SanctionTombstone.objects.get()
    assert (tombstone.site, tombstone.kind, tombstone.until) == (article.site, "ban", None)
    assert tombstone.reason == "Threats against other readers."
    stored = json.dumps(list(SanctionTombstone.objects.values()), default=str)
    for clear in ("reader-991", "Karine", "karine@example.org", "You will all regret"):
        assert clear not in stored
    # Not an unkeyed hash either: anyone could test a publisher's ids against that.
    site_id = article.site.pk
    for text in ("reader-991", f"{site_id}reader-991", f"{site_id}:reader-991", f"sso-{site_id}-reader-991"):
        for hashed in (hashlib.sha256, hashlib.md5, hashlib.sha1):
            assert hashed(text.encode()).hexdigest() not in stored


def test_a_suspension_that_ended_before_the_deletion_leaves_nothing_behind(
    karine: Any, maria: Any, article: Article
):
    from townsquare.accounts.models import SanctionTombstone
    from townsquare.moderation.actions import do_revoke_sanction, do_suspend
    from townsquare.moderation.models import ReaderSanction

    post(karine, article, "You will all regret this.")
    suspension = do_suspend(maria, article.site, karine, until=timezone.now() + timedelta(hours=1))
    ReaderSanction.objects.filter(pk=suspension.pk).update(until=timezone.now() - timedelta(minutes=1))
    lifted = do_suspend(maria, article.site, karine, until=timezone.now() + timedelta(hours=1))
    do_revoke_sanction(maria, lifted.pk, reason="A misunderstanding.")
    delete(client_for(karine), "delete")
    assert not SanctionTombstone.objects.exists()
    assert sanctions_in_force(sign_in_again()) == set()


def test_a_suspension_that_ends_after_the_deletion_is_not_put_back(
    karine: Any, maria: Any, article: Article, monkeypatch: pytest.MonkeyPatch
):
    """Suspended for an hour, deleted, back two hours later: the suspension is over, she starts clean."""
    from django.utils import timezone as django_timezone

    from townsquare.accounts.models import SanctionTombstone
    from townsquare.moderation.actions import do_suspend

    post(karine, article, "You will all regret this.")
    do_suspend(maria, article.site, karine, until=timezone.now() + timedelta(hours=1))
    delete(client_for(karine), "delete")
    assert SanctionTombstone.objects.count() == 1

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(django_timezone, "now", lambda: later)
    again = sign_in_again()
    assert sanctions_in_force(again) == set()
    assert not ModerationEvent.objects.filter(target_user=again).exists()
    assert not SanctionTombstone.objects.exists()


def test_a_ban_lifted_after_the_deletion_is_not_put_back(karine: Any, maria: Any, article: Article):
    """The desk still lists the deleted reader's ban; a moderator who lifts it there lifts it for good."""
    from townsquare.moderation.actions import do_ban, do_revoke_sanction

    post(karine, article, "You will all regret this.")
    ban = do_ban(maria, article.site, karine, reason="Threats against other readers.")
    delete(client_for(karine), "delete")
    do_revoke_sanction(maria, ban.pk, reason="Banned by mistake.")
    assert sanctions_in_force(sign_in_again()) == set()


def test_a_reader_with_a_password_here_leaves_no_tombstone(alice: Any, maria: Any, article: Article):
    """Nothing outside the account identifies her again: there is nobody to recognise."""
    from townsquare.accounts.models import SanctionTombstone
    from townsquare.moderation.actions import do_ban

    post(alice, article, "Peace needs patience.")
    do_ban(maria, article.site, alice)
    delete(client_for(alice))
    assert not SanctionTombstone.objects.exists()
