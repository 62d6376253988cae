"""The pre-commit hook, run by a real pre-commit against a throwaway repository."""

from __future__ import annotations

import os
import re
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


def readme_snippet(repo: str, rev: str) -> str:
    """The README's pre-commit configuration, verbatim but for the repository and revision."""
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## pre-commit\n", 1)[1]
    snippet = re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)
    written_rev = re.search(r"^\s*rev: (\S+)", snippet, re.MULTILINE).group(1)
    tags = git("tag", "--list", cwd=CHECKOUT).split()
    # What a reader copies must work: a placeholder they fill in, or a tag that exists.
    assert written_rev == "<commit-sha>" or written_rev in tags, (
        f"rev: {written_rev} does not exist"
    )
    snippet = re.sub(r"^(\s*- repo: )\S+", rf"\g<1>{repo}", snippet, count=1, flags=re.MULTILINE)
    return re.sub(r"^(\s*rev: )\S+", rf"\g<1>{rev}", snippet, count=1, flags=re.MULTILINE)


def test_readme_snippet_names_a_revision_that_exists():
    if not (CHECKOUT / ".git").exists():
        pytest.skip("needs a git checkout of lambdalint")
    snippet = readme_snippet("/checkout", "0123abc")
    assert "  - repo: /checkout\n    rev: 0123abc\n" in snippet
    assert "      - id: lambdalint\n" in snippet


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_hook_fails_on_ll101_and_passes_after_the_fix(tmp_path):
    if not (CHECKOUT / ".git").exists():
        pytest.skip("needs a git checkout of lambdalint")
    rev = git("rev-parse", "HEAD", cwd=CHECKOUT).strip()
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(readme_snippet(CHECKOUT.as_posix(), rev))
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
