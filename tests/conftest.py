from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.config import CONFIG_FILES, Settings, read_config
from lambdalint.core.finding import RunResult
from lambdalint.engine.run import run


@pytest.fixture(autouse=True)
def user_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Runs outside a project cache in the user's cache directory: the suite's own, not $HOME's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "user-cache"))


@pytest.fixture
def lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write files into a fresh directory and lint it: `lint({"app.py": src}, select=[...])`.
    A `lambdalint.toml` or `pyproject.toml` among the files is the run's configuration (rule pages
    declare handlers that way); keyword settings override it."""
    monkeypatch.chdir(tmp_path)

    def _lint(files: dict[str, str], **settings) -> RunResult:
        for name, text in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        config = next((tmp_path / name for name in CONFIG_FILES if name in files), None)
        base = read_config(config) if config is not None else Settings(root=tmp_path)
        for key, value in settings.items():
            setattr(base, key, value)
        return run([Path(".")], base)

    return _lint
