"""The queue's one API: jobs run after commit, in-process by default, on Celery when chosen."""

from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from townsquare.jobs import api
from townsquare.jobs.api import enqueue


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setitem(api.REGISTRY, "tests.note", api.JobSpec("tests.note", lambda **kw: calls.append(kw)))
    return calls


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_process_only_once_the_transaction_commits(ran):
    with transaction.atomic():
        enqueue("tests.note", comment_id=7)
        assert ran == []
    assert ran == [{"comment_id": 7}]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_queues_nothing(ran):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("tests.note", comment_id=7)
        raise RuntimeError("the write failed")
    assert ran == []


def test_an_unknown_job_is_refused_at_once():
    with pytest.raises(KeyError):
        enqueue("tests.no_such_job")


@pytest.mark.django_db(transaction=True)
@override_settings(TOWNSQUARE_JOBS="celery", TOWNSQUARE_BROKER_URL="redis://127.0.0.1:1/0")
def test_with_celery_the_job_goes_to_the_broker(ran, monkeypatch):
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr("townsquare.jobs.celery.publish", lambda name, kwargs: sent.append((name, kwargs)))
    enqueue("tests.note", comment_id=3)
    assert sent == [("tests.note", {"comment_id": 3})]
    assert ran == []


@pytest.mark.django_db(transaction=True)
@override_settings(TOWNSQUARE_JOBS="celery")
def test_with_the_broker_down_the_job_runs_here_instead_of_being_lost(ran, monkeypatch):
    def refuse(name: str, kwargs: dict[str, Any]) -> None:
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr("townsquare.jobs.celery.publish", refuse)
    enqueue("tests.note", comment_id=3)
    assert ran == [{"comment_id": 3}]


def test_every_registered_job_is_a_late_acknowledged_task_with_limits_and_backoff():
    from townsquare.jobs.celery import TASKS, app

    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert {"comments.notify_reply", "jobs.sweep"} <= set(TASKS)
    for name, spec in api.REGISTRY.items():
        task = TASKS[name]
        assert task.acks_late and task.reject_on_worker_lost
        assert task.soft_time_limit == spec.soft_time_limit < task.time_limit
        assert (
            task.autoretry_for == (Exception,) and task.retry_backoff and task.max_retries == spec.max_retries
        )
