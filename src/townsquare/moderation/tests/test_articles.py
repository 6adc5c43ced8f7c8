"""The Articles page: maria closes the peace-talks thread and pre-moderates another; ada, the Gazette's
administrator, corrects a title someone planted; oscar of the Courier can do none of it here."""

import json

import pytest
from conftest import client_for
from django.urls import reverse

from townsquare.comments.actions import do_post_comment, ensure_article
from townsquare.comments.models import Article, CommentState
from townsquare.errors import Conflict
from townsquare.moderation import articles
from townsquare.moderation.models import ModerationEvent
from townsquare.moderation.tests.desk_helpers import make_comment

pytestmark = pytest.mark.usefixtures("pipeline_without_model")


def list_url(**params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("moderation:articles", args=["gazette"]) + (f"?{query}" if query else "")


def change(client, article, change, **data):
    return client.post(
        reverse("moderation:article", args=["gazette", article.pk]), {"change": change, **data}
    )


def test_maria_closes_a_thread_and_readers_can_no_longer_post(maria, alice, troll, article):
    make_comment(troll, article, state=CommentState.PUBLISHED)
    as_maria = client_for(maria)
    response = change(as_maria, article, "close", note="Too heated overnight")
    assert response.status_code == 302

    article.refresh_from_db()
    assert not article.is_open
    event = ModerationEvent.objects.get(action="close_article")
    assert (event.article_id, event.actor_id, event.note) == (article.pk, maria.pk, "Too heated overnight")
    with pytest.raises(Conflict, match="closed"):
        do_post_comment(reader=alice, article=article, body="Still here?")
    page = client_for(alice).get("/embed/gazette/", {"key": "peace-talks"}).content.decode()
    assert "Your comment" not in page

    html = as_maria.get(list_url()).content.decode()
    assert "Comments are closed on “Peace talks”." in html
    assert "Open comments" in html
    assert change(as_maria, article, "open").status_code == 302
    article.refresh_from_db()
    assert article.is_open
    audit = as_maria.get(reverse("moderation:audit", args=["gazette"])).content.decode()
    assert "<code>close_article</code>" in audit and "Peace talks" in audit
    csv_text = b"".join(as_maria.get(reverse("moderation:audit_csv", args=["gazette"])).streaming_content)
    assert f",close_article,,,{article.pk}," in csv_text.decode()


def test_closing_a_closed_thread_says_so_and_writes_nothing(maria, article):
    as_maria = client_for(maria)
    change(as_maria, article, "close")
    response = change(as_maria, article, "close")
    assert response.status_code == 409
    assert "Comments on this article are closed already." in response.content.decode()
    assert ModerationEvent.objects.filter(action="close_article").count() == 1


def test_every_new_comment_on_a_premoderated_article_waits(maria, alice, article):
    assert change(client_for(maria), article, "premoderate").status_code == 302
    article.refresh_from_db()
    result = do_post_comment(reader=alice, article=article, body="A calm remark.")
    assert result.decision.state == CommentState.HELD
    assert result.decision.decided_by == "premod_article"
    assert ModerationEvent.objects.filter(action="premoderate_article", actor=maria).exists()


def test_the_list_shows_threads_with_comments_and_finds_any_by_search(maria, troll, article, gazette):
    quiet = ensure_article(gazette, "budget-2027", title="The budget for 2027")
    make_comment(troll, article)
    as_maria = client_for(maria)
    html = as_maria.get(list_url()).content.decode()
    assert f'data-article="{article.pk}"' in html and f'data-article="{quiet.pk}"' not in html
    found = as_maria.get(list_url(q="budget")).content.decode()
    assert f'data-article="{quiet.pk}"' in found and f'data-article="{article.pk}"' not in found


def test_the_list_pages_by_cursor(maria, troll, gazette):
    made = [ensure_article(gazette, f"story-{n}", title=f"Story {n}") for n in range(articles.PAGE_SIZE + 2)]
    for a in made:
        Article.objects.filter(pk=a.pk).update(is_open=False)
    first = articles.articles_page(gazette)
    assert [a.pk for a in first.articles] == [a.pk for a in reversed(made)][: articles.PAGE_SIZE]
    rest = articles.articles_page(gazette, cursor=first.next_cursor)
    assert [a.pk for a in rest.articles] == [made[1].pk, made[0].pk] and rest.next_cursor is None


def test_ada_corrects_a_planted_title_and_maria_may_not(maria, ada, article):
    Article.objects.filter(pk=article.pk).update(title="Site closing: enter your password")
    refused = change(client_for(maria), article, "edit", title="Peace talks", url=article.url)
    assert refused.status_code == 403
    assert "Only the site&#x27;s administrators change an article" in refused.content.decode()

    as_ada = client_for(ada)
    bad = change(as_ada, article, "edit", title="Peace talks", url="https://elsewhere.example/x")
    assert bad.status_code == 400 and "allowed origins" in bad.content.decode()
    url = "https://gazette.example/2026/peace-talks"
    assert change(as_ada, article, "edit", title="  Peace   talks ", url=url).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.url) == ("Peace talks", url)
    event = ModerationEvent.objects.get(action="edit_article")
    assert "title was 'Site closing: enter your password'" in event.note
    # The embed's later hints fill only what is missing: the correction stays.
    ensure_article(article.site, "peace-talks", url="https://gazette.example/phish", title="Phish")
    article.refresh_from_db()
    assert (article.title, article.url) == ("Peace talks", url)


