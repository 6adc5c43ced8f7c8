"""A broken scale-path configuration is explained by a check with a stable id, without network I/O."""

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
