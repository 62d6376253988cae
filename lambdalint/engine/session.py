"""A warm engine for editors: a language server holds one Session and checks its open buffers
again after every edit. Per-file results stay in memory keyed by content, so an edit re-reads
the project but re-parses only the files whose text changed."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from lambdalint.config import Settings
from lambdalint.core.finding import RunResult
from lambdalint.frontends.registry import frontend_of_kind
from lambdalint.sources import SourceFile, read_bytes

if TYPE_CHECKING:
    from lambdalint.core.finding import Finding
    from lambdalint.engine.fix_request import FixRequest
    from lambdalint.engine.located import LocatedEntry
    from lambdalint.engine.run import TemplateInputs
    from lambdalint.engine.work import FileResult

# What a per-file result depends on: where the file is, how it is read, and its bytes.
ResultKey = tuple[str, str, str, str, bool, str]


class ResultMemory:
    """Per-file results of the last run, by content: only the latest version of each file is
    kept, so memory stays the size of one project."""

    def __init__(self) -> None:
        self.results: dict[ResultKey, FileResult] = {}
        # What placing findings produced (spans, fixes), by engine/located.py's key.
        self.located: dict[str, LocatedEntry] = {}
        # The template rules' findings with what they read (engine/run.py run_template_rules).
        self.template_findings: tuple[TemplateInputs, list[Finding]] | None = None

    def recall(
        self, sources: list[SourceFile], max_size: int, parse_python: bool
    ) -> tuple[dict[int, FileResult], list[ResultKey | None]]:
        """The remembered results by position in `sources`, and every source's key."""
        keys = [_key(source, max_size, parse_python) for source in sources]
        found = {
            position: replace(self.results[key], source=source)
            for position, (source, key) in enumerate(zip(sources, keys, strict=True))
            if key is not None and key in self.results
        }
        return found, keys

    def keep(self, keys: list[ResultKey | None], results: list[FileResult]) -> None:
        # An internal error (a failed step, a worker that died) is not the file's result: the
        # next check tries the file again, as the on-disk cache does.
        self.results = {
            key: result
            for key, result in zip(keys, results, strict=True)
            if key is not None and not any(f.rule == "LL000" for f in result.findings)
        }


def _key(source: SourceFile, max_size: int, parse_python: bool) -> ResultKey | None:
    if frontend_of_kind(source.kind).assembles:
        return None  # a unit's files are analysed together: one edit re-reads the whole unit
    data, _ = read_bytes(source, max_size)
    if data is None:
        return None  # unreadable or too large: analysed again, which reports why
    digest = hashlib.sha256(data).hexdigest()
    where = (source.display, str(source.path), str(source.scan_root), source.kind)
    return (*where, parse_python, digest)


class Session:
    """One configuration's warm engine: `check` is `run` with the per-file results of unchanged
    files taken from memory."""

    def __init__(self, settings: Settings, verbose: bool = False) -> None:
        self.settings = settings
        self.verbose = verbose
        self.memory = ResultMemory()

    def check(
        self,
        paths: list[Path],
        overlay: Mapping[Path, str] | None = None,
        fixes: FixRequest | None = None,
    ) -> RunResult:
        from lambdalint.engine.run import run

        return run(paths, self.settings, self.verbose, fixes, overlay=overlay, memory=self.memory)
