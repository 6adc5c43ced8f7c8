"""The reader page in the publisher's iframe: framed only by the site's origins, safe headers."""

from typing import Any

from django.test import Client

from townsquare.comments.models import Article


def test_the_embed_page_may_be_framed_by_the_sites_origins_only(client: Client, article: Article):
    response = client.get(f"/embed/gazette/?key={article.key}&url=https://gazette.example/peace-talks")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    ancestors = next(d for d in csp.split(";") if d.strip().startswith("frame-ancestors"))
    assert ancestors.split()[1:] == ["'self'", "https://gazette.example"]
    assert "X-Frame-Options" not in response
    assert "script-src 'self'" in csp


def test_a_page_from_a_foreign_origin_is_refused(client: Client, gazette: Any):
    response = client.get("/embed/gazette/?key=x&url=https://evil.example/peace-talks")
    assert response.status_code == 400
    assert "allowed origins" in response.content.decode()
    assert not Article.objects.exists()


def test_the_courier_cannot_embed_the_gazettes_thread(client: Client, gazette: Any, courier: Any):
    response = client.get("/embed/gazette/?key=x&url=https://courier.example/x")
    assert response.status_code == 400


def test_an_unknown_site_is_404(client: Client, db: None):
    assert client.get("/embed/nowhere/?key=x").status_code == 404


def test_an_embed_without_key_or_url_is_refused(client: Client, gazette: Any):
    response = client.get("/embed/gazette/")
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_the_embed_page_creates_the_article_once(client: Client, gazette: Any):
    for _ in range(2):
        url = "/embed/gazette/?key=story-1&title=Story&url=https://gazette.example/story-1"
        assert client.get(url).status_code == 200
    (article,) = Article.objects.all()
    assert (article.key, article.title, article.url) == (
        "story-1",
        "Story",
        "https://gazette.example/story-1",
    )


def test_a_bare_link_cannot_name_an_article_and_the_real_page_fills_it_in(client: Client, gazette: Any):
    """Otherwise anyone could title a story first ("Reset your password at ..."), for the e-mails
    and the moderators' desk to repeat."""
    client.get("/embed/gazette/?key=story-777&title=Reset+your+password+at+evil.example")
    assert Article.objects.get(key="story-777").title == ""
    client.get("/embed/gazette/?key=story-777&title=Budget+vote&url=https://gazette.example/budget")
    article = Article.objects.get(key="story-777")
    assert (article.title, article.url) == ("Budget vote", "https://gazette.example/budget")


def test_fragments_are_framed_like_the_page(client: Client, article: Article):
    response = client.get(f"/embed/a/{article.pk}/page/?sort=oldest")
    assert response.status_code == 200
    assert "https://gazette.example" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response


def test_other_pages_cannot_be_framed(client: Client, db: None):
    for path in ("/accounts/signin/", "/"):
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_the_anonymous_page_invites_to_sign_in_and_back(client: Client, article: Article):
    page = client.get(f"/embed/gazette/?key={article.key}").content.decode()
    assert "/accounts/signin/?next=/embed/gazette/%3Fkey%3Dpeace-talks" in page
    assert "Post comment" not in page


def test_the_signed_in_page_has_the_form_with_a_csrf_token(as_alice: Client, article: Article):
    page = as_alice.get(f"/embed/gazette/?key={article.key}").content.decode()
    assert "csrfmiddlewaretoken" in page
    assert "Post comment" in page
    assert 'data-testid="display-name">Alice<' in page


def test_a_closed_article_says_so(as_alice: Client, article: Article):
    article.is_open = False
    article.save()
    page = as_alice.get(f"/embed/gazette/?key={article.key}").content.decode()
    assert "Comments on this article are closed." in page
    assert "Post comment" not in page


def test_the_session_cookie_is_http_only(alice: Any, client: Client):
    from conftest import PASSWORD

    response = client.post("/accounts/signin/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] in ("Lax", "None")


def test_the_embed_script_and_frame_script_are_served(client: Client, db: None):
    for name in ("embed.js", "frame.js"):
        response = client.get(f"/static/townsquare/{name}")
        assert response.status_code == 200, name


def test_a_refusal_inside_the_frame_can_be_shown_on_the_sites_own_pages(client, article):
    response = client.get("/embed/gazette/", {"key": "x", "url": "https://elsewhere.example/x"})
    assert response.status_code == 400
    assert "X-Frame-Options" not in response
    assert "frame-ancestors 'self' https://gazette.example" in response["Content-Security-Policy"]


def test_sign_in_and_sign_up_reached_from_the_frame_are_framed_like_it(client: Client, article: Article):
    """A publisher on another origin frames the reader page; its Sign in link must load there too."""
    from urllib.parse import quote

    embed = f"/embed/gazette/?key={article.key}"
    for path in ("/accounts/signin/", "/accounts/signup/"):
        response = client.get(f"{path}?next={quote(embed)}")
        assert "X-Frame-Options" not in response, path
        assert "https://gazette.example" in response["Content-Security-Policy"], path
    response = client.get(f"/accounts/signin/?next={quote('/moderate/')}")
    assert response["X-Frame-Options"] == "DENY"


def test_one_address_cannot_invent_article_pages_without_end(client: Client, gazette: Any):
    """A visit makes the article; a script inventing keys is stopped, and the pages it made stay few."""
    from townsquare.comments.actions import NEW_ARTICLES_PER_HOUR

    for n in range(NEW_ARTICLES_PER_HOUR):
        assert client.get(f"/embed/gazette/?key=junk-{n}").status_code == 200
    refused = client.get("/embed/gazette/?key=one-more")
    assert refused.status_code == 429
    assert 'data-code="new_articles_rate_limited"' in refused.content.decode()
    assert Article.objects.count() == NEW_ARTICLES_PER_HOUR
    # Pages that exist still open, and another address is not held back.
    assert client.get("/embed/gazette/?key=junk-0").status_code == 200
    assert client.get("/embed/gazette/?key=one-more", REMOTE_ADDR="198.51.100.9").status_code == 200
