"""The queues: which comment lands where, filters, search, keyset pages, counts and query counts."""

import pytest
from conftest import client_for
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townsquare.comments.actions import do_report, ensure_article
from townsquare.comments.models import CommentState
from townsquare.errors import InvalidInput
from townsquare.moderation import actions, queues
from townsquare.moderation.tests.desk_helpers import make_comment, make_many

S = CommentState


def ids(site, **params):
    page = queues.queue_page(site, queues.check_query(params))
    return [item.comment.pk for item in page.items]


@pytest.fixture
def scene(maria, alice, bob, troll, article):
    held = make_comment(troll, article, "You idiot.")
    premod = make_comment(alice, article, "My first comment.", decided_by="new_reader")
    reported = make_comment(alice, article, "Reported opinion.", state=S.PUBLISHED)
    do_report(reader=bob, comment_id=reported.pk, reason="abuse")
    rejected = make_comment(troll, article, "Spam spam.", state=S.REJECTED, decided_by="spam")
    approved = make_comment(alice, article, "Approved later, idiot.")
    actions.do_approve(maria, approved)
    plain = make_comment(bob, article, "Just published.", state=S.PUBLISHED)
    return {
        "held": held,
        "premod": premod,
        "reported": reported,
        "rejected": rejected,
        "approved": approved,
        "plain": plain,
    }


def test_each_queue_holds_its_comments(gazette, scene):
    assert ids(gazette, queue="held") == [scene["held"].pk]
    assert ids(gazette, queue="premoderated") == [scene["premod"].pk]
    assert ids(gazette, queue="reported") == [scene["reported"].pk]
    assert ids(gazette, queue="rejected") == [scene["rejected"].pk]
    assert ids(gazette, queue="approved") == [scene["approved"].pk]
    assert len(ids(gazette, queue="all")) == 6


def test_counts(gazette, scene):
    assert queues.queue_counts(gazette) == {
        "held": 1, "premoderated": 1, "reported": 1, "rejected": 1, "approved": 1, "all": 6,
    }  # fmt: skip


def test_every_premoderation_code_goes_to_the_premoderated_queue(gazette, alice, article):
    made = [make_comment(alice, article, code, decided_by=code) for code in queues.PREMODERATION_CODES]
    assert sorted(ids(gazette, queue="premoderated")) == sorted(c.pk for c in made)
    assert ids(gazette, queue="held") == []


def test_a_resolved_report_leaves_the_reported_queue(maria, gazette, scene):
    actions.do_resolve_reports(maria, scene["reported"])
    assert ids(gazette, queue="reported") == []


def test_other_sites_comments_never_appear(gazette, courier, troll, scene):
    make_comment(troll, ensure_article(courier, "elsewhere"))
    assert ids(gazette, queue="held") == [scene["held"].pk]
    assert queues.queue_counts(courier)["held"] == 1


def test_newest_and_oldest_first(gazette, troll, article):
    made = make_many(troll, article, 3)
    assert ids(gazette) == [c.pk for c in reversed(made)]
    assert ids(gazette, order="oldest") == [c.pk for c in made]


def test_filter_by_article_and_reason(gazette, troll, article):
    other = ensure_article(gazette, "budget", title="Budget")
    a = make_comment(troll, article, decided_by="banned_word")
    b = make_comment(troll, other, decided_by="banned_word")
    c = make_comment(troll, other, decided_by="threat")
    assert ids(gazette, article=str(other.pk)) == [c.pk, b.pk]
    assert ids(gazette, reason="banned_word") == [b.pk, a.pk]
    assert ids(gazette, article=str(other.pk), reason="threat") == [c.pk]


def test_search(gazette, troll, article):
    make_comment(troll, article, "The minister is an idiot.")
    wanted = make_comment(troll, article, "Ceasefire talks are a farce, idiot.")
    assert ids(gazette, q="ceasefire") == [wanted.pk]
    assert ids(gazette, q="nothing like this") == []


@pytest.mark.services
def test_postgresql_full_text_search(gazette, troll, article):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search is PostgreSQL's; SQLite uses the substring fallback")
    wanted = make_comment(troll, article, "Negotiators met in Geneva, you idiots.")
    make_comment(troll, article, "Nothing to see.")
    assert ids(gazette, q="geneva negotiators") == [wanted.pk]
    assert ids(gazette, q='"met in Geneva"') == [wanted.pk]
    assert ids(gazette, q="geneva -negotiators") == []


def test_keyset_pages_cover_the_queue_once(gazette, troll, article):
    made = make_many(troll, article, 7)
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = queues.queue_page(gazette, queues.check_query(params))
        seen.extend(i.comment.pk for i in page.items)
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == [c.pk for c in reversed(made)]


@pytest.mark.parametrize(
    "params", [{"queue": "x"}, {"order": "up"}, {"limit": "ten"}, {"cursor": "!!"}, {"q": "x" * 201}]
)
def test_bad_query_parameters(params):
    with pytest.raises(InvalidInput):
        queues.check_query(params)


def page_queries(client, n):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("moderation:queue", args=["gazette"]) + f"?queue=held&limit={n}")
    assert response.status_code == 200
    assert response.content.decode().count('class="mod-item ') == n
    return len(ctx.captured_queries)


def test_queue_page_queries_do_not_grow_with_page_size(maria, alice, bob, troll, gazette, article):
    for author in (alice, bob, troll):
        actions.do_warn(maria, gazette, author)
    for i in range(50):
        make_comment((alice, bob, troll)[i % 3], article, f"Comment {i}, idiot.")
        if i % 5 == 0:
            parent = make_comment(alice, article, "parent", state=S.PUBLISHED)
            do_report(reader=bob, comment_id=parent.pk, reason="spam")
    client = client_for(maria)
    assert page_queries(client, 5) == page_queries(client, 50)


def test_api_queue_queries_do_not_grow_with_page_size(maria, troll, article, django_assert_max_num_queries):
    make_many(troll, article, 50)
    client = client_for(maria)
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/moderate/sites/gazette/queue?limit=5")
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = client.get("/api/v1/moderate/sites/gazette/queue?limit=50").json()
    assert len(data["comments"]) == 50
