"""The pre-commit hook, run by a real pre-commit against a throwaway repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
BAD = (
    "import boto3\n\n\ndef handler(event, context):\n    return boto3.client('s3').list_buckets()\n"
)
FIXED = "import boto3\n\ns3 = boto3.client('s3')\n\n\ndef handler(event, context):\n    return s3.list_buckets()\n"


def git(*args: str, cwd: Path) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_hook_fails_on_ll101_and_passes_after_the_fix(tmp_path):
    if not (CHECKOUT / ".git").exists():
        pytest.skip("needs a git checkout of lambdalint")
    rev = git("rev-parse", "HEAD", cwd=CHECKOUT).strip()
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {CHECKOUT.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: lambdalint\n"
    )
    (repo / "app.py").write_text(BAD)
    git("add", ".", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def pre_commit() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    failing = pre_commit()
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "app.py:5:12: LL101" in failing.stdout

    (repo / "app.py").write_text(FIXED)
    git("add", ".", cwd=repo)
    passing = pre_commit()
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
