"""How the test suite itself is run: markers, and what the default run includes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_slow_tests_are_marked_registered_and_run_by_default(pytestconfig):
    assert any(line.startswith("slow:") for line in pytestconfig.getini("markers"))
    assert "-m" not in pytestconfig.getini("addopts"), "the default run deselects nothing"
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + ["-o", "addopts=--strict-markers", "-m", "slow", "tests/test_precommit.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (
        "test_precommit.py::test_hook_fails_on_ll101_and_passes_after_the_fix" in collected.stdout
    )
