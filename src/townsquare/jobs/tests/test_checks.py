"""A broken scale-path configuration is explained by a check with a stable id, without network I/O."""

import pytest
from django.test import override_settings

from townsquare.core.checks import check_jobs_and_redis


def ids() -> list[str]:
    return [m.id for m in check_jobs_and_redis(None) if m.id]


def test_the_default_configuration_passes():
    assert ids() == []


@override_settings(TOWNSQUARE_JOBS="celery", TOWNSQUARE_BROKER_URL="", REDIS_URL="")
def test_celery_without_redis_is_e001():
    assert ids() == ["townsquare.E001"]


@override_settings(REDIS_URL="redis//127.0.0.1:6379")
def test_a_malformed_redis_url_is_e002():
    assert ids() == ["townsquare.E002"]


@override_settings(REDIS_URL="redis://:secret@127.0.0.1:99999/0")
def test_e002_names_the_url_without_its_password():
    [message] = check_jobs_and_redis(None)
    assert message.id == "townsquare.E002" and "secret" not in message.msg


@override_settings(TOWNSQUARE_JOBS="rabbit")
def test_an_unknown_runner_is_e003():
    assert ids() == ["townsquare.E003"]


@override_settings(TOWNSQUARE_JOBS="celery", TOWNSQUARE_BROKER_URL="redis://127.0.0.1:6379/3")
def test_celery_with_redis_passes():
    assert ids() == []


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:6379/0",
        "rediss://:secret@cache.internal:6380/2",
        "amqp://townsquare:secret@rabbit.internal:5672/comments",
        "amqps://rabbit.internal",
    ],
)
def test_celery_with_a_redis_or_rabbitmq_broker_passes(url):
    with override_settings(TOWNSQUARE_JOBS="celery", TOWNSQUARE_BROKER_URL=url):
        assert ids() == []


@pytest.mark.parametrize(
    "url",
    [
        "kafka://127.0.0.1:9092",  # a scheme we do not run on
        "127.0.0.1:6379",  # no scheme at all
        "amqp://[::1:5672/",  # does not parse
        "amqp://rabbit.internal:99999/",  # no such port
        "amqp:///comments",  # no host
        "unix:///run/redis.sock",  # a good REDIS_URL, but not to Celery
    ],
)
def test_a_malformed_broker_url_is_e004(url):
    with override_settings(TOWNSQUARE_JOBS="celery", TOWNSQUARE_BROKER_URL=url):
        assert ids() == ["townsquare.E004"]


@override_settings(TOWNSQUARE_JOBS="celery", TOWNSQUARE_BROKER_URL="amqps://ops:hunter2@[rabbit/")
def test_e004_names_the_url_without_its_password_even_when_it_does_not_parse():
    [message] = check_jobs_and_redis(None)
    assert message.id == "townsquare.E004" and "hunter2" not in message.msg
    assert "TOWNSQUARE_BROKER_URL 'amqps://ops:***@[rabbit/'" in message.msg


@override_settings(TOWNSQUARE_BROKER_URL="kafka://127.0.0.1:9092")
def test_the_broker_is_not_checked_while_jobs_run_in_process():
    assert ids() == []


@override_settings(
    TOWNSQUARE_JOBS="celery", REDIS_URL="redis//127.0.0.1", TOWNSQUARE_BROKER_URL="redis//127.0.0.1"
)
def test_a_broken_redis_url_that_is_also_the_broker_is_reported_once():
    assert ids() == ["townsquare.E002"]
