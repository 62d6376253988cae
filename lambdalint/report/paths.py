"""Where findings' files are, as CI products want them: relative to the repository root."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote


def repository_root(start: Path | None = None) -> Path:
    """The git repository holding the current directory, else the current directory: SARIF and
    GitLab resolve paths against the checkout's root, not where the command ran."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


class RepositoryPaths:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or repository_root()

    def relative(self, display: str) -> str | None:
        """The file's POSIX path under the root, or None when it lies outside."""
        absolute = Path(os.path.abspath(display))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def path(self, display: str) -> str:
        """Relative to the root when inside it, else as displayed."""
        relative = self.relative(display)
        return relative if relative is not None else Path(display).as_posix()

    def root_uri(self) -> str:
        return self.root.as_uri().rstrip("/") + "/"


def file_uri(display: str) -> str:
    """An absolute `file://` URI for a displayed path."""
    return Path(os.path.abspath(display)).as_uri()


def relative_uri(relative: str) -> str:
    return quote(relative, safe="/")