def test_oscar_of_the_courier_can_neither_see_nor_change_gazette_articles(oscar, article, courier):
    as_oscar = client_for(oscar)
    assert as_oscar.get(list_url()).status_code == 403
    assert change(as_oscar, article, "close").status_code == 403
    article.refresh_from_db()
    assert article.is_open
    other = ensure_article(courier, "courier-story")
    maria_like = client_for(oscar)
    response = maria_like.post(
        reverse("moderation:article", args=["courier", article.pk]), {"change": "close"}
    )
    assert response.status_code == 404
    assert Article.objects.get(pk=article.pk).is_open and other.is_open


def test_an_unknown_change_is_refused(maria, article):
    response = change(client_for(maria), article, "delete")
    assert response.status_code == 400
    assert "Choose close, open" in response.content.decode()


def patch(client, article, data, site="gazette"):
    path = f"/api/v1/moderate/sites/{site}/articles/{article.pk}"
    return client.patch(path, json.dumps(data), content_type="application/json")


def test_the_newsrooms_cms_closes_a_thread_through_the_api(maria, troll, article):
    make_comment(troll, article, state=CommentState.PUBLISHED)
    as_maria = client_for(maria)
    listed = as_maria.get("/api/v1/moderate/sites/gazette/articles").json()
    assert listed["articles"][0] | {"comment_count": None} == {
        "id": article.pk,
        "key": "peace-talks",
        "title": "Peace talks",
        "url": "https://gazette.example/peace-talks",
        "is_open": True,
        "premoderate": False,
        "comment_count": None,
    }
    assert listed["articles"][0]["comment_count"] == 1

    response = patch(as_maria, article, {"is_open": False, "premoderate": True, "note": "Night"})
    assert response.status_code == 200, response.content
    assert (response.json()["is_open"], response.json()["premoderate"]) == (False, True)
    # Asked again: already so, nothing more written.
    assert patch(as_maria, article, {"is_open": False}).status_code == 200
    actions = list(
        ModerationEvent.objects.filter(article=article, comment=None).values_list("action", flat=True)
    )
    assert sorted(actions) == ["close_article", "premoderate_article"]


def test_an_api_change_with_a_refused_field_changes_nothing(maria, article):
    response = patch(client_for(maria), article, {"is_open": False, "title": "Mine now"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.is_open and article.title == "Peace talks"


def test_the_api_refuses_other_sites_moderators(oscar, article):
    assert patch(client_for(oscar), article, {"is_open": False}).status_code == 403
    assert client_for(oscar).get("/api/v1/moderate/sites/gazette/articles").status_code == 403
