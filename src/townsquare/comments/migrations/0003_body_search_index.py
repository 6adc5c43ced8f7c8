"""A GIN index for the moderators' full-text search on PostgreSQL (SQLite searches by substring).

The expression is the one `SearchVector("body", config="simple")` compiles to, so the planner uses it.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEX = "comment_body_fts_idx"


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON comments_comment "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(body, '')))"
        )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_queue_indexes")]
    operations = [migrations.RunPython(create, drop)]
