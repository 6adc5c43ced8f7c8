"""`townsquare import_comments --site SLUG FILE`: a newsroom's comments from another system, as jobs.

FILE is JSON Lines, one comment per line, for example:

    {"id": "c-1", "article": "peace-talks", "article_url": "https://gazette.example/peace-talks",
     "article_title": "Peace talks", "author": "Jane Doe", "author_email": "jane@example.org",
     "author_id": "u-7", "body": "Finally.", "created_at": "2024-03-01T09:30:00Z"}
    {"id": "c-2", "article": "peace-talks", "parent_id": "c-1", "author": "Sam", "body": "Agreed.",
     "created_at": "2024-03-01T10:02:00+01:00", "state": "held"}

`state` is "published" (the default), "held", "rejected" or "deleted". The work is in
`comments.importlines` (the checks) and `comments.imports` (the storing); the command reports and
queues.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from townsquare.comments import importlines, imports
from townsquare.sites.models import Site

MAX_SHOWN = 200


class Command(BaseCommand):
    help = (
        "Import comments from another system, stored by queued jobs. FILE is JSON Lines, one comment per "
        "line: id, article, body, author, created_at (ISO 8601 with a time zone) and optionally "
        'article_url, article_title, parent_id, author_email, author_id, state ("published", the default, '
        '"held", "rejected" or "deleted"). Every line is checked first; one bad line and nothing is imported.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="JSON Lines, one comment per line")
        parser.add_argument("--site", required=True, help="the site's slug")
        parser.add_argument(
            "--chunk-size", type=int, default=imports.CHUNK, help=f"lines per job (default {imports.CHUNK})"
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="queue again the lines of earlier imports still waiting (a job lost with its worker)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            raise CommandError(f'There is no site "{options["site"]}".')
        chunk: int = options["chunk_size"]
        if chunk < 1:
            raise CommandError("--chunk-size must be at least 1.")
        path: Path | None = options["file"]
        if options["resume"]:
            if path is not None:
                raise CommandError("--resume takes no file: it queues what earlier imports left.")
            self.stdout.write(f"Import jobs queued again: {imports.do_resume_imports(site, chunk=chunk)}.")
            return
        if path is None:
            raise CommandError("Name the file to import (or use --resume).")
        try:
            with path.open(encoding="utf-8-sig") as lines:
                plan = importlines.check_lines(site, lines)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        if plan.errors:
            for error in plan.errors[:MAX_SHOWN]:
                self.stderr.write(f"{path}: {error}")
            if len(plan.errors) > MAX_SHOWN:
                self.stderr.write(f"... and {len(plan.errors) - MAX_SHOWN} more errors")
            bad = len({error.line_no for error in plan.errors})
            raise CommandError(
                f"{path}: {bad} lines have errors; nothing was imported. Fix them and run again."
            )
        if not plan.lines:
            self.stdout.write(f"{path}: nothing new ({plan.known} comments imported before).")
            return
        batch, jobs = imports.do_queue_import(site, plan, source=str(path), chunk=chunk)
        self.stdout.write(
            f"{path}: {len(plan.lines)} comments to import ({plan.known} imported before, skipped); "
            f"import #{batch.pk}: {jobs} job(s) of up to {chunk} lines queued."
        )
        if settings.TOWNSQUARE_JOBS == "inline":
            batch.refresh_from_db()
            if batch.finished_at is not None:
                self.stdout.write("All stored.")
            else:
                self.stdout.write(
                    f"{batch.pending.count()} lines are still waiting (see the log); "
                    f"`townsquare import_comments --site {site.slug} --resume` queues them again."
                )
        else:
            self.stdout.write(
                "The workers store them; if a worker is lost, "
                f"`townsquare import_comments --site {site.slug} --resume` queues what is left."
            )
