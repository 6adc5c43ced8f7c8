"""`townsquare import_comments --site SLUG [--format F] FILE`: a newsroom's comments from another
system, as jobs.

By default FILE is Townsquare's own format, JSON Lines, one comment per line, for example:

    {"id": "c-1", "article": "peace-talks", "article_url": "https://gazette.example/peace-talks",
     "article_title": "Peace talks", "author": "Jane Doe", "author_email": "jane@example.org",
     "author_id": "u-7", "body": "Finally.", "created_at": "2024-03-01T09:30:00Z"}
    {"id": "c-2", "article": "peace-talks", "parent_id": "c-1", "author": "Sam", "body": "Agreed.",
     "created_at": "2024-03-01T10:02:00+01:00", "state": "held"}

`state` is "published" (the default), "held", "rejected" or "deleted". `--format disqus`,
`wordpress` or `isso` reads that system's export instead (`comments.importers`), keyed by `--key`.
The work is in `comments.importers` (reading), `comments.importlines` (the checks) and
`comments.imports` (the storing); the command reports and queues.
"""

from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator

from townsquare.comments import importers, importlines, imports
from townsquare.comments.importers.base import KEYS
from townsquare.sites.models import Site

MAX_SHOWN = 200


class Command(BaseCommand):
    help = (
        "Import comments from another system, stored by queued jobs. By default FILE is JSON Lines, one "
        "comment per line: id, article, body, author, created_at (ISO 8601 with a time zone) and "
        'optionally article_url, article_title, parent_id, author_email, author_id, state ("published", '
        'the default, "held", "rejected" or "deleted") and article_closed (true: the thread was closed '
        "there, and is closed here when its first comments are imported). --format disqus reads a Disqus "
        "XML export, --format wordpress a WordPress export (WXR; pingbacks and trackbacks are skipped), "
        "--format isso an Isso SQLite database; their HTML becomes plain text with paragraphs and links, "
        "their spam rejected, their deleted comments deleted, their closed threads closed, and --key says"
        " how their threads become articles. Every comment is checked first; one bad comment and nothing "
        "is imported. Importing the same file again adds only what is new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", type=Path, help="the export: JSON Lines, an XML file or an Isso database"
        )
        parser.add_argument("--site", required=True, help="the site's slug")
        parser.add_argument(
            "--format",
            choices=list(importers.FORMATS),
            default="jsonl",
            help="what FILE is (default jsonl, Townsquare's own)",
        )
        parser.add_argument(
            "--key",
            choices=KEYS,
            help="how a thread of another system becomes an article: by its full address (url, the "
            "default: what embed.js uses without data-article), its path and query (path), or that "
            "system's id of it (id: Disqus's identifier, WordPress's post id), whichever your "
            "pages' data-article will say",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="for --format isso with --key url: the site's address, before Isso's thread paths",
        )
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
        export, plan = self._check(site, path, options)
        for note, count in sorted(export.notes.items()):
            self.stdout.write(f"{path}: {note}: {count}.")
        if plan.errors:
            for error in plan.errors[:MAX_SHOWN]:
                self.stderr.write(f"{path}: {error}")
            if len(plan.errors) > MAX_SHOWN:
                self.stderr.write(f"... and {len(plan.errors) - MAX_SHOWN} more errors")
            raise CommandError(f"{path}: {plan.refusal()}; nothing was imported. Fix them and run again.")
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

    def _check(
        self, site: Site, path: Path, options: dict[str, Any]
    ) -> tuple[importers.Export, importlines.Plan]:
        """Read the file in its format and check every comment in it; stores nothing."""
        name: str = options["format"]
        key: str | None = options["key"]
        base_url: str = options["base_url"].strip()
        if name == "jsonl" and (key or base_url):
            raise CommandError(
                "--key and --base-url are for --format disqus, wordpress or isso: "
                "a JSON line names its article."
            )
        if base_url:
            try:
                URLValidator(schemes=["http", "https"])(base_url)
            except ValidationError as exc:
                raise CommandError("--base-url must be an http:// or https:// address.") from exc
        try:
            export = importers.read(
                name, path, importers.Options(cast(importers.Key, key or "url"), base_url)
            )
            plan = importlines.check_records(site, export.records, unit=export.unit, names=export.names)
        except importers.ImportFileError as exc:
            raise CommandError(f"{path}: {exc}. Nothing was imported.") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        return export, plan
