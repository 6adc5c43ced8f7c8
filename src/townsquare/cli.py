"""The `townsquare` console script: Django's management commands under one name.

`townsquare serve`, `townsquare worker`, `townsquare moderate` and `townsquare model` are
management commands that live with the app they act on; this only sets the settings module.
"""

import os
import sys

# Exit status for a configuration the settings refuse (a setting that does not parse), as for a
# usage error: the operator has something to fix, and a traceback would only bury it.
EXIT_CONFIG = 2


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Loaded here, not lazily by whichever command touches it first, so that a refused setting
        # is reported once, as one line, for every command.
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as exc:
        print(f"townsquare: {exc}", file=sys.stderr)
        sys.exit(EXIT_CONFIG)
    args = list(sys.argv if argv is None else ["townsquare", *argv])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
