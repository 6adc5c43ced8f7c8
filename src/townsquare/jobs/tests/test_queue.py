"""The queue's one API: jobs run after commit, in-process by default, on Celery when chosen."""

import io
import signal
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
from celery import Celery
from conftest import confirm_email
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from django.test import override_settings

from townsquare.comments.actions import do_post_comment
from townsquare.comments.models import Comment, CommentState
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


@pytest.mark.django_db(transaction=True)
def test_a_job_a_request_queues_runs_once_its_response_has_gone_out(ran):
    """As a WSGI server serves a request: the job waits for the response to be closed."""
    request_started.send(sender=None)
    try:
        with transaction.atomic():
            enqueue("tests.note", comment_id=7)
        assert ran == [], "the reader would wait for it"
    finally:
        request_finished.send(sender=None)
    assert ran == [{"comment_id": 7}]
    enqueue("tests.note", comment_id=8)  # no request now: at once
    assert ran == [{"comment_id": 7}, {"comment_id": 8}]


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_is_mailed_after_the_answer_has_gone_out(alice, mailoutbox):
    """How long the answer takes must not say whether the address has an account: the mail goes
    once the server closes the response, as gunicorn does after writing it."""
    confirm_email(alice, "alice@example.org")
    mailoutbox.clear()
    body = urlencode({"email": "alice@example.org"}).encode()
    token = "a" * 32
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/accounts/password/reset/",
        "SERVER_NAME": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": f"csrftoken={token}",
        "HTTP_X_CSRFTOKEN": token,
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    statuses: list[str] = []
    response = get_wsgi_application()(environ, lambda status, headers: statuses.append(status))
    assert b"".join(response) and statuses[0].startswith("200")
    assert mailoutbox == [], "the answer waited for the mail"
    response.close()
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]


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


class Hung(BaseException):
    """Not an Exception: the broker fallback must not swallow it and carry on as if it had worked."""


@contextmanager
def hang_guard(seconds: int = 60) -> Iterator[None]:
    """Ends a wait that never would. Not a measure of speed: the wait it bounds takes about a second."""

    def give_up(signum: int, frame: Any) -> None:
        raise Hung(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def silent_broker() -> Iterator[str]:
    """A Redis that accepts connections and never answers: stopped, swapping, or behind a dead NAT entry."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


@pytest.mark.django_db
def test_a_post_on_a_broker_that_never_answers_is_stored_held_and_rechecked_here(
    silent_broker, settings, monkeypatch, article, alice, django_capture_on_commit_callbacks
):
    from townsquare.jobs import celery

    settings.TOWNSQUARE_JOBS = "celery"
    settings.TOWNSQUARE_BROKER_URL = silent_broker
    settings.TOWNSQUARE_BROKER_TIMEOUT = 0.5
    app = Celery("townsquare-silent-broker")
    app.conf.update(**celery.broker_options())
    monkeypatch.setattr(celery, "app", app)
    # The check is unavailable, so alice's comment is held and a re-check queued after commit.
    settings.MODERATION_PIPELINE = [{"NAME": "townsquare.moderation.tests.phases_for_tests.Raises"}]
    ran_here: list[str] = []
    run_now = api.run_now

    def record(name: str, **kwargs: Any) -> None:
        ran_here.append(name)
        run_now(name, **kwargs)

    monkeypatch.setattr(api, "run_now", record)

    with hang_guard(), django_capture_on_commit_callbacks(execute=True):
        posted = do_post_comment(reader=alice, article=article, body="The ferry timetable changed again.")

    assert ran_here == ["moderation.recheck"]  # the broker timed out: the re-check ran in this process
    comment = Comment.objects.get(pk=posted.comment.pk)  # stored
    assert (comment.state, comment.decided_by) == (CommentState.HELD, "check_unavailable")  # still held
