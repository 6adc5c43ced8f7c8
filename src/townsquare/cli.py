"""The `townsquare` console script: Django's management commands under one name.

`townsquare serve`, `townsquare worker`, `townsquare moderate` and `townsquare model` are
management commands that live with the app they act on; this only sets the settings module.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["townsquare", *argv])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
