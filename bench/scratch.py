"""A scratch Townsquare for the in-process benches: SQLite in a folder of the bench's own, migrated."""

import os


def setup_django(data_dir: str) -> None:
    """Set Django up on a fresh SQLite database in `data_dir` (never the configured DATABASE_URL)."""
    os.environ["TOWNSQUARE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
