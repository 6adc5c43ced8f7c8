"""Reports: bob reports the troll once; the troll cannot report himself out of trouble."""

from typing import Any

import pytest
from conftest import client_for
from django.test import Client

from townsquare.comments.models import Article, Comment, Report
from townsquare.comments.tests.conftest import api_post, counts, error_code, post
from townsquare.moderation.models import ModerationEvent


def url(comment: Comment) -> str:
    return f"/api/v1/comments/{comment.pk}/reports"


@pytest.fixture
def trolls_comment(troll: Any, article: Article) -> Comment:
    return post(troll, article, "You people are all the same.")


def test_bob_reports_the_trolls_comment(as_bob: Client, bob: Any, trolls_comment: Comment):
    response = api_post(as_bob, url(trolls_comment), {"reason": "harassment", "note": "  Attacks bob  "})

    assert response.status_code == 201, response.content
    assert response.json() == {"ok": True}
    report = Report.objects.get()
    assert (report.reporter_id, report.reason, report.note) == (bob.pk, "harassment", "Attacks bob")
    trolls_comment.refresh_from_db()
    assert trolls_comment.report_count == 1
    event = ModerationEvent.objects.get(action="report")
    assert (event.comment_id, event.actor_id, event.source) == (trolls_comment.pk, bob.pk, "reader")


def test_each_reader_reports_a_comment_once(as_bob: Client, trolls_comment: Comment):
    api_post(as_bob, url(trolls_comment), {"reason": "abuse"})
    before = counts()
    response = api_post(as_bob, url(trolls_comment), {"reason": "spam"})
    assert response.status_code == 409
    assert error_code(response) == "already_reported"
    assert counts() == before
    assert Report.objects.count() == 1


def test_two_readers_report_the_same_comment(as_bob: Client, alice: Any, trolls_comment: Comment):
    api_post(as_bob, url(trolls_comment), {"reason": "abuse"})
    api_post(client_for(alice), url(trolls_comment), {"reason": "abuse"})
    trolls_comment.refresh_from_db()
    assert trolls_comment.report_count == 2


def test_the_troll_cannot_report_his_own_comment(troll: Any, trolls_comment: Comment):
    before = counts()
    response = api_post(client_for(troll), url(trolls_comment), {"reason": "other"})
    assert response.status_code == 400
    assert error_code(response) == "report_own"
    assert counts() == before
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"reason": "boring"}, 400, "report_reason_invalid"),
        ({"reason": ""}, 400, "report_reason_invalid"),
        ({"reason": "abuse", "note": "x" * 501}, 400, "report_note_long"),
        ({"reason": "abuse", "note": "see\x00this"}, 400, "text_invalid"),
        ({"reason": "abuse", "note": "broken \ud800"}, 400, "text_invalid"),
        ({}, 422, "invalid_request"),
        ({"reason": ["abuse"]}, 422, "invalid_request"),
    ],
)
def test_bad_reports_change_nothing(
    as_bob: Client, trolls_comment: Comment, payload: dict[str, Any], status: int, code: str
):
    before = counts()
    response = api_post(as_bob, url(trolls_comment), payload)
    assert response.status_code == status
    assert error_code(response) == code
    assert counts() == before
    assert not Report.objects.exists()


def test_no_report_on_an_unknown_or_held_comment(as_bob: Client, alice: Any, article: Article):
    article.premoderate = True
    article.save()
    held = post(alice, article)
    for path in (url(held), "/api/v1/comments/999999/reports"):
        response = api_post(as_bob, path, {"reason": "abuse"})
        assert response.status_code == 404
        assert error_code(response) == "unknown_comment"
    assert not Report.objects.exists()


def test_an_anonymous_visitor_cannot_report(client: Client, trolls_comment: Comment):
    response = api_post(client, url(trolls_comment), {"reason": "abuse"})
    assert response.status_code == 401
    assert error_code(response) == "not_signed_in"


def test_bob_reports_through_the_page_and_is_thanked(as_bob: Client, trolls_comment: Comment):
    response = as_bob.post(
        f"/embed/c/{trolls_comment.pk}/report/", {"reason": "abuse", "note": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert Report.objects.count() == 1


def test_a_bad_report_through_the_page_shows_a_message(as_bob: Client, trolls_comment: Comment):
    response = as_bob.post(
        f"/embed/c/{trolls_comment.pk}/report/", {"reason": "boring"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "Unknown report reason" in response.content.decode()


def test_a_page_report_is_acknowledged_in_the_live_region(as_bob: Client, trolls_comment: Comment):
    response = as_bob.post(
        f"/embed/c/{trolls_comment.pk}/report/", {"reason": "harassment"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="ts-posted" hx-swap-oob="innerHTML">' in html and "A moderator will look at it." in html
    assert Report.objects.count() == 1
