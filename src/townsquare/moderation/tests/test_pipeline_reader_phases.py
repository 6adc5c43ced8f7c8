"""Who posts, where and how often: sanctions, rate limits, repeats, history, trust, pre-moderation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.comments.actions import do_post_comment
from townsquare.comments.models import Comment, CommentState
from townsquare.moderation.models import ReaderSanction

pytestmark = pytest.mark.usefixtures("pipeline_without_model")


def post(reader, article, body, **kwargs):
    return do_post_comment(reader=reader, article=article, body=body, **kwargs).comment


@pytest.mark.parametrize(
    ("kind", "until", "state", "code"),
    [
        ("ban", None, "rejected", "reader_banned"),
        ("suspend", timedelta(days=1), "rejected", "reader_suspended"),
        ("premoderate", None, "held", "premod_reader"),
    ],
)
def test_sanctions_decide_the_trolls_comments(article, troll, maria, kind, until, state, code):
    ReaderSanction.objects.create(
        site=article.site,
        user=troll,
        kind=kind,
        created_by=maria,
        until=timezone.now() + until if until else None,
    )
    comment = post(troll, article, "A perfectly polite sentence.")
    assert (comment.state, comment.decided_by) == (state, code)


def test_an_expired_suspension_or_a_sanction_on_another_site_does_not_count(article, courier, troll, maria):
    ReaderSanction.objects.create(
        site=article.site, user=troll, kind="suspend", until=timezone.now() - timedelta(1)
    )
    ReaderSanction.objects.create(site=courier, user=troll, kind="ban")
    assert post(troll, article, "Back again, and polite.").state == CommentState.PUBLISHED


def test_a_reader_posting_too_fast_is_refused_with_a_plain_reason(article, alice, settings):
    limit = 5
    for n in range(limit):
        assert post(alice, article, f"Comment number {n} about the treaty text.").state == "published"
    result = do_post_comment(reader=alice, article=article, body="One more about the treaty.")
    assert result.comment.state == CommentState.REJECTED
    assert result.comment.decided_by == "rate_limited"


@pytest.fixture
def cache_down(monkeypatch):
    """Redis unreachable: the counters raise, as core.cache.ResilientRedisCache does."""
    from townsquare.core import counters

    def unreachable(windows):
        raise ValueError("counters not available: cache unreachable")

    monkeypatch.setattr(counters, "count", unreachable)


def test_with_the_cache_down_the_limits_hold_from_the_stored_comments(article, alice, bob, troll, cache_down):
    """Held "check unavailable" instead, the flood would be published by the re-check, which skips
    this phase."""
    for n in range(5):
        assert post(alice, article, f"Comment number {n} about the treaty text.").state == "published"
    sixth = post(alice, article, "One more about the treaty.")
    assert (sixth.state, sixth.decided_by) == ("rejected", "rate_limited")
    assert post(bob, article, "Bob's first word on it.").state == "published"
    article.site.policy = {"pipeline": {"RateLimits": {"OPTIONS": {"per_ip_minute": 1}}}}
    article.site.save()
    assert post(bob, article, "From the same cafe.", ip="203.0.113.7").state == "published"
    second = post(troll, article, "Also from the cafe, a minute later.", ip="203.0.113.7")
    assert (second.state, second.decided_by) == ("rejected", "rate_limited")


def test_the_same_address_is_limited_across_accounts(article, alice, bob, troll):
    article.site.policy = {"pipeline": {"RateLimits": {"OPTIONS": {"per_ip_minute": 3}}}}
    article.site.save()
    for n, reader in enumerate([alice, bob, troll]):
        assert (
            post(reader, article, f"Remark {n} on the border talks.", ip="203.0.113.7").state == "published"
        )
    fourth = post(alice, article, "Another remark on the talks.", ip="203.0.113.7")
    assert (fourth.state, fourth.decided_by) == ("rejected", "rate_limited")
    assert post(alice, article, "From home instead.", ip="198.51.100.2").state == "published"


def test_a_repeated_comment_is_rejected_and_a_near_copy_held(article, alice):
    text = "The delimitation commission has to meet before any treaty is signed, full stop."
    assert post(alice, article, text).state == "published"
    again = post(alice, article, text.upper())
    assert (again.state, again.decided_by) == ("rejected", "duplicate")
    near = post(alice, article, text.replace("full stop", "full stop!!") + " Really.")
    assert (near.state, near.decided_by) == ("held", "near_duplicate")


def test_a_comment_refused_for_a_passing_reason_may_be_sent_again(article, alice):
    text = "The delimitation commission has to meet before any treaty is signed."
    refused = Comment.objects.create(
        article=article,
        author=alice,
        body=text,
        html="",
        state=CommentState.REJECTED,
        decided_by="rate_limited",
    )
    again = post(alice, article, text)
    assert again.state == "published", again.reasons
    assert refused.pk != again.pk


def test_texts_without_words_are_not_copies_of_each_other(article, alice):
    assert post(alice, article, "👍").state == "published"
    for text in ("🎉🎉", "!!!"):
        assert post(alice, article, text).state == "published", text


def test_many_readers_posting_one_text_is_held_as_a_campaign(article, alice, bob, troll):
    text = "Everyone should read the truth about this treaty at the link in my profile today"
    assert post(alice, article, text).state == "published"
    # Case, spacing and punctuation do not make a copy new.
    assert post(bob, article, text.upper()).state == "published"
    third = post(troll, article, f"  {text}!!! ")
    assert (third.state, third.decided_by) == ("held", "copy_campaign")
    assert third.reasons[0]["text"] == "3 readers posted this same text within the hour."
    assert third.fingerprint == Comment.objects.get(author=alice).fingerprint != ""


def test_a_reader_whose_comments_are_mostly_rejected_waits_for_review(article, troll):
    for n in range(4):
        Comment.objects.create(
            article=article, author=troll, body=f"old {n}", html="", state=CommentState.REJECTED
        )
    comment = post(troll, article, "Now I am polite, honestly.")
    assert (comment.state, comment.decided_by) == ("held", "reader_history")
    assert comment.scores["rejected_share"] == 1.0


def test_a_new_readers_first_comments_are_premoderated_when_the_site_asks(article, alice):
    article.site.policy = {"new_reader_premoderation_count": 1}
    article.site.save()
    first = post(alice, article, "My first comment here.")
    assert (first.state, first.decided_by) == ("held", "new_reader")
    first.state = CommentState.PUBLISHED
    first.save()
    assert post(alice, article, "My second comment here.").state == "published"


def test_site_and_article_premoderation(article, alice):
    article.premoderate = True
    article.save()
    assert post(alice, article, "On a sensitive story.").decided_by == "premod_article"
    article.premoderate = False
    article.save()
    article.site.policy = {"premoderate_all": True}
    article.site.save()
    assert post(alice, article, "On any story.").decided_by == "premod_site"


def test_a_rude_comment_on_a_premoderated_article_is_still_rejected(article, alice):
    article.premoderate = True
    article.save()
    comment = post(alice, article, "I know where you live and I will find you.")
    assert comment.state == CommentState.REJECTED


def test_links_to_denied_domains_are_rejected_and_many_links_held(article, alice):
    article.site.policy = {"link_deny_domains": ["spam.example"], "link_allow_domains": ["gazette.example"]}
    article.site.save()
    denied = post(alice, article, "See https://www.spam.example/offer for details.")
    assert (denied.state, denied.decided_by) == ("rejected", "link_denied")
    many = post(alice, article, "Sources: a.com/1 b.org/2 c.net/3 d.info/4 and https://gazette.example/x")
    assert (many.state, many.decided_by) == ("held", "too_many_links")
    own = post(alice, article, "Our earlier story: https://gazette.example/a https://gazette.example/b")
    assert own.state == "published"


def test_closed_articles_refuse_before_the_pipeline(article, alice):
    from townsquare.errors import Conflict

    article.is_open = False
    article.save()
    with pytest.raises(Conflict):
        post(alice, article, "Too late?")
