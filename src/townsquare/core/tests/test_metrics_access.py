"""Who may read /metrics: Prometheus with the newsroom's token, or without one only this machine.

The counters say how busy the site is, what its moderation rejects and why, and how far behind its
workers are: nothing a stranger should read. /healthz stays open, for the load balancers.
"""

from typing import Any

import pytest
from django.test import Client, override_settings

from townsquare.core.checks import check_metrics_token

TOKEN = "b6f1c0de-prometheus-scrape-token"
ELSEWHERE = "203.0.113.7"

pytestmark = pytest.mark.django_db


def scrape(client: Client, remote: str = "127.0.0.1", **headers: str) -> Any:
    return client.get("/metrics", REMOTE_ADDR=remote, **headers)


def is_metrics(response: Any) -> bool:
    return response.status_code == 200 and "townsquare_queue_depth" in response.content.decode()


@pytest.mark.parametrize("remote", ["127.0.0.1", "::1", "127.0.0.2", "::ffff:127.0.0.1"])
def test_without_a_token_this_machine_scrapes_as_before(client: Client, remote: str):
    assert is_metrics(scrape(client, remote))


@pytest.mark.parametrize("remote", [ELSEWHERE, "10.0.0.5", "2001:db8::7", "", "::ffff:203.0.113.7"])
def test_without_a_token_another_machine_is_told_why_in_one_line(client: Client, remote: str):
    response = scrape(client, remote)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert len(text.strip().splitlines()) == 1
    assert "TOWNSQUARE_METRICS_TOKEN" in text and "townsquare_" not in text


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_FORWARDED_FOR": ELSEWHERE},
        {"HTTP_FORWARDED": f"for={ELSEWHERE}"},
        {"HTTP_X_REAL_IP": ELSEWHERE},
        {"HTTP_X_FORWARDED_FOR": "127.0.0.1"},  # whatever a proxy says, it passed the request on
    ],
)
def test_what_a_proxy_on_this_machine_passes_on_is_not_local(client: Client, headers: dict[str, str]):
    assert scrape(client, "127.0.0.1", **headers).status_code == 403
    with override_settings(TOWNSQUARE_PROXY_HOPS=1):
        assert scrape(client, "127.0.0.1", **headers).status_code == 403


def test_with_a_token_prometheus_scrapes_from_anywhere(client: Client, settings: Any):
    settings.TOWNSQUARE_METRICS_TOKEN = TOKEN
    assert is_metrics(scrape(client, ELSEWHERE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))
    assert is_metrics(scrape(client, "127.0.0.1", HTTP_AUTHORIZATION=f"bearer  {TOKEN}"))


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, "Bearer jérô"],
)
def test_with_a_token_anything_else_is_401_even_from_this_machine(
    client: Client, settings: Any, authorization: str | None
):
    settings.TOWNSQUARE_METRICS_TOKEN = TOKEN
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    for remote in ("127.0.0.1", ELSEWHERE):
        response = scrape(client, remote, **headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
        text = response.content.decode()
        assert len(text.strip().splitlines()) == 1 and "townsquare_" not in text and TOKEN not in text


def test_healthz_stays_open_and_says_no_more(client: Client, settings: Any):
    settings.TOWNSQUARE_METRICS_TOKEN = TOKEN
    response = client.get("/healthz", REMOTE_ADDR=ELSEWHERE)
    assert response.status_code == 200
    assert set(response.json()) == {"database", "cache", "broker", "model", "status"}
    assert TOKEN not in response.content.decode()


def test_a_production_process_without_a_token_is_w003(settings: Any):
    settings.DEBUG, settings.TOWNSQUARE_METRICS_TOKEN = False, ""
    assert [m.id for m in check_metrics_token(None)] == ["townsquare.W003"]
    settings.TOWNSQUARE_METRICS_TOKEN = TOKEN
    assert check_metrics_token(None) == []
    settings.DEBUG, settings.TOWNSQUARE_METRICS_TOKEN = True, ""
    assert check_metrics_token(None) == []
