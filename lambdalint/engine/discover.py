"""Which files a run looks at, and which it leaves alone (with why)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lambdalint.config import Settings, path_matches
from lambdalint.core.finding import Skipped

DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".eggs",
        "node_modules",
        ".aws-sam",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".lambdalint_cache",
    }
)
PYTHON_SUFFIXES = frozenset({".py"})
TEMPLATE_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".template"})
TERRAFORM_SUFFIXES = frozenset({".tf"})


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    display: str  # relative to the working directory when below it, POSIX separators
    kind: str  # "python", "template", "terraform"
    scan_root: Path  # the directory the file was found under, the limit for import lookups
    explicit: bool  # named on the command line


def kind_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in PYTHON_SUFFIXES:
        return "python"
    if suffix in TEMPLATE_SUFFIXES:
        return "template"
    if suffix in TERRAFORM_SUFFIXES:
        return "terraform"
    return None


def display_path(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def is_vendored_dir(directory: Path, names: list[str]) -> str | None:
    """Why a directory is a copy of third-party packages, or None when it is the project's own."""
    if directory.name == "site-packages":
        return "a site-packages tree"
    for name in names:
        if name.endswith((".dist-info", ".egg-info")):
            return f"a vendored package tree (holds {name})"
    if directory.name in ("boto3", "botocore") and "__init__.py" in names:
        return f"a vendored copy of {directory.name}"
    return None


class _IgnoreFiles:
    """The .gitignore files met on the way down, each applying below its own directory."""

    def __init__(self) -> None:
        self.specs: list[tuple[Path, object]] = []

    def load(self, directory: Path) -> None:
        ignore_file = directory / ".gitignore"
        if not ignore_file.is_file():
            return
        import pathspec

        try:
            lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        self.specs.append((directory, pathspec.GitIgnoreSpec.from_lines(lines)))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        for base, spec in self.specs:
            try:
                relative = path.relative_to(base).as_posix()
            except ValueError:
                continue
            if spec.match_file(relative + ("/" if is_dir else "")):
                return True
        return False


def discover(paths: list[Path], settings: Settings) -> tuple[list[SourceFile], list[Skipped]]:
    files: dict[Path, SourceFile] = {}
    skipped: list[Skipped] = []
    for given in paths:
        absolute = given.resolve() if given.exists() else given.absolute()
        if not given.exists():
            skipped.append(Skipped(display_path(absolute), "no such file or directory"))
            continue
        if absolute.is_file():
            kind = kind_of(absolute)
            if kind and not _excluded(absolute, settings) and absolute not in files:
                files[absolute] = SourceFile(
                    absolute, display_path(absolute), kind, absolute.parent, True
                )
            continue
        for source in _walk(absolute, settings, skipped):
            files.setdefault(source.path, source)
    return sorted(files.values(), key=lambda f: f.display), skipped


def _excluded(path: Path, settings: Settings) -> bool:
    try:
        relative = path.relative_to(settings.root).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(path_matches(relative, pattern) for pattern in settings.exclude)


def _walk(top: Path, settings: Settings, skipped: list[Skipped]):
    ignores = _IgnoreFiles()
    for parent in reversed([top, *top.parents]):
        # .gitignore files above the scanned directory apply too, up to the repository root.
        if parent != top and not (parent / ".git").exists() and not _inside_repo(parent, top):
            continue
        ignores.load(parent)

    def onerror(error: OSError) -> None:
        skipped.append(
            Skipped(display_path(Path(error.filename or top)), f"unreadable: {error.strerror}")
        )

    for directory, dirnames, filenames in os.walk(top, onerror=onerror):
        here = Path(directory)
        if here != top:
            ignores.load(here)
        reason = is_vendored_dir(here, dirnames + filenames) if here != top else None
        if reason:
            skipped.append(Skipped(display_path(here), reason))
            dirnames[:] = []
            continue
        kept = []
        for name in sorted(dirnames):
            child = here / name
            if name in DEFAULT_EXCLUDED_DIRS or _excluded(child, settings):
                continue
            if ignores.ignored(child, is_dir=True) or os.path.islink(child):
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            child = here / name
            kind = kind_of(child)
            if kind is None or _excluded(child, settings) or ignores.ignored(child, is_dir=False):
                continue
            yield SourceFile(child, display_path(child), kind, top, False)


def _inside_repo(parent: Path, top: Path) -> bool:
    """Whether `parent` lies between `top` and the git repository root holding it."""
    for candidate in [top, *top.parents]:
        if (candidate / ".git").exists():
            return parent == candidate or candidate in parent.parents
    return False
