"""alice downloads what Townsquare holds about her (GDPR Articles 15 and 20): her account, her
comments with their earlier versions, her reactions and her reports; nothing anyone else wrote."""

import json
from typing import Any

import pytest
from conftest import client_for, confirm_email
from django.test import Client

from townsquare.comments.actions import do_edit_comment, do_post_comment, do_react, do_report
from townsquare.comments.models import Article, Comment

pytestmark = pytest.mark.usefixtures("pipeline_without_model")
URL = "/accounts/me/data/"


def post(reader: Any, article: Article, body: str, parent: Comment | None = None) -> Comment:
    result = do_post_comment(
        reader=reader, article=article, body=body, parent_id=parent.pk if parent else None
    )
    assert result.comment is not None
    return result.comment


def download(client: Client) -> Any:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="townsquare-data-')
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_alices_file_holds_her_account_comments_reactions_and_reports(
    alice: Any, bob: Any, troll: Any, article: Article, django_assert_max_num_queries: Any
):
    confirm_email(alice, "alice@example.org")
    bobs = post(bob, article, "Bob thinks the talks will fail.")
    trolls = post(troll, article, "Whatever, sheep.")
    first = post(alice, article, "The talks are a good start.")
    do_edit_comment(reader=alice, comment_id=first.pk, body="The talks are a good start, at last.")
    reply = post(alice, article, "Why fail, Bob?", parent=bobs)
    post(bob, article, "Because they always do.", parent=reply)
    do_react(reader=alice, comment_id=bobs.pk, kind="like")
    do_report(reader=alice, comment_id=trolls.pk, reason="harassment", note="Calls us sheep.")

    as_alice = client_for(alice)
    with django_assert_max_num_queries(6):  # session, account, comments, versions, reactions, reports
        data = download(as_alice)

    assert data["account"] | {"signed_up_at": None, "last_signed_in_at": None} == {
        "user_name": "alice",
        "display_name": "Alice",
        "email": "alice@example.org",
        "email_confirmed": True,
        "reply_emails": True,
        "signed_up_at": None,
        "last_signed_in_at": None,
        "signs_in_through": None,
    }
    assert [(c["id"], c["body"], c["state"], c["in_reply_to"]) for c in data["comments"]] == [
        (first.pk, "The talks are a good start, at last.", "published", None),
        (reply.pk, "Why fail, Bob?", "published", bobs.pk),
    ]
    (edited, _) = data["comments"]
    assert [v["body"] for v in edited["earlier_versions"]] == ["The talks are a good start."]
    assert edited["article"] == {
        "title": "Peace talks",
        "address": "https://gazette.example/peace-talks",
        "key": "peace-talks",
    }
    assert edited["site"] == "The Gazette" and edited["created_at"] and edited["edited_at"]
    assert [(r["comment_id"], r["kind"]) for r in data["reactions"]] == [(bobs.pk, "like")]
    assert [(r["comment_id"], r["reason"], r["note"]) for r in data["reports"]] == [
        (trolls.pk, "harassment", "Calls us sheep.")
    ]
    text = json.dumps(data)
    for others in ("Bob thinks", "Because they always do", "Whatever, sheep"):
        assert others not in text


def test_bobs_file_holds_none_of_alices(alice: Any, bob: Any, article: Article):
    post(alice, article, "Alice's private musings.")
    post(bob, article, "Bob's point.")
    data = download(client_for(bob))
    assert [c["body"] for c in data["comments"]] == ["Bob's point."]
    assert "Alice" not in json.dumps(data)


def test_karines_file_says_who_signs_her_in(karine: Any):
    data = download(client_for(karine))
    assert data["account"]["signs_in_through"] == "The Gazette"
    assert data["account"]["email"] == "karine@example.org"


def test_only_the_reader_downloads_it(client: Client, db: None):
    assert client.get(URL).status_code == 302
