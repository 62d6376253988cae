"""The whole-run fast path: when no input, setting or tool build changed since a run, its
result is read back instead of analysing again (what an unchanged CI re-run or a repeated
`lambdalint check` costs: discovery, one stat per file and one cache read).

A file counts as unchanged when its size, modification and change times and inode are, as in
make and ruff: cheap, and content keys still guard every per-file result."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from lambdalint.config import Settings
from lambdalint.core.finding import Edit, RunResult
from lambdalint.core.rule import all_rules
from lambdalint.core.span import Span
from lambdalint.sources import SourceFile


def run_key(
    paths: list[Path],
    settings: Settings,
    sources: list[SourceFile],
    skipped: list,
    verbose: bool,
    fixes: object = None,
) -> str | None:
    """What a run's result depends on, hashed; None when a file cannot be stat'ed."""
    from lambdalint.engine.cache import cache_key

    parts = [
        "whole-run",
        repr(settings),
        # Date-dependent rules judge at today's date unless the settings fix one.
        str(settings.as_of or date.today()),
        str(Path.cwd()),  # reported paths are relative to it
        repr([str(path) for path in paths]),
        repr(skipped),
        str(verbose),
        repr(fixes),  # fixes shown (never applied) are part of the result
    ]
    for source in sources:
        try:
            stat = os.stat(source.path)
        except OSError:
            return None
        parts.append(
            f"{source.display}\0{source.path}\0{source.kind}\0{source.scan_root}\0{source.explicit}"
            f"\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}"
        )
    return cache_key(*parts)


def slot(paths: list[Path]) -> str:
    """Where a run over `paths` from here keeps its result: one entry per kind of invocation,
    replaced by each run, so the cache does not grow with every change."""
    from lambdalint.engine.cache import cache_key

    return cache_key("whole-run slot", str(Path.cwd()), repr([str(path) for path in paths]))


def recall(root: Path, paths: list[Path], key: str, files: set[str]) -> RunResult | None:
    """The stored result of a run like this one, or None. The cache is input: a stored result
    is used only when it describes nothing but `files` (the run's own display paths) and holds
    only what a read-only run from disk produces."""
    from lambdalint.engine.cache import Cache

    stored = Cache(root).get(slot(paths))
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key):
        return None
    result = stored[1]
    return result if isinstance(result, RunResult) and _only_about(result, files) else None


def _only_about(result: RunResult, files: set[str]) -> bool:
    known = all_rules()
    spans: list[object] = []
    for finding in result.findings:
        if finding.rule not in known:
            return False
        spans += [finding.where, *(related.where for related in finding.related)]
        if finding.fix is not None:
            spans += finding.fix.edits
    return (
        all(isinstance(where, (Span, Edit)) and where.path in files for where in spans)
        and all(skipped.path in files for skipped in result.skipped)
        and all(rule in known for rule in result.rules)
        and not result.texts  # only runs without an overlay are stored
        and 0 <= result.files_checked <= len(files)
        and _wrote_nothing(result, files)
    )


def _wrote_nothing(result: RunResult, files: set[str]) -> bool:
    """Only runs that show fixes are stored: nothing fixed, diffed or written."""
    if not hasattr(result, "files_fixed"):
        return True  # a plain RunResult: the run computed no fixes
    return (
        result.fixed == 0
        and not result.files_fixed
        and not result.diff
        and not result.not_written
        and all(any(line.startswith(f"{f}: ") for f in files) for line in result.dropped)
    )


def remember(root: Path, paths: list[Path], key: str, result: RunResult) -> None:
    from lambdalint.engine.cache import Cache

    Cache(root).put(slot(paths), (key, result))
