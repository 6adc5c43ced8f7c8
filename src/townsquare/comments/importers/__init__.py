"""Converters: another system's export read as the records `comments.importlines` checks, so an
import from Disqus, WordPress or Isso keeps every guarantee of one in Townsquare's own format (every
comment checked first, one bad comment and nothing is stored, each error with its line; jobs; a
comment imported again is skipped by its id).

A converter is a function `read(path, options) -> Export`: its records are read lazily, each comment
once, and a file that cannot be read as the format at all raises `ImportFileError` while they are.
Ids are prefixed with the format ("disqus:1042"; WordPress's with the blog's host too,
"wordpress:gazette.example:31", as every blog counts from 1), so comments of two systems never take
each other's place, and the same export imported again finds its comments by the same ids.
"""

from collections.abc import Callable
from pathlib import Path

from townsquare.comments.importers import disqus, isso, jsonl, wordpress
from townsquare.comments.importers.base import Export, ImportFileError, Key, Options

__all__ = ["FORMATS", "Export", "ImportFileError", "Key", "Options", "read"]

FORMATS: dict[str, Callable[[Path, Options], Export]] = {
    "jsonl": jsonl.read,
    "disqus": disqus.read,
    "wordpress": wordpress.read,
    "isso": isso.read,
}


def read(name: str, path: Path, options: Options) -> Export:
    """The export at `path` in the format `name` (a key of FORMATS)."""
    return FORMATS[name](path, options)
