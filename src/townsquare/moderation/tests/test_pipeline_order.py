"""The pipeline's rules: first decisive verdict wins, overrides, every score kept, site overrides."""

import pytest

from townsquare.comments.actions import do_post_comment
from townsquare.comments.models import CommentState
from townsquare.moderation import pipeline
from townsquare.moderation.models import ModerationEvent

T = "townsquare.moderation.tests.phases_for_tests"


def entry(cls, id=None, **options):
    item = {"NAME": f"{T}.{cls}", "OPTIONS": options}
    if id:
        item["ID"] = id
    return item


@pytest.fixture
def configured(settings):
    def configure(*entries):
        settings.MODERATION_PIPELINE = list(entries)

    return configure


def test_first_decisive_verdict_wins_and_every_score_is_kept(configured, article, alice):
    configured(
        entry("Abstains"),
        entry("Says", id="first", action="hold", code="held_first"),
        entry("Says", id="second", action="reject", code="rejected_second"),
    )
    result = do_post_comment(reader=alice, article=article, body="Some text")
    comment = result.comment
    assert comment.state == CommentState.HELD
    assert comment.decided_by == "held_first"
    assert [r["code"] for r in comment.reasons] == ["held_first", "rejected_second"]
    assert comment.scores == {"abstainer": 0.1, "first_score": 0.5, "second_score": 0.5}
    event = ModerationEvent.objects.get(comment=comment)
    assert (event.action, event.from_state, event.to_state, event.phase) == ("post", "", "held", "first")


def test_a_later_phase_marked_override_replaces_the_decision(configured, article, alice):
    configured(
        entry("Says", id="words", action="hold", code="suspect_word"),
        entry("Says", id="staff", action="publish", code="staff", override=True),
    )
    comment = do_post_comment(reader=alice, article=article, body="Some text").comment
    assert comment.state == CommentState.PUBLISHED
    assert comment.decided_by == "staff"


def test_no_decisive_verdict_publishes(configured, article, alice):
    configured(entry("Abstains"))
    assert do_post_comment(reader=alice, article=article, body="Hello").comment.state == "published"


def test_a_site_can_switch_a_phase_off_and_change_its_options(configured, article, alice):
    configured(entry("Says", id="strict", action="reject", code="strict"), entry("Abstains"))
    site = article.site
    site.policy = {"pipeline": {"strict": {"enabled": False}}}
    site.save()
    assert do_post_comment(reader=alice, article=article, body="One").comment.state == "published"
    site.policy = {"pipeline": {"strict": {"OPTIONS": {"action": "hold"}}}}
    site.save()
    assert do_post_comment(reader=alice, article=article, body="Two").comment.state == "held"


def test_an_unknown_phase_option_is_a_clear_error(configured, article):
    configured(entry("Says", colour="blue"))
    with pytest.raises(ValueError, match="no option colour"):
        pipeline.phases_for(article.site)


def test_the_default_pipeline_publishes_civil_text_and_rejects_a_slur_spelled_with_symbols(article, alice):
    civil = do_post_comment(reader=alice, article=article, body="The ceasefire terms look fragile to me.")
    assert civil.comment.state == CommentState.PUBLISHED
    slur = do_post_comment(reader=alice, article=article, body="You are a f4gg0t")
    assert slur.comment.state == CommentState.REJECTED
    assert slur.comment.decided_by == "banned_word"
    start, end = slur.comment.reasons[0]["span"]
    assert slur.comment.body[start:end] == "f4gg0t"
