"""`townsquare moderate`: a dry run over JSON Lines, one answer per line, in order, no writes."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from townsquare.comments.models import Comment
from townsquare.moderation.models import ModerationEvent

LABELS = {"toxicity", "insult", "identity_attack", "threat", "profanity", "spam"}


def run(lines, *args, stdin=None):
    out = io.StringIO()
    call_command("moderate", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_judges_each_line_in_order(tmp_path, db):
    path = tmp_path / "comments.jsonl"
    rows = [
        {"text": "A calm and careful analysis, thank you."},
        {"text": "I know where you work. I'll make sure your boss reads this.", "author": "x"},
        {"text": "Did you even finish school?", "parent_text": "The treaty is fair."},
        {"text": "EARN $500 A DAY FROM HOME!!! message me on telegram @fastcash now!!!"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    results = run(None, str(path))
    assert [r["decision"] for r in results] == ["publish", "reject", "hold", "reject"]
    for result in results:
        assert set(result["scores"]) == LABELS
        assert all(0.0 <= v <= 1.0 for v in result["scores"].values())
        for reason in result["reasons"]:
            assert set(reason) == {"code", "text", "span"}
    assert results[1]["reasons"][0]["code"] == "doxxing"
    assert not Comment.objects.exists() and not ModerationEvent.objects.exists()


def test_it_reads_standard_input(monkeypatch, db):
    monkeypatch.setattr("sys.stdin", io.StringIO('{"text": "Fine words."}\n'))
    assert run(None, "-")[0]["decision"] == "publish"


def test_bad_lines_get_an_error_line_in_place_and_a_failing_exit(tmp_path, db):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\nnot json\n{"body": "no text"}\n{"text": "still ok"}\n', encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 input line"):
        call_command("moderate", str(path), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [("error" in line) for line in lines] == [False, True, True, False]
    assert lines[1]["line"] == 2


def test_a_missing_file_or_site_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("moderate", "/nonexistent/file.jsonl")
    with pytest.raises(CommandError, match="no site"):
        call_command("moderate", "--site", "nowhere", "-")


def test_it_uses_a_sites_own_policy(tmp_path, gazette):
    gazette.policy = {"wordlist_banned": ["treatybreaker"]}
    gazette.save()
    path = tmp_path / "one.jsonl"
    path.write_text('{"text": "You treatybreaker."}\n', encoding="utf-8")
    assert run(None, str(path))[0]["decision"] == "publish"
    assert run(None, "--site", "gazette", str(path))[0]["decision"] == "reject"
