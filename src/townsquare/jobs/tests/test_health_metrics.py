"""Operators see each part's health and the counters Prometheus scrapes."""

import threading

import pytest
from django.test import Client, RequestFactory, override_settings

from townsquare.core import health
from townsquare.core.metrics import observe_decision, observe_model_latency


@pytest.mark.django_db
def test_healthz_reports_each_part(client: Client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["cache"] == "ok" and body["broker"] == "in-process"
    assert body["model"] in {"loaded", "not loaded", "unavailable"}


@pytest.mark.django_db
@override_settings(TOWNSQUARE_JOBS="celery")
def test_healthz_is_503_when_the_broker_is_down(client: Client, monkeypatch):
    def down() -> str:
        raise ConnectionRefusedError

    monkeypatch.setattr("townsquare.core.health._broker", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


@pytest.mark.django_db
def test_a_part_that_does_not_answer_is_failing_and_the_others_are_still_reported(
    client: Client, settings, monkeypatch
):
    """Redis accepts the connection and never answers: /healthz says so instead of waiting with it."""
    settings.TOWNSQUARE_HEALTHZ_TIMEOUT = 0.5
    released = threading.Event()
    hung: list[threading.Thread] = []

    def hangs(cache) -> str:
        hung.append(threading.current_thread())
        released.wait(30)  # without a deadline the check would wait this out, then say "ok"
        return "ok"

    monkeypatch.setattr("townsquare.core.health._cache", hangs)
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["cache"] == "error: no answer within 0.5 s"
        assert body["database"] == "ok" and body["broker"] == "in-process" and body["status"] == "failing"
        # The next check waits on the same probe: a hung service holds one thread, not one per check.
        assert client.get("/healthz").json()["cache"].startswith("error")
        assert len(hung) == 1
    finally:
        released.set()
        for thread in hung:
            thread.join()


@pytest.mark.django_db
def test_healthz_answers_head_requests_without_a_body(client: Client):
    assert client.head("/healthz").status_code == 200
    # The view itself sends no body (the test client would drop one): gunicorn warns of each it drops.
    head = health.healthz(RequestFactory().head("/healthz"))
    get = health.healthz(RequestFactory().get("/healthz"))
    assert head.content == b"" and head["Content-Length"] == str(len(get.content))


@pytest.mark.django_db
def test_metrics_count_requests_decisions_and_model_time(client: Client, article):
    observe_decision("WordLists", "banned_word", "rejected")
    observe_model_latency(0.004)
    client.get(f"/api/v1/articles/{article.pk}/comments")
    text = client.get("/metrics").content.decode()
    assert 'townsquare_requests_total{status="200",view="api:thread"}' in text
    assert (
        'townsquare_pipeline_decisions_total{phase="WordLists",reason="banned_word",state="rejected"}' in text
    )
    assert "townsquare_model_seconds_count" in text
    assert "townsquare_queue_depth 0.0" in text
    assert "townsquare_held_check_unavailable 0.0" in text
