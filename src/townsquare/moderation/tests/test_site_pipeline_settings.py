"""A site administrator switches checks of the pipeline on and off, and the nudge, from the desk."""

import pytest
from conftest import client_for
from django.urls import reverse

from townsquare.comments.actions import do_post_comment
from townsquare.errors import InvalidInput
from townsquare.moderation.policy_rules import check_policy_changes
from townsquare.moderation.tests.test_dashboard_pages import settings_form


@pytest.mark.usefixtures("pipeline_without_model")
def test_ada_switches_the_links_check_and_the_nudge_off(ada, gazette, article, alice):
    url = reverse("moderation:settings", args=["gazette"])
    form = settings_form(
        premoderate_all="", new_reader_premoderation_count="0", link_deny_domains="spam.example"
    )
    del form["phase_Links"], form["nudge_enabled"]
    assert client_for(ada).post(url, form).status_code == 302
    gazette.refresh_from_db()
    assert gazette.policy["pipeline"] == {"Links": {"enabled": False}}
    assert gazette.policy["nudge_enabled"] is False
    article.site.refresh_from_db()
    linked = do_post_comment(
        reader=alice, article=article, body="See https://spam.example/x", nudge_acknowledged=False
    )
    assert linked.comment.state == "published"
    html = client_for(ada).get(url).content.decode()
    assert 'name="phase_Links">' in html and 'name="phase_Threats" checked>' in html

    form["phase_Links"] = "on"
    client_for(ada).post(url, form)
    gazette.refresh_from_db()
    assert gazette.policy["pipeline"] == {}


def test_bans_cannot_be_switched_off_even_by_a_crafted_form(ada, gazette):
    form = settings_form()
    del form["phase_ReaderStanding"]
    client_for(ada).post(reverse("moderation:settings", args=["gazette"]), form)
    gazette.refresh_from_db()
    assert "ReaderStanding" not in gazette.policy.get("pipeline", {})


@pytest.mark.parametrize(
    ("pipeline", "message"),
    [
        ({"Nonsense": {"enabled": False}}, "no check called"),
        ({"ReaderStanding": {"enabled": False}}, "cannot be switched off"),
        ({"Links": {"OPTIONS": {"colour": "red"}}}, "no option colour"),
        ({"Links": {"speed": 1}}, "takes enabled, OPTIONS and override"),
        ({"Links": []}, "takes enabled"),
    ],
)
def test_bad_phase_overrides_are_refused_with_a_clear_error(pipeline, message):
    with pytest.raises(InvalidInput, match=message):
        check_policy_changes({"pipeline": pipeline})


@pytest.mark.usefixtures("pipeline_without_model")
def test_a_phase_marked_override_cannot_turn_a_ban_into_a_hold(ada, maria, gazette, article, troll):
    """Otherwise a banned reader's comment would wait in the pre-moderated queue for any approval."""
    from townsquare.moderation.actions import do_ban, do_update_policy

    do_update_policy(
        ada,
        gazette,
        {"pipeline": {"NewReader": {"override": True}}, "new_reader_premoderation_count": 1000},
    )
    do_ban(maria, gazette, troll, reason="slurs")
    article.site.refresh_from_db()
    comment = do_post_comment(reader=troll, article=article, body="Hello again.").comment
    assert (comment.state, comment.decided_by) == ("rejected", "reader_banned")
