"""Settings from the environment: each default works on a machine that has nothing yet."""

import os
import runpy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SRC, checkout_env
from django.core.exceptions import ImproperlyConfigured

from townsquare.lib.env import env_bool, env_float, env_int, env_token


def test_subprocesses_run_this_checkouts_code() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import townsquare; print(townsquare.__file__)"],
        env=checkout_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert Path(done.stdout.strip()).is_relative_to(SRC)


def test_a_new_data_folder_is_made_on_the_first_command(tmp_path: Path) -> None:
    data_dir = tmp_path / "newsroom" / "var"
    env = checkout_env(TOWNSQUARE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="townsquare.settings")
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "townsquare.cli", "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (data_dir / "townsquare.sqlite3").stat().st_size > 0


@pytest.mark.parametrize(
    ("read", "value", "wanted"),
    [
        (env_int, "four", "a whole number"),
        (env_int, "", "a whole number"),
        (env_int, "2.5", "a whole number"),
        (env_float, "fast", "a number"),
        (env_float, "inf", "a finite number"),
        (env_float, "nan", "a finite number"),
        (env_bool, "", "one of 1/true/yes/on or 0/false/no/off"),
        (env_bool, "maybe", "one of 1/true/yes/on or 0/false/no/off"),
    ],
)
def test_a_setting_that_does_not_parse_is_refused_by_name_and_value(
    monkeypatch: pytest.MonkeyPatch, read: Callable[[str, Any], Any], value: str, wanted: str
) -> None:
    monkeypatch.setenv("TOWNSQUARE_SOMETHING", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        read("TOWNSQUARE_SOMETHING", 1)
    assert str(refused.value) == f"TOWNSQUARE_SOMETHING must be {wanted}, not {value!r}."


def test_settings_parse_what_an_operator_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_A", " 12 ")
    monkeypatch.setenv("TOWNSQUARE_B", "0.25")
    monkeypatch.setenv("TOWNSQUARE_C", "Off")
    monkeypatch.setenv("TOWNSQUARE_D", "YES")
    assert env_int("TOWNSQUARE_A", 1) == 12
    assert env_float("TOWNSQUARE_B", 1) == 0.25
    assert env_bool("TOWNSQUARE_C", True) is False
    assert env_bool("TOWNSQUARE_D", False) is True
    monkeypatch.delenv("TOWNSQUARE_A")
    assert env_int("TOWNSQUARE_A", 7) == 7


def test_a_token_is_read_as_prometheus_sends_it_and_never_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_token("TOWNSQUARE_TOKEN") == ""
    monkeypatch.setenv("TOWNSQUARE_TOKEN", " 9f2c-token_/+=\n")
    assert env_token("TOWNSQUARE_TOKEN") == "9f2c-token_/+="
    for value in ("", "  ", "two words-9f2c", "t\u00f6ken-9f2c"):
        monkeypatch.setenv("TOWNSQUARE_TOKEN", value)
        with pytest.raises(ImproperlyConfigured) as refused:
            env_token("TOWNSQUARE_TOKEN")
        assert str(refused.value).startswith("TOWNSQUARE_TOKEN must be ")
        assert "9f2c" not in str(refused.value)


@pytest.mark.parametrize(("name", "value"), [("TOWNSQUARE_SSE_STREAMS", "two"), ("TOWNSQUARE_EMAIL_TLS", "")])
def test_townsquare_names_a_bad_setting_in_one_line_and_exits_2(
    tmp_path: Path, name: str, value: str
) -> None:
    env = checkout_env(TOWNSQUARE_DATA_DIR=str(tmp_path), **{name: value})
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "townsquare", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"townsquare: {name} must be {_wanted(name)}, not {value!r}."]


def _wanted(name: str) -> str:
    return "a whole number" if name.endswith("STREAMS") else "one of 1/true/yes/on or 0/false/no/off"


def load_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> dict[str, Any]:
    """The settings module as it reads `env` alone, leaving the running settings as they are."""
    for name in list(os.environ):
        if name == "DATABASE_URL" or name.startswith("TOWNSQUARE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TOWNSQUARE_DATA_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SRC / "townsquare" / "settings.py"))


def test_outbound_waits_are_bounded_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    loaded = load_settings(monkeypatch, tmp_path, DATABASE_URL="postgres://ts@db.internal/ts")
    assert loaded["EMAIL_TIMEOUT"] == 10
    assert loaded["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 3
    assert loaded["TOWNSQUARE_BROKER_TIMEOUT"] == 2


def test_an_operator_sets_each_outbound_wait(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    loaded = load_settings(
        monkeypatch,
        tmp_path,
        DATABASE_URL="postgres://ts@db.internal/ts?sslmode=require",
        TOWNSQUARE_EMAIL_TIMEOUT="2.5",
        TOWNSQUARE_DB_CONNECT_TIMEOUT="5",
        TOWNSQUARE_BROKER_TIMEOUT="0.5",
    )
    assert loaded["EMAIL_TIMEOUT"] == 2.5
    assert loaded["DATABASES"]["default"]["OPTIONS"] == {"sslmode": "require", "connect_timeout": 5}
    assert loaded["TOWNSQUARE_BROKER_TIMEOUT"] == 0.5


def test_a_connect_timeout_in_the_database_url_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = "postgres://ts@db.internal/ts?connect_timeout=9"
    loaded = load_settings(monkeypatch, tmp_path, DATABASE_URL=url, TOWNSQUARE_DB_CONNECT_TIMEOUT="5")
    assert loaded["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 9


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysqlx://ts:s3cret@db/ts", "Scheme 'mysqlx://' is unknown"),
        ("postgres://ts:s3cret@db:port/ts", "This string is not a valid url"),
    ],
)
def test_a_database_url_that_does_not_parse_is_refused_without_its_password(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, reason: str
) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings(monkeypatch, tmp_path, DATABASE_URL=url)
    assert str(refused.value).startswith("DATABASE_URL must be a database URL such as postgres://")
    assert f"({reason}" in str(refused.value) and "s3cret" not in str(refused.value)


def test_metrics_need_no_token_until_an_operator_sets_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert load_settings(monkeypatch, tmp_path)["TOWNSQUARE_METRICS_TOKEN"] == ""
    loaded = load_settings(monkeypatch, tmp_path, TOWNSQUARE_METRICS_TOKEN="0c1a9f-scrape\n")
    assert loaded["TOWNSQUARE_METRICS_TOKEN"] == "0c1a9f-scrape"
