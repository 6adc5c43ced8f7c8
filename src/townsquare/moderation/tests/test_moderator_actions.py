"""Every moderator write: what it changes, the audit row it leaves, and whom it refuses."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townsquare.comments.actions import do_report
from townsquare.comments.models import Comment, CommentState, Report
from townsquare.comments.threads import thread_page
from townsquare.errors import Conflict, Forbidden, InvalidInput, NotFound
from townsquare.moderation import actions
from townsquare.moderation.models import ModerationEvent, ReaderSanction
from townsquare.moderation.tests.desk_helpers import make_comment, make_many

S = CommentState


def visible_ids(article, viewer=None):
    page = thread_page(article, viewer, limit=100)
    ids = []
    for node in page.nodes:
        ids.append(node.comment.pk)
        ids.extend(r.comment.pk for r in node.replies)
    return ids


def test_approve_publishes_at_once_in_the_reader_thread(maria, troll, article):
    comment = make_comment(troll, article)
    assert comment.pk not in visible_ids(article)
    event = actions.do_approve(maria, comment)
    assert comment.pk in visible_ids(article)
    assert (event.source, event.action, event.actor, event.from_state, event.to_state) == (
        "moderator", "approve", maria, "held", "published",
    )  # fmt: skip
    comment.refresh_from_db()
    assert comment.decided_by == "moderator_approved"


def test_reject_hides_a_published_comment(maria, alice, article):
    comment = make_comment(alice, article, "Plain text.", state=S.PUBLISHED)
    actions.do_reject(maria, comment, "off_topic", note="Not about the article")
    assert comment.pk not in visible_ids(article)
    event = ModerationEvent.objects.filter(action="reject").get()
    assert event.note == "Not about the article"
    assert event.reasons[-1] == {"code": "off_topic", "text": "Off topic", "span": None, "phase": "moderator"}


def test_reject_keeps_the_pipelines_reasons_for_the_record(maria, troll, article):
    comment = make_comment(troll, article)
    actions.do_reject(maria, comment, "incivility")
    comment.refresh_from_db()
    assert [r["code"] for r in comment.reasons] == ["insult", "incivility"]
    assert comment.decided_by == "incivility"


def test_decisions_are_what_retraining_reads(maria, troll, article):
    a, b, _ = make_many(troll, article, 3)
    actions.do_approve(maria, a)
    actions.do_reject(maria, b, "spam")
    decisions = ModerationEvent.objects.filter(source="moderator", to_state__in=("published", "rejected"))
    assert sorted(decisions.values_list("comment_id", "to_state")) == [
        (a.pk, "published"),
        (b.pk, "rejected"),
    ]


def test_a_deleted_comment_cannot_be_approved(maria, troll, article):
    comment = make_comment(troll, article, state=S.PUBLISHED)
    Comment.objects.filter(pk=comment.pk).update(state=S.DELETED)
    comment.refresh_from_db()
    with pytest.raises(Conflict):
        actions.do_approve(maria, comment)


def test_approving_resolves_open_reports(maria, alice, bob, article):
    comment = make_comment(alice, article, "A sharp opinion.", state=S.PUBLISHED)
    do_report(reader=bob, comment_id=comment.pk, reason="abuse")
    actions.do_approve(maria, comment)
    comment.refresh_from_db()
    assert comment.report_count == 0
    assert not Report.objects.filter(resolved=False).exists()


def test_resolve_reports_keeps_the_comment_published(maria, alice, bob, article):
    comment = make_comment(alice, article, "A sharp opinion.", state=S.PUBLISHED)
    do_report(reader=bob, comment_id=comment.pk, reason="abuse")
    comment.refresh_from_db()
    event = actions.do_resolve_reports(maria, comment, note="Fair criticism")
    comment.refresh_from_db()
    assert (comment.state, comment.report_count, event.action) == (S.PUBLISHED, 0, "resolve_reports")


def bulk_queries(maria, gazette, comments, verb):
    with CaptureQueriesContext(connection) as ctx:
        if verb == "approve":
            actions.do_bulk_approve(maria, gazette, [c.pk for c in comments])
        else:
            actions.do_bulk_reject(maria, gazette, [c.pk for c in comments], "spam")
    return len(ctx.captured_queries)


@pytest.mark.parametrize("verb", ["approve", "reject"])
def test_bulk_writes_one_audit_row_per_comment_in_a_bounded_number_of_queries(
    maria, troll, gazette, article, verb
):
    few = make_many(troll, article, 5)
    many = make_many(troll, article, 50)
    q_few = bulk_queries(maria, gazette, few, verb)
    q_many = bulk_queries(maria, gazette, many, verb)
    # Per comment: its UPDATE and its audit row INSERT; everything else is constant.
    assert q_many - q_few <= 45 * 2
    expected = "published" if verb == "approve" else "rejected"
    assert ModerationEvent.objects.filter(source="moderator", action=verb, to_state=expected).count() == 55


def test_bulk_is_all_or_nothing(maria, troll, oscar, gazette, article, courier):
    from townsquare.comments.actions import ensure_article

    mine = make_comment(troll, article)
    theirs = make_comment(troll, ensure_article(courier, "elsewhere"))
    with pytest.raises(NotFound):
        actions.do_bulk_reject(maria, gazette, [mine.pk, theirs.pk], "spam")
    mine.refresh_from_db()
    assert mine.state == S.HELD
    with pytest.raises(InvalidInput):
        actions.do_bulk_approve(maria, gazette, [])
    with pytest.raises(InvalidInput):
        actions.do_bulk_reject(maria, gazette, [mine.pk], "not-a-reason")


@pytest.mark.parametrize(
    "measure,kind",
    [(actions.do_warn, "warn"), (actions.do_ban, "ban"), (actions.do_always_premoderate, "premoderate")],
)
def test_measures_against_a_reader(maria, troll, gazette, measure, kind):
    sanction = measure(maria, gazette, troll, reason="Insults other readers")
    assert (sanction.kind, sanction.until, sanction.created_by) == (kind, None, maria)
    event = ModerationEvent.objects.get(action=kind)
    assert (event.target_user, event.actor, event.source) == (troll, maria, "moderator")


def test_suspension_ends_in_the_future(maria, troll, gazette):
    until = timezone.now() + timedelta(days=3)
    assert actions.do_suspend(maria, gazette, troll, until=until).until == until
    event = ModerationEvent.objects.get(action="suspend")
    assert (
        event.reasons[0]["text"] == f"Suspension until {until:%Y-%m-%d %H:%M} UTC"
    )  # the audit log says when
    with pytest.raises(InvalidInput):
        actions.do_suspend(maria, gazette, troll, until=timezone.now() - timedelta(days=1))


def test_no_measure_against_oneself(maria, gazette):
    with pytest.raises(InvalidInput):
        actions.do_ban(maria, gazette, maria)


def test_no_measure_against_the_moderation_team(maria, ada, gazette):
    with pytest.raises(Forbidden) as refused:
        actions.do_ban(maria, gazette, ada)
    assert refused.value.code == "sanction_team_member"
    assert not ReaderSanction.objects.exists()


def test_revoke_ends_a_measure_once_and_says_which(maria, troll, gazette):
    sanction = actions.do_ban(maria, gazette, troll)
    actions.do_revoke_sanction(maria, sanction.pk, reason="Apologised by e-mail.")
    sanction.refresh_from_db()
    assert sanction.revoked
    event = ModerationEvent.objects.get(action="revoke_ban")
    assert (event.note, event.reasons[0]["text"]) == ("Apologised by e-mail.", "Lifted: Ban")
    with pytest.raises(Conflict) as twice:
        actions.do_revoke_sanction(maria, sanction.pk)
    assert twice.value.code == "sanction_revoked"
    assert ModerationEvent.objects.filter(action="revoke_ban").count() == 1


def test_notes(maria, troll, gazette, article):
    comment = make_comment(troll, article)
    event = actions.do_add_note(maria, gazette, troll, "  Third time this week.  ", comment=comment)
    assert (event.action, event.note, event.comment) == ("note", "Third time this week.", comment)
    with pytest.raises(InvalidInput):
        actions.do_add_note(maria, gazette, troll, "   ")
    with pytest.raises(InvalidInput):
        actions.do_add_note(maria, gazette, troll, "x" * 2001)


def test_everyone_else_is_refused_every_action(alice, troll, oscar, ada, gazette, article):
    comment = make_comment(troll, article)
    sanction = ReaderSanction.objects.create(site=gazette, user=troll, kind="warn")
    for person in (alice, troll, oscar):
        calls = [
            lambda p=person: actions.do_approve(p, comment),
            lambda p=person: actions.do_reject(p, comment, "spam"),
            lambda p=person: actions.do_bulk_approve(p, gazette, [comment.pk]),
            lambda p=person: actions.do_bulk_reject(p, gazette, [comment.pk], "spam"),
            lambda p=person: actions.do_resolve_reports(p, comment),
            lambda p=person: actions.do_warn(p, gazette, alice),
            lambda p=person: actions.do_suspend(p, gazette, alice, until=timezone.now() + timedelta(days=1)),
            lambda p=person: actions.do_ban(p, gazette, alice),
            lambda p=person: actions.do_always_premoderate(p, gazette, alice),
            lambda p=person: actions.do_revoke_sanction(p, sanction.pk),
            lambda p=person: actions.do_add_note(p, gazette, alice, "note"),
            lambda p=person: actions.do_update_policy(p, gazette, {"premoderate_all": True}),
        ]
        for call in calls:
            with pytest.raises(Forbidden):
                call()
    comment.refresh_from_db()
    assert comment.state == S.HELD
    assert ReaderSanction.objects.count() == 1
    assert not ModerationEvent.objects.filter(source="moderator").exists()


def test_site_admin_ada_moderates_too(ada, troll, article):
    comment = make_comment(troll, article)
    assert actions.do_approve(ada, comment).to_state == "published"


def test_only_admins_update_the_policy(maria, ada, gazette):
    with pytest.raises(Forbidden):
        actions.do_update_policy(maria, gazette, {"premoderate_all": True})
    site = actions.do_update_policy(
        ada,
        gazette,
        {
            "premoderate_all": True,
            "thresholds": {"toxicity": 0.7},
            "wordlist_banned": ["  scum ", "scum", "vermin"],
            "link_deny_domains": ["WWW.Spam.example"],
            "reason_texts": {"banned_word": "Please keep it civil."},
        },
    )
    assert site.policy["premoderate_all"] is True
    assert site.policy["thresholds"] == {"toxicity": 0.7}
    assert site.policy["wordlist_banned"] == ["scum", "vermin"]
    assert site.policy["link_deny_domains"] == ["spam.example"]
    event = ModerationEvent.objects.get(action="update_policy")
    assert event.actor == ada
    assert "premoderate_all" in event.note


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"premoderate_all": "yes"}, "premoderate_all must be true or false"),
        ({"new_reader_premoderation_count": -1}, "from 0 to 1000"),
        ({"thresholds": {"toxicity": 1.5}}, "toxicity must be a number from 0 to 1"),
        ({"thresholds": {"rudeness": 0.5}}, "'rudeness' is not a label"),
        ({"wordlist_banned": "scum"}, "must be a list of words"),
        ({"wordlist_suspect": ["x" * 101]}, "at most 100 characters"),
        ({"link_allow_domains": ["not a domain"]}, "is not a domain name"),
        ({"reason_texts": {"Bad Code": "text"}}, "is not a reason code"),
        ({"reason_texts": {"ok": ""}}, "must have 1 to 500 characters"),
        ({"reject_reasons": {}}, "needs at least one reason"),
        ({"colour": "red"}, "Unknown policy setting: colour"),
    ],
)
def test_policy_validation_is_clear_and_changes_nothing(ada, gazette, changes, message):
    with pytest.raises(InvalidInput, match=message):
        actions.do_update_policy(ada, gazette, changes)
    gazette.refresh_from_db()
    assert gazette.policy == {}
    assert not ModerationEvent.objects.exists()


def test_a_decision_on_an_old_view_of_a_comment_is_refused(maria, ada, troll, article):
    """maria opened the queue; ada rejected the comment (a phone number in it) before maria approved."""
    comment = make_comment(troll, article)
    seen = comment.version
    actions.do_reject(ada, comment, "guidelines", seen=seen)
    with pytest.raises(Conflict) as refused:
        actions.do_approve(maria, comment, seen=seen)
    assert refused.value.code == "changed_meanwhile"
    with pytest.raises(Conflict):
        actions.do_bulk_approve(maria, article.site, [comment.pk], seen={comment.pk: seen})
    comment.refresh_from_db()
    assert comment.state == S.REJECTED
    assert ModerationEvent.objects.filter(comment=comment, action="approve").count() == 0
    actions.do_approve(maria, comment, seen=comment.version)  # after a reload
    assert Comment.objects.get(pk=comment.pk).state == S.PUBLISHED


def test_text_edited_after_the_moderator_read_it_is_not_approved_blind(maria, troll, article):
    comment = make_comment(troll, article)
    seen = comment.version
    Comment.objects.filter(pk=comment.pk).update(body="Something else entirely, and worse.")
    with pytest.raises(Conflict):
        actions.do_approve(maria, comment, seen=seen)
    assert Comment.objects.get(pk=comment.pk).state == S.HELD


def test_keeping_a_comment_another_moderator_rejected_is_refused(maria, ada, alice, bob, article):
    comment = make_comment(alice, article, state=S.PUBLISHED)
    do_report(reader=bob, comment_id=comment.pk, reason="spam")
    actions.do_reject(ada, comment, "guidelines")
    with pytest.raises(Conflict) as refused:
        actions.do_resolve_reports(maria, comment)
    assert refused.value.code == "not_published"
    assert Comment.objects.get(pk=comment.pk).state == S.REJECTED
