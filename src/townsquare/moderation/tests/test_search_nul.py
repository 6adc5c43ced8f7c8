"""maria pastes text with a NUL into a search box: she is told so, on SQLite and on PostgreSQL alike
(PostgreSQL refuses a NUL in any text, and the query used to fail with a 500)."""

from typing import Any

import pytest
from conftest import client_for


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/moderate/sites/gazette/queue?q=%00",
        "/api/v1/moderate/sites/gazette/articles?q=%00",
        "/moderate/gazette/?q=%00",
        "/moderate/gazette/?reason=%00",
        "/moderate/gazette/articles/?q=%00",
        "/moderate/gazette/audit/?action=%00",
    ],
)
def test_a_nul_in_a_search_is_refused_in_words(maria: Any, article: Any, url: str):
    response = client_for(maria).get(url)
    assert response.status_code == 400, response.content[:300]
    assert b"text_invalid" in response.content
