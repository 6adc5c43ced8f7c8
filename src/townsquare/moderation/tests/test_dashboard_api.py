"""The moderators' JSON API: the desk's actions, with the same refusals, for integrations."""

import json

import pytest
from conftest import client_for

from townsquare.comments.models import CommentState
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.tests.desk_helpers import make_comment, make_many

API = "/api/v1/moderate"


def post_json(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def as_maria(maria):
    return client_for(maria)


def test_maria_reads_the_held_queue_with_reasons_and_scores(as_maria, troll, article):
    comment = make_comment(troll, article)
    data = as_maria.get(f"{API}/sites/gazette/queue?queue=held").json()
    assert data["counts"]["held"] == 1
    [item] = data["comments"]
    assert item["id"] == comment.pk
    assert item["author"] == "NightWatch88"
    assert item["reasons"][0]["span"] == [11, 16]
    assert item["scores"]["insult"] == pytest.approx(0.91)
    assert "email" not in json.dumps(data) and "ip_hash" not in json.dumps(data)


def test_approve_publishes_and_records_the_decision(as_maria, maria, troll, article):
    comment = make_comment(troll, article)
    response = post_json(as_maria, f"{API}/comments/{comment.pk}/approve")
    assert response.status_code == 200
    assert response.json()["state"] == "published"
    event = ModerationEvent.objects.get(pk=response.json()["event_id"])
    assert (event.source, event.actor, event.to_state) == ("moderator", maria, "published")


def test_reject_needs_a_policy_reason(as_maria, troll, article):
    comment = make_comment(troll, article)
    bad = post_json(as_maria, f"{API}/comments/{comment.pk}/reject", {"reason": "because"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "reject_reason_invalid"
    missing = post_json(as_maria, f"{API}/comments/{comment.pk}/reject", {})
    assert missing.status_code == 422
    ok = post_json(as_maria, f"{API}/comments/{comment.pk}/reject", {"reason": "incivility"})
    assert ok.json()["state"] == "rejected"


def test_bulk_reject_of_fifty(as_maria, troll, article):
    comments = make_many(troll, article, 50)
    response = post_json(
        as_maria,
        f"{API}/sites/gazette/bulk",
        {"action": "reject", "ids": [c.pk for c in comments], "reason": "spam"},
    )
    assert response.status_code == 200
    assert len(response.json()["decisions"]) == 50
    assert {c.state for c in type(comments[0]).objects.filter(pk__in=[c.pk for c in comments])} == {
        CommentState.REJECTED
    }


def test_bulk_with_a_bad_action_is_a_validation_error(as_maria, troll, article):
    comment = make_comment(troll, article)
    response = post_json(as_maria, f"{API}/sites/gazette/bulk", {"action": "delete", "ids": [comment.pk]})
    assert response.status_code == 422


def test_anonymous_callers_get_401(client, troll, article):
    from django.test import Client

    comment = make_comment(troll, article)
    response = post_json(client, f"{API}/comments/{comment.pk}/approve")
    assert response.status_code == 401
    assert client.get(f"{API}/sites/gazette/queue").status_code == 401
    # Also where CSRF is checked, as in a browser: not signed in is the answer, not a failed token.
    strict = post_json(Client(enforce_csrf_checks=True), f"{API}/comments/{comment.pk}/approve")
    assert (strict.status_code, strict.json()["error"]["code"]) == (401, "not_signed_in")


def test_writes_need_the_csrf_token(maria, troll, article):
    comment = make_comment(troll, article)
    strict = client_for(maria, csrf=True)
    assert post_json(strict, f"{API}/comments/{comment.pk}/approve").status_code == 403
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD


def test_the_api_is_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/moderate/comments/{comment_id}/approve" in paths
    assert "/api/v1/moderate/sites/{site_slug}/bulk" in paths


def test_bulk_with_an_id_past_any_table_is_refused_whole(as_maria, troll, article):
    comment = make_comment(troll, article)
    response = post_json(
        as_maria, f"{API}/sites/gazette/bulk", {"action": "approve", "ids": [comment.pk, 10**20]}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_comment"
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD


@pytest.mark.parametrize("body", ["[]", "null", '"x"', "42", "true"])
def test_approve_with_a_body_that_is_not_an_object_changes_nothing(as_maria, troll, article, body):
    comment = make_comment(troll, article)
    response = as_maria.post(f"{API}/comments/{comment.pk}/approve", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "malformed_request",
        "message": "The request body must be a JSON object.",
    }
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD


def test_approve_without_a_body_or_with_a_note(as_maria, troll, article):
    first, second = make_comment(troll, article), make_comment(troll, article)
    empty = as_maria.post(f"{API}/comments/{first.pk}/approve", "", content_type="application/json")
    assert empty.status_code == 200
    assert post_json(as_maria, f"{API}/comments/{second.pk}/approve", {"note": "Fine."}).status_code == 200
    assert ModerationEvent.objects.filter(comment=second, note="Fine.").exists()


def test_a_decision_sent_with_an_old_version_is_refused_with_409(as_maria, ada, troll, article):
    from townsquare.moderation.actions import do_reject

    comments = [make_comment(troll, article) for _ in range(2)]
    listed = {c["id"]: c["version"] for c in as_maria.get(f"{API}/sites/gazette/queue").json()["comments"]}
    do_reject(ada, comments[0], "guidelines")
    stale = post_json(as_maria, f"{API}/comments/{comments[0].pk}/approve", {"seen": listed[comments[0].pk]})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "changed_meanwhile"
    bulk = post_json(
        as_maria,
        f"{API}/sites/gazette/bulk",
        {"action": "approve", "ids": [c.pk for c in comments], "seen": listed},
    )
    assert bulk.status_code == 409
    assert str(comments[0].pk) in bulk.json()["error"]["message"]
    assert {c.state for c in type(comments[0]).objects.filter(pk__in=listed)} == {"rejected", "held"}
    fresh = post_json(as_maria, f"{API}/comments/{comments[1].pk}/approve", {"seen": listed[comments[1].pk]})
    assert fresh.status_code == 200
