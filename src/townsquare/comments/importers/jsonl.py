"""Townsquare's own import format: JSON Lines, one `CommentLine` a line (see `import_comments`)."""

from collections.abc import Iterator
from pathlib import Path

from townsquare.comments.importers.base import Export, Options
from townsquare.comments.importlines import Record, json_records


def read(path: Path, options: Options) -> Export:
    return Export(_records(path))


def _records(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8-sig") as lines:
        yield from json_records(lines)
