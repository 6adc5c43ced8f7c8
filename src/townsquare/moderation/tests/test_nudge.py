"""The nudge: the reader sees what may break the guidelines and may rephrase; both submits are recorded."""

import json

import pytest

from townsquare.comments.actions import do_post_comment
from townsquare.comments.models import Comment
from townsquare.moderation.models import ModerationEvent

pytestmark = pytest.mark.usefixtures("pipeline_without_model")

ATTACK = "Did you even finish school? Nobody with half a brain would write this."


def test_the_first_submit_nudges_and_stores_nothing_but_the_audit_row(article, troll):
    result = do_post_comment(reader=troll, article=article, body=ATTACK, nudge_acknowledged=False)
    assert result.nudged
    assert result.decision.nudge[0]["code"] == "personal_attack"
    assert result.decision.nudge[0]["excerpt"]
    assert not Comment.objects.exists()
    nudge = ModerationEvent.objects.get(action="nudge")
    assert (nudge.target_user, nudge.note) == (troll, ATTACK)


def test_a_rephrased_comment_goes_through(article, troll):
    do_post_comment(reader=troll, article=article, body=ATTACK, nudge_acknowledged=False)
    result = do_post_comment(
        reader=troll,
        article=article,
        body="I disagree with this reading of the treaty.",
        nudge_acknowledged=False,
    )
    assert result.comment.state == "published"


def test_posting_anyway_goes_through_the_pipeline_and_is_held(article, troll):
    do_post_comment(reader=troll, article=article, body=ATTACK, nudge_acknowledged=False)
    result = do_post_comment(reader=troll, article=article, body=ATTACK, nudge_acknowledged=True)
    assert result.comment.state == "held"
    event = ModerationEvent.objects.get(comment=result.comment)
    assert event.note == "posted after a nudge"
    assert ModerationEvent.objects.filter(action="nudge").count() == 1


def test_rejections_are_not_nudged(article, troll):
    result = do_post_comment(
        reader=troll, article=article, body="I will find you and kill you.", nudge_acknowledged=False
    )
    assert result.comment.state == "rejected"


def test_a_site_can_turn_the_nudge_off(article, troll):
    article.site.policy = {"nudge_enabled": False}
    article.site.save()
    result = do_post_comment(reader=troll, article=article, body=ATTACK, nudge_acknowledged=False)
    assert result.comment.state == "held"


def test_the_api_returns_the_nudge_then_stores_on_the_second_submit(article, troll):
    from conftest import client_for

    client = client_for(troll)
    url = f"/api/v1/articles/{article.pk}/comments"
    first = client.post(url, {"body": ATTACK}, content_type="application/json")
    assert first.status_code == 200
    payload = first.json()
    assert payload["outcome"] == "nudge" and payload["comment"] is None
    assert payload["nudge"][0]["code"] == "personal_attack"
    assert "score" not in json.dumps(payload)
    second = client.post(url, {"body": ATTACK, "nudge_acknowledged": True}, content_type="application/json")
    assert second.status_code == 201
    assert second.json()["outcome"] == "awaiting_review"
    assert second.json()["comment"]["status"] == "awaiting_review"


def test_the_reader_page_shows_the_nudge_and_a_post_anyway_button(article, troll):
    from conftest import client_for

    client = client_for(troll)
    response = client.post(f"/embed/a/{article.pk}/comments/", {"body": ATTACK}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="nudge"' in html and "Post anyway" in html
    assert 'name="nudge_acknowledged" value="1"' in html
    again = client.post(
        f"/embed/a/{article.pk}/comments/",
        {"body": ATTACK, "nudge_acknowledged": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "awaiting review" in again.content.decode().lower()
    assert Comment.objects.get().state == "held"


def test_a_refused_comment_shows_the_policy_reason_not_a_score_and_is_not_listed(article, troll):
    from conftest import client_for

    client = client_for(troll)
    response = client.post(
        f"/embed/a/{article.pk}/comments/", {"body": "I will find you and kill you."}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Threats and calls for violence are not allowed here" in html
    assert "data-comment=" not in html and "%" not in html
