"""System checks with stable ids: each explains a misconfiguration and how to fix it."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        return [
            Warning(
                "TOWNSQUARE_SECRET_KEY is not set: sessions and IP hashes use the development key.",
                hint="Set TOWNSQUARE_SECRET_KEY to a long random value in production.",
                id="townsquare.W001",
            )
        ]
    return []
