"""The audit log: every moderator action and pipeline decision of a site, filterable and exportable."""

import csv
import io

import pytest
from conftest import client_for
from django.urls import reverse

from townsquare.accounts.changes import do_change_display_name
from townsquare.comments.actions import ensure_article
from townsquare.moderation import actions
from townsquare.moderation.tests.desk_helpers import make_comment, publisher_signs_in


@pytest.fixture
def history(maria, ada, troll, gazette, courier, article):
    held = make_comment(troll, article)
    other = make_comment(troll, article, "Buy =cheap= pills, idiot")
    actions.do_approve(maria, held)
    actions.do_reject(ada, other, "spam", note='=HYPERLINK("http://evil")')
    actions.do_ban(maria, gazette, troll, reason="Repeated insults")
    make_comment(troll, ensure_article(courier, "elsewhere"), "Courier business, idiot")
    return held, other


def rows(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_log_shows_pipeline_and_moderators(maria, history):
    html = client_for(maria).get(reverse("moderation:audit", args=["gazette"])).content.decode()
    assert html.count("<tr data-event=") == 5  # two posts, approve, reject, ban; not the Courier's post
    assert "<code>approve</code>" in html and "<code>ban</code>" in html
    assert "Moderation pipeline" in html


@pytest.mark.parametrize(
    "params,actions_seen",
    [
        ({"action": "reject"}, {"reject"}),
        ({"source": "pipeline"}, {"post"}),
        ({"actor": "maria"}, {"approve", "ban"}),
        ({"actor": "ada"}, {"reject"}),
    ],
)
def test_filters(maria, history, params, actions_seen):
    response = client_for(maria).get(reverse("moderation:audit_csv", args=["gazette"]), params)
    assert {row["action"] for row in rows(response)} == actions_seen


def test_date_filter(maria, history):
    url = reverse("moderation:audit_csv", args=["gazette"])
    assert rows(client_for(maria).get(url, {"since": "2000-01-01"}))
    assert rows(client_for(maria).get(url, {"until": "2000-01-01"})) == []
    assert client_for(maria).get(url, {"since": "yesterday"}).status_code == 400
    assert client_for(maria).get(url, {"source": "gossip"}).status_code == 400


def test_csv_is_streamed_complete_and_safe_for_spreadsheets(maria, history):
    _, other = history
    response = client_for(maria).get(reverse("moderation:audit_csv", args=["gazette"]))
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    data = rows(response)
    assert len(data) == 5
    reject = next(r for r in data if r["action"] == "reject")
    assert reject["actor"] == "ada"
    assert reject["comment_id"] == str(other.pk)
    assert (reject["from_state"], reject["to_state"]) == ("held", "rejected")
    assert reject["reasons"] == "insult;spam"
    assert reject["note"].startswith("'=")  # a formula would run in a spreadsheet
    ban = next(r for r in data if r["action"] == "ban")
    assert (ban["reader"], ban["note"]) == ("troll", "Repeated insults")


def test_renames_by_readers_and_by_the_publisher(maria, troll, gazette, article):
    make_comment(troll, article)
    do_change_display_name(troll, "Concerned Citizen")
    karine = publisher_signs_in(gazette, "Karine from Lyon")
    make_comment(karine, article, "From Lyon, with hope.")
    publisher_signs_in(gazette, "Karine D.")
    client = client_for(maria)
    html = client.get(reverse("moderation:audit", args=["gazette"]), {"action": "rename"}).content.decode()
    assert html.count("<code>rename</code>") == 2
    assert "<td>Publisher</td>" in html and "&quot;NightWatch88&quot; → &quot;Concerned Citizen&quot;" in html
    url = reverse("moderation:audit_csv", args=["gazette"])
    published = rows(client.get(url, {"source": "publisher"}))
    assert [(r["action"], r["actor"], r["reader"], r["note"]) for r in published] == [
        ("rename", "", karine.username, '"Karine from Lyon" → "Karine D."')
    ]
    by_troll = rows(client.get(url, {"action": "rename", "source": "reader"}))
    assert [(r["actor"], r["note"]) for r in by_troll] == [("troll", '"NightWatch88" → "Concerned Citizen"')]


def test_pages_of_fifty(maria, troll, article):
    for _ in range(60):
        make_comment(troll, article)
    client = client_for(maria)
    first = client.get(reverse("moderation:audit", args=["gazette"])).content.decode()
    assert first.count("<tr data-event=") == 50
    assert "Older events" in first


def test_oscar_sees_no_gazette_log(oscar, history):
    assert client_for(oscar).get(reverse("moderation:audit", args=["gazette"])).status_code == 403
    assert client_for(oscar).get(reverse("moderation:audit_csv", args=["gazette"])).status_code == 403


@pytest.mark.parametrize("note", ["=HYPERLINK(1)", "  =1+1", "\uff1d1+1", "\u3000@SUM(A1)", "-2+3", "\tx"])
def test_a_note_a_spreadsheet_would_read_as_a_formula_is_quoted(note):
    from townsquare.moderation.audit import _cell

    assert _cell(note) == "'" + note


@pytest.mark.parametrize("note", ["Repeated insults", "a = b", "2-1", ""])
def test_plain_notes_are_left_as_they_are(note):
    from townsquare.moderation.audit import _cell

    assert _cell(note) == note
