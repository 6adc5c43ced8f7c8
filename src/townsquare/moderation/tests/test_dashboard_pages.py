"""The desk's pages: maria clears the Gazette's queues; the markup stays safe and CSP-clean."""

import re

import pytest
from conftest import client_for
from django.urls import reverse

from townsquare.accounts.changes import do_change_display_name
from townsquare.comments.models import CommentState
from townsquare.moderation.tests.desk_helpers import make_comment, publisher_signs_in


@pytest.fixture
def as_maria(maria):
    return client_for(maria)


def queue_url(queue="held", **params):
    query = "&".join(f"{k}={v}" for k, v in {"queue": queue, **params}.items())
    return reverse("moderation:queue", args=["gazette"]) + "?" + query


def test_anonymous_visitor_is_sent_to_sign_in_and_back(client, gazette):
    response = client.get(queue_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signin") + "?next=")
    assert "%2Fmoderate%2Fgazette%2F" in response["Location"]


def test_index_sends_a_one_site_moderator_to_her_queue(as_maria):
    response = as_maria.get(reverse("moderation:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:queue", args=["gazette"])


def test_held_comment_shows_its_reason_span_and_scores(as_maria, troll, article):
    comment = make_comment(troll, article)
    html = as_maria.get(queue_url()).content.decode()
    assert f'id="m{comment.pk}"' in html
    assert '<mark class="mod-mark" title="insult">idiot</mark>' in html
    assert "Attacks another reader" in html
    assert 'meter min="0" max="1"' in html


def test_comment_text_is_escaped_around_spans(as_maria, troll, article):
    body = "<script>alert(1)</script> you idiot & co"
    make_comment(troll, article, body)
    html = as_maria.get(queue_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; you " in html
    assert '<mark class="mod-mark" title="insult">idiot</mark> &amp; co' in html


def test_pages_have_no_inline_scripts_styles_or_handlers(as_maria, ada, troll, article):
    make_comment(troll, article)
    pages = [as_maria.get(queue_url()), as_maria.get(reverse("moderation:audit", args=["gazette"]))]
    pages.append(client_for(ada).get(reverse("moderation:settings", args=["gazette"])))
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"\son[a-z]+=", html)
        assert "<style" not in html


def test_approve_with_htmx_returns_the_decided_row(as_maria, troll, article):
    comment = make_comment(troll, article)
    response = as_maria.post(reverse("moderation:approve", args=[comment.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Approved: the comment is published." in response.content.decode()
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED


def test_reject_without_javascript_redirects_back(as_maria, troll, article):
    comment = make_comment(troll, article)
    back = queue_url(order="oldest")
    response = as_maria.post(
        reverse("moderation:reject", args=[comment.pk]), {"reason": "incivility", "next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    comment.refresh_from_db()
    assert comment.state == CommentState.REJECTED


def test_reject_with_an_unknown_reason_is_refused_and_changes_nothing(as_maria, troll, article):
    comment = make_comment(troll, article)
    response = as_maria.post(
        reverse("moderation:reject", args=[comment.pk]), {"reason": "vibes"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "Choose a rejection reason" in response.content.decode()
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD


def test_the_tabs_poll_their_counts(as_maria, troll, article):
    make_comment(troll, article)
    page = as_maria.get(queue_url()).content.decode()
    tabs = re.search(r'<nav id="mod-tabs"[^>]*>', page).group(0)
    assert 'hx-trigger="every 10s"' in tabs
    assert f'hx-get="{reverse("moderation:counts", args=["gazette"])}"' in tabs
    html = as_maria.get(reverse("moderation:counts", args=["gazette"])).content.decode()
    assert re.search(r'data-count="held" hx-swap-oob="true">1<', html)


def test_context_panel_shows_parent_and_replies(as_maria, alice, bob, troll, article):
    parent = make_comment(alice, article, "The talks are a good sign.", state=CommentState.PUBLISHED)
    comment = make_comment(troll, article, "You are an idiot.", parent=parent)
    make_comment(bob, article, "Please be civil.", state=CommentState.PUBLISHED, parent=comment)
    html = as_maria.get(reverse("moderation:context", args=[comment.pk])).content.decode()
    assert "The talks are a good sign." in html
    assert "Please be civil." in html


def test_reader_history_panel(as_maria, troll, article):
    make_comment(troll, article, "first", state=CommentState.REJECTED, decided_by="banned_word")
    make_comment(troll, article, "second", state=CommentState.PUBLISHED)
    url = reverse("moderation:reader", args=["gazette", troll.pk])
    html = as_maria.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "NightWatch88 on The Gazette" in html
    assert "50% of decided" in html
    full = as_maria.get(url)
    assert full.status_code == 200
    assert "<html" in full.content.decode()


def test_reader_history_shows_who_a_reader_was_before(as_maria, troll, gazette, article):
    make_comment(troll, article, "Sheep, all of you.", state=CommentState.PUBLISHED)
    do_change_display_name(troll, "Concerned Citizen")
    karine = publisher_signs_in(gazette, "Karine from Lyon")
    make_comment(karine, article, "From Lyon, with hope.", state=CommentState.PUBLISHED)
    publisher_signs_in(gazette, "Karine D.")

    def history(reader):
        url = reverse("moderation:reader", args=["gazette", reader.pk])
        return as_maria.get(url, HTTP_HX_REQUEST="true").content.decode()

    html = history(troll)
    assert "Concerned Citizen on The Gazette" in html
    assert "<strong>rename</strong> by troll: &quot;NightWatch88&quot; → &quot;Concerned" in html
    assert (
        "<strong>rename</strong> by the publisher: &quot;Karine from Lyon&quot; → &quot;Karine D."
        in history(karine)
    )


def test_sanction_and_note_forms_update_the_history(as_maria, troll, article):
    make_comment(troll, article, "You are all idiots.", state=CommentState.REJECTED, decided_by="insult")
    url = reverse("moderation:sanction", args=["gazette", troll.pk])
    html = as_maria.post(url, {"kind": "suspend", "days": "7", "reason": "Insults"}, HTTP_HX_REQUEST="true")
    assert "Suspension until" in html.content.decode()
    note = as_maria.post(
        reverse("moderation:note", args=["gazette", troll.pk]),
        {"text": "Watch this one."},
        HTTP_HX_REQUEST="true",
    )
    assert "Watch this one." in note.content.decode()


def test_suspension_needs_a_sensible_number_of_days(as_maria, troll, article):
    make_comment(troll, article)
    url = reverse("moderation:sanction", args=["gazette", troll.pk])
    assert as_maria.post(url, {"kind": "suspend", "days": "0"}).status_code == 400
    assert as_maria.post(url, {"kind": "exile"}).status_code == 400


def test_bulk_form_rejects_the_selected_and_says_so(as_maria, troll, article):
    comments = [make_comment(troll, article) for _ in range(3)]
    response = as_maria.post(
        reverse("moderation:bulk", args=["gazette"]),
        {"ids": [c.pk for c in comments], "action": "reject", "reason": "incivility"},
        follow=True,
    )
    assert "Rejected 3 comments." in response.content.decode()


def test_load_more_with_htmx_returns_only_items(as_maria, troll, article):
    for _ in range(3):
        make_comment(troll, article)
    first = as_maria.get(queue_url(limit=2))
    cursor = re.search(r"cursor=([\w-]+)", first.content.decode()).group(1)
    assert re.search(r'hx-get="[^"]*limit=2&amp;[^"]*cursor=', first.content.decode()), (
        "the next page keeps its size"
    )
    more = as_maria.get(queue_url(limit=2, cursor=cursor), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in more
    assert more.count('class="mod-item ') == 1


def test_bad_queue_parameters_get_a_clear_error(as_maria):
    assert as_maria.get(queue_url("nope")).status_code == 400
    assert as_maria.get(queue_url(order="sideways")).status_code == 400
    assert as_maria.get(queue_url(cursor="%%%")).status_code == 400


def settings_form(**overrides):
    from django.conf import settings

    from townsquare.moderation.pipeline import phase_name

    form = {
        **{f"phase_{phase_name(entry)}": "on" for entry in settings.MODERATION_PIPELINE},
        "nudge_enabled": "on",
        "premoderate_all": "on",
        "new_reader_premoderation_count": "3",
        "threshold_toxicity": "0.75",
        "threshold_threat": "",
        "wordlist_banned": "scum\nvermin\n",
        "wordlist_suspect": "",
        "link_allow_domains": "gazette.example",
        "link_deny_domains": "",
        "reason_texts": "banned_word: Please keep it civil.",
        "reject_reasons": "spam: Spam\nincivility: Attacks another reader",
    }
    form.update(overrides)
    return form


def test_ada_edits_the_site_settings(ada, gazette):
    client = client_for(ada)
    url = reverse("moderation:settings", args=["gazette"])
    response = client.post(url, settings_form(), follow=True)
    assert "Settings saved." in response.content.decode()
    gazette.refresh_from_db()
    assert gazette.policy["premoderate_all"] is True
    assert gazette.policy["new_reader_premoderation_count"] == 3
    assert gazette.policy["thresholds"] == {"toxicity": 0.75}
    assert gazette.policy["wordlist_banned"] == ["scum", "vermin"]
    assert gazette.policy["reject_reasons"] == {"spam": "Spam", "incivility": "Attacks another reader"}
    html = client.get(url).content.decode()
    assert 'value="0.75"' in html
    assert "scum\nvermin</textarea>" in html


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"threshold_toxicity": "1.5"}, "toxicity must be a number from 0 to 1"),
        ({"threshold_insult": "high"}, "insult must be a number"),
        ({"new_reader_premoderation_count": "-2"}, "must be a whole number"),
        ({"reason_texts": "no colon here"}, "line 1: write it as"),
        ({"link_deny_domains": "http://bad domain"}, "is not a domain name"),
        ({"reject_reasons": ""}, "needs at least one reason"),
    ],
)
def test_settings_errors_are_shown_with_what_was_typed(ada, gazette, overrides, message):
    response = client_for(ada).post(
        reverse("moderation:settings", args=["gazette"]), settings_form(**overrides)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "scum\nvermin" in html
    gazette.refresh_from_db()
    assert gazette.policy == {}


def test_numbers_written_oddly_get_a_clear_error_not_a_crash(as_maria, ada, troll, article):
    """ "²" passes `str.isdigit()` and then fails `int()`; an id past 2**63 fails the database."""
    huge = "99999999999999999999"
    for params in ({"limit": "²"}, {"article": "²"}, {"article": huge}):
        assert as_maria.get(queue_url(**params)).status_code == 400, params
    bulk = reverse("moderation:bulk", args=["gazette"])
    comment = make_comment(troll, article)
    for odd in ("²", huge):
        assert as_maria.post(bulk, {"ids": [comment.pk, odd], "action": "approve"}).status_code == 400
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD
    sanction = reverse("moderation:sanction", args=["gazette", troll.pk])
    assert as_maria.post(sanction, {"kind": "suspend", "days": "²"}).status_code == 400
    note = reverse("moderation:note", args=["gazette", troll.pk])
    assert as_maria.post(note, {"text": "Seen.", "comment_id": "²"}).status_code == 200
    form = settings_form(new_reader_premoderation_count="²")
    assert client_for(ada).post(reverse("moderation:settings", args=["gazette"]), form).status_code == 400


def test_the_desk_sends_the_version_it_showed_and_hears_of_a_colleagues_decision(
    as_maria, ada, troll, article
):
    from townsquare.moderation.actions import do_reject

    comment = make_comment(troll, article)
    page = as_maria.get(queue_url()).content.decode()
    seen = re.search(r'name="seen" value="(\w+)"', page).group(1)
    assert f'name="seen_{comment.pk}" value="{seen}" form="bulk-form"' in page
    do_reject(ada, comment, "guidelines")
    response = as_maria.post(
        reverse("moderation:approve", args=[comment.pk]), {"seen": seen}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "changed since you saw it" in response.content.decode()
    bulk = as_maria.post(
        reverse("moderation:bulk", args=["gazette"]),
        {"ids": [comment.pk], f"seen_{comment.pk}": seen, "action": "approve"},
    )
    assert bulk.status_code == 409
    comment.refresh_from_db()
    assert comment.state == CommentState.REJECTED


def test_the_article_filter_lists_articles_with_comments_only(as_maria, troll, article, gazette):
    """A visit to any page creates its article: a thousand visits must not push real ones out."""
    from townsquare.comments.actions import ensure_article

    make_comment(troll, article)
    junk = [ensure_article(gazette, f"junk-{n}") for n in range(3)]
    html = as_maria.get(queue_url()).content.decode()
    assert f'<option value="{article.pk}"' in html
    assert not any(f'<option value="{a.pk}"' in html for a in junk)
