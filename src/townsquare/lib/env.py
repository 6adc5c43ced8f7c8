"""Typed settings from environment variables: a bad value is refused naming the variable and the value.

An unset variable gives the default. A set one must parse, blank included: `TOWNSQUARE_EMAIL_TLS=`
is refused rather than read as "off", since a template that forgot to fill it in should not turn
TLS off. `townsquare` prints the refusal as one line and exits with status 2.
"""

import math
import os
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


def _refuse(name: str, value: str, wanted: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name} must be {wanted}, not {value!r}.")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise _refuse(name, value, "one of 1/true/yes/on or 0/false/no/off")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise _refuse(name, value, "a whole number") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = float(value.strip())
    except ValueError:
        raise _refuse(name, value, "a number") from None
    if not math.isfinite(number):  # "inf" or "nan" would make a timeout or budget unbounded
        raise _refuse(name, value, "a finite number")
    return number


def env_token(name: str) -> str:
    """A bearer token, "" when unset. A set one loses the spaces and newline around it (as Prometheus
    trims a credentials file) and must then be printable ASCII without spaces, as a header carries it.
    A refusal never repeats it: it is a secret."""
    value = os.environ.get(name)
    if value is None:
        return ""
    token = value.strip()
    if not token:
        raise ImproperlyConfigured(f"{name} must be a token when it is set; it is blank.")
    if not all("!" <= ch <= "~" for ch in token):
        raise ImproperlyConfigured(f"{name} must be printable ASCII without spaces; it holds something else.")
    return token


def env_database(default: str, **options: Any) -> dict[str, Any]:
    """`DATABASE_URL` (else `default`) as Django's DATABASES entry; a URL that does not parse is refused
    without repeating it, since it may hold a password."""
    try:
        return dict(dj_database_url.config(default=default, **options))
    except ValueError as exc:
        schemes = "postgres://user:password@host:5432/name or sqlite:////path/to/file"
        reason = str(exc).split(". ")[0].rstrip(".")
        wanted = f"DATABASE_URL must be a database URL such as {schemes}"
        raise ImproperlyConfigured(f"{wanted} ({reason}).") from None
