"""Helpers for the import stories: run `townsquare import_comments` as a newsroom would."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from townsquare.comments.models import Comment, ImportedComment

FIXTURES = Path(__file__).parent / "fixtures"


def run(path: Path | str, *options: str) -> str:
    """What the command says, for the Gazette."""
    out = StringIO()
    call_command("import_comments", "--site", "gazette", *options, str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(path: Path | str, *options: str) -> tuple[str, str]:
    """The command's refusal and the errors it listed."""
    err = StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command(
            "import_comments", "--site", "gazette", *options, str(path), stdout=StringIO(), stderr=err
        )
    return str(refusal.value), err.getvalue()


def imported(external_id: str) -> Comment:
    return ImportedComment.objects.select_related("comment").get(external_id=external_id).comment


def line_of(path: Path, text: str) -> int:
    """The number of the line of `path` that `text` begins on."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def edited(export: Path, tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """A copy of `export` in `tmp_path` with each (old, new) change made once; each old text must be there."""
    text = export.read_text()
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / f"edited{export.suffix}"
    path.write_text(text)
    return path
