"""Baselines: accept today's findings, report only new ones."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint.cli import main
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.span import Span
from lambdalint.engine.baseline import BaselineError, read_baseline, subtract, write_baseline

CLIENT = (
    "import boto3\n\ndef handler(event, context):\n    s3 = boto3.client('s3')\n    return s3\n"
)
SLEEP = "import time\n\ndef handler(event, context):\n    time.sleep(5)\n"


def finding(fingerprint: str, line: int = 1) -> Finding:
    return Finding(
        "LL101", Severity.WARNING, "m", Span("app.py", line, 1, line, 2), fingerprint=fingerprint
    )


def test_fingerprints_count_as_a_multiset():
    new, unmatched = subtract([finding("a"), finding("a", 2), finding("b")], Counter({"a": 1}))
    assert new == [finding("a", 2), finding("b")] and unmatched == 0


def test_entries_nothing_matches_are_counted():
    new, unmatched = subtract([finding("a")], Counter({"a": 2, "c": 1}))
    assert new == [] and unmatched == 2


def test_a_finding_without_fingerprint_is_never_hidden():
    new, _ = subtract([finding("")], Counter({"": 5}))
    assert new == [finding("")]


def test_write_then_read_round_trips(tmp_path: Path):
    path = tmp_path / "baseline.json"
    assert write_baseline(path, [finding("a"), finding("a"), finding("b"), finding("")]) == 3
    assert read_baseline(path) == Counter({"a": 2, "b": 1})
    data = json.loads(path.read_text())
    assert data["version"] == 1
    assert data["findings"][0] == {
        "fingerprint": "a",
        "rule": "LL101",
        "path": "app.py",
        "message": "m",
    }
    assert list(tmp_path.iterdir()) == [path]  # no temporary left behind


@pytest.mark.parametrize(
    "text, says",
    [
        ("{", "not JSON"),
        ("[]", "not a lambdalint baseline"),
        ('{"version": 1, "findings": [{"rule": "LL101"}]}', "must be a list"),
    ],
)
def test_a_bad_baseline_is_a_clear_error(tmp_path: Path, text: str, says: str):
    path = tmp_path / "baseline.json"
    path.write_text(text)
    with pytest.raises(BaselineError, match=says):
        read_baseline(path)


def test_check_with_a_bad_or_missing_baseline_exits_2(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(CLIENT)
    (tmp_path / "bad.json").write_text("{")
    for name in ("bad.json", "missing.json"):
        result = CliRunner().invoke(main, ["check", "--baseline", name])
        assert result.exit_code == 2 and name in result.output


def test_baseline_command_writes_a_baseline_file(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(CLIENT)
    result = CliRunner().invoke(main, ["baseline", "lambdalint-baseline.json", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert read_baseline(tmp_path / "lambdalint-baseline.json") is not None


def test_a_baseline_hides_todays_findings_and_only_those(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(CLIENT)
    (tmp_path / "other.py").write_text(CLIENT.replace("s3", "sqs"))

    def check(*args: str):
        return CliRunner().invoke(
            main, ["check", "--no-cache", "--format", "concise", "--baseline", "base.json", *args]
        )

    assert CliRunner().invoke(main, ["baseline", "base.json", "--no-cache"]).exit_code == 0
    assert check().exit_code == 0 and check("--quiet").output == ""

    # One new violation (in a file with old ones), then lines inserted above the old ones.
    (tmp_path / "app.py").write_text(CLIENT + "\n\n" + SLEEP.replace("handler", "other"))
    first = check("--quiet").output.splitlines()
    assert len(first) == 1 and "LL111" in first[0]
    (tmp_path / "app.py").write_text("# moved\n# down\n" + (tmp_path / "app.py").read_text())
    second = check("--quiet").output.splitlines()
    assert len(second) == 1 and "LL111" in second[0]

    # Fixed, the baseline rewritten, then reintroduced: new again.
    (tmp_path / "other.py").write_text("def handler(event, context):\n    return 1\n")
    assert CliRunner().invoke(main, ["baseline", "base.json", "--no-cache"]).exit_code == 0
    (tmp_path / "other.py").write_text(CLIENT.replace("s3", "sqs"))
    assert [line.split(":")[0] for line in check("--quiet").output.splitlines()].count(
        "other.py"
    ) == 1
