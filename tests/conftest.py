from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.config import Settings
from lambdalint.core.finding import RunResult
from lambdalint.engine.run import run


@pytest.fixture
def lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write files into a fresh directory and lint it: `lint({"app.py": src}, select=[...])`."""
    monkeypatch.chdir(tmp_path)

    def _lint(files: dict[str, str], **settings) -> RunResult:
        for name, text in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return run([Path(".")], Settings(root=tmp_path, **settings))

    return _lint
