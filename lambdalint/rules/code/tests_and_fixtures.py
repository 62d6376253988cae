"""Which modules are test code: test suites and their fixtures are never deployed, so they may
set fake credentials, regions and reserved variables for local mocks."""

from __future__ import annotations

from pathlib import PurePosixPath

TEST_DIRECTORIES = frozenset({"tests", "test", "testing", "fixtures", "__tests__"})


def is_test_module(path: str) -> bool:
    """`conftest.py`, `test_*.py`, `*_test.py`, or anything under a tests or fixtures directory."""
    parts = PurePosixPath(path).parts
    name = parts[-1] if parts else ""
    return (
        name == "conftest.py"
        or name.startswith("test_")
        or name.endswith("_test.py")
        or any(part in TEST_DIRECTORIES for part in parts[:-1])
    )
