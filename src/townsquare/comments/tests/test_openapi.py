"""The API documents itself at a stable address."""

import re

from django.test import Client


def test_the_openapi_schema_lists_every_endpoint(client: Client, db: None):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/v1/articles/{article_id}/comments": {"get", "post"},
        "/api/v1/comments/{comment_id}": {"patch", "delete"},
        "/api/v1/comments/{comment_id}/reactions": {"post"},
        "/api/v1/comments/{comment_id}/reports": {"post"},
        "/api/v1/me": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path


def test_the_api_docs_page_serves(client: Client, db: None):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
    # The CSP allows scripts from this server only: Swagger UI must come from our static files.
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', response.content.decode())
    assert scripts
    assert all(src.startswith("/static/") for src in scripts), scripts
    for src in scripts:
        assert client.get(src).status_code == 200, src
