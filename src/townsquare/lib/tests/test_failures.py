"""alice posts while the database cannot answer (SQLite busy past its timeout, PostgreSQL away), or
while something breaks: she is told what to do, in the form her page or client reads."""

from typing import Any

import pytest
from conftest import client_for
from django.db import OperationalError
from django.test import Client

from townsquare.comments import actions
from townsquare.comments.models import Article, Comment

pytestmark = pytest.mark.usefixtures("pipeline_without_model")


@pytest.fixture
def as_alice(alice: Any) -> Client:
    client = client_for(alice)
    client.raise_request_exception = False  # answered as a browser would see it
    return client


def breaks(monkeypatch: pytest.MonkeyPatch, exc: Exception) -> None:
    def fail(**kwargs: Any) -> Any:
        raise exc

    monkeypatch.setattr(actions, "do_post_comment", fail)


def api_post(client: Client, article: Article, monkeypatch: pytest.MonkeyPatch, exc: Exception) -> Any:
    breaks(monkeypatch, exc)
    url = f"/api/v1/articles/{article.pk}/comments"
    return client.post(url, {"body": "Peace needs patience."}, content_type="application/json")


def test_a_busy_database_is_a_503_to_try_again_in_the_api(
    as_alice: Client, article: Article, monkeypatch: pytest.MonkeyPatch
):
    response = api_post(as_alice, article, monkeypatch, OperationalError("database is locked"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "temporarily_unavailable"
    assert not Comment.objects.exists()


def test_a_busy_database_is_said_beside_the_form_on_the_reader_page(
    as_alice: Client, article: Article, monkeypatch: pytest.MonkeyPatch
):
    breaks(monkeypatch, OperationalError("database is locked"))
    url = f"/embed/a/{article.pk}/comments/"
    response = as_alice.post(url, {"body": "Peace needs patience."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 503
    html = response.content.decode()
    assert 'role="alert" data-code="temporarily_unavailable"' in html and "Try again shortly" in html


def test_a_server_error_in_the_api_is_json_like_every_other_refusal(
    as_alice: Client, article: Article, monkeypatch: pytest.MonkeyPatch
):
    response = api_post(as_alice, article, monkeypatch, RuntimeError("a bug"))
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_a_server_error_on_a_page_is_a_page_in_our_words(
    as_alice: Client, article: Article, monkeypatch: pytest.MonkeyPatch
):
    breaks(monkeypatch, RuntimeError("a bug"))
    response = as_alice.post(f"/embed/a/{article.pk}/comments/", {"body": "Peace needs patience."})
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
