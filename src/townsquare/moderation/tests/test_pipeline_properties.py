"""Properties of the whole pipeline, over generated input (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.comments.actions import do_post_comment
from townsquare.comments.models import Comment, CommentState
from townsquare.errors import InvalidInput
from townsquare.moderation import pipeline
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.tests.test_detectors_obfuscation import BANNED_WORDS, DISGUISES

FIXTURES_OK = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FIXTURES_OK
@given(text=st.text(min_size=0, max_size=400))
def test_any_unicode_ends_in_exactly_one_state_with_one_audit_row(article, alice, text):
    comments, events = Comment.objects.count(), ModerationEvent.objects.count()
    try:
        result = do_post_comment(reader=alice, article=article, body=text)
    except InvalidInput:
        # Empty or NUL-bearing text: refused with a clear error, nothing stored.
        assert (Comment.objects.count(), ModerationEvent.objects.count()) == (comments, events)
        return
    assert Comment.objects.count() == comments + 1
    stored = Comment.objects.get(pk=result.comment.pk)
    assert stored.state in CommentState.values
    assert ModerationEvent.objects.filter(comment=stored).count() == 1
    for reason in stored.reasons:
        if reason["span"] is not None:
            start, end = reason["span"]
            assert 0 <= start <= end <= len(stored.body)


@FIXTURES_OK
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=2000))
def test_no_input_crashes_the_dry_run(gazette, text):
    decision = pipeline.dry_run(text, gazette)
    assert decision.state in CommentState.values
    assert not decision.recheck, decision.reasons[:1]


@FIXTURES_OK
@given(word=st.sampled_from(BANNED_WORDS), disguise=st.sampled_from(DISGUISES), seed=st.integers(0, 10_000))
def test_obfuscated_banned_words_are_rejected_by_the_pipeline(gazette, word, disguise, seed):
    import random

    disguised = disguise(word, random.Random(seed))
    decision = pipeline.dry_run(f"You are such a {disguised}, honestly.", gazette)
    assert decision.state == CommentState.REJECTED, (disguised, decision.reasons)
    assert decision.decided_by == "banned_word"
