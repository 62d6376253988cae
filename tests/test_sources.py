"""Sources in memory: an overlay of texts used instead of the files on disk (`--stdin-filename`,
later the LSP), read, cached, reported and fixed without touching the disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lambdalint.config import Settings
from lambdalint.engine.fix_request import FixRequest
from lambdalint.engine.run import run

# The template makes `app.run` a handler although its signature is no handler's: only with the
# project read as context does LL101 know that `run` is on a handler path.
TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.run, Runtime: python3.12}
"""
ON_DISK = "def run(payload):\n    return payload\n"
PIPED = "import boto3\n\n\ndef run(payload):\n    return boto3.client('s3').list_buckets()\n"
FIXED = "import boto3\n\ns3_client = boto3.client('s3')\n\n\ndef run(payload):\n    return s3_client.list_buckets()\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # a project root, so the rest of the project is context
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "src" / "app.py").write_text(ON_DISK)
    return tmp_path


def lambdalint(*args: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "lambdalint", "check", "--no-cache", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=cwd)


def test_stdin_text_is_reported_under_its_name_with_the_project_as_context(project):
    done = lambdalint(
        "--stdin-filename", "src/app.py", "--select", "LL101", stdin=PIPED, cwd=project
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0].startswith("src/app.py:5:12: LL101 [*] [warning]")
    assert "in handler app.run" in done.stdout
    assert "5 |     return boto3.client('s3').list_buckets()" in done.stdout  # the piped text
    assert done.stdout.splitlines()[-2].endswith("in 1 file.")
    assert done.stdout.splitlines()[-1] == "[*] 1 fixable with --fix."
    assert (project / "src" / "app.py").read_text() == ON_DISK


def test_stdin_file_need_not_exist_on_disk(project):
    done = lambdalint(
        "--stdin-filename",
        "src/new.py",
        stdin=PIPED.replace("run(payload)", "handler(event, context)"),
        cwd=project,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("src/new.py:5:12: LL101")
    assert not (project / "src" / "new.py").exists()


def test_stdin_fix_prints_the_fixed_text_and_writes_nothing(project):
    done = lambdalint("--stdin-filename", "src/app.py", "--fix", stdin=PIPED, cwd=project)
    assert done.stdout == FIXED
    assert (project / "src" / "app.py").read_text() == ON_DISK


def test_stdin_and_paths_together_are_a_usage_error(project):
    done = lambdalint("--stdin-filename", "src/app.py", "src", stdin=PIPED, cwd=project)
    assert done.returncode == 2 and "either paths or --stdin-filename" in done.stderr


def test_overlay_is_used_for_reading_and_the_cache_keys_by_content(project):
    settings = Settings(root=project, select=["LL101"])
    app = project / "src" / "app.py"
    assert run([app], settings).findings == []  # the disk text, cached
    piped = run([app], settings, overlay={app: PIPED})
    assert [(f.rule, f.path, f.span.line) for f in piped.findings] == [("LL101", "src/app.py", 5)]
    assert piped.texts == {"src/app.py": PIPED}
    assert run([app], settings).findings == []  # the disk text again, not the overlay's result


def test_overlay_fixes_come_back_in_memory(project):
    settings = Settings(root=project, select=["LL101"])
    app = project / "src" / "app.py"
    result = run([app], settings, fixes=FixRequest("apply"), overlay={app: PIPED})
    assert result.texts == {"src/app.py": FIXED}
    assert result.findings == []
    assert app.read_text() == ON_DISK
