"""The work done for one file, in a worker process: read, hand to its frontend, cache. Picklable
results only."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lambdalint.core.directive import Directive
from lambdalint.core.files import leaves, read_regular
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.span import Span
from lambdalint.frontends.registry import Analysis, Frontend, frontend_of_kind
from lambdalint.sources import (
    SourceFile,
    decode_text,
    module_name,
    parse_error,
    read_bytes,
)

if TYPE_CHECKING:
    # Python files are parsed for facts (True), only read for their comments (False), or
    # skimmed for the pre-pass (a Skim).
    from lambdalint.frontends.python.outline import Skim

__all__ = [
    "FileResult",
    "analyse_file",
    "analyse_template",
    "analyse_unit",
    "analyse_work",
    "own_entry",
    "result_key",
    "parse_error",
    "step_failed",
]


@dataclass
class FileResult:
    source: SourceFile
    facts: object | None = None  # ModuleFacts for Python files
    template: object | None = None  # the template frontend's result for IaC files
    findings: list[Finding] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    passed_over: str = ""  # why its frontend found it not to be its kind: not checked
    # Documents its frontend parsed, as (cache key, entry): carried from the worker to the
    # process that writes the cache, then emptied.
    documents: list[tuple[str, str]] = field(default_factory=list)
    # A Python file's pre-pass outline (frontends/python/outline.py), when it was skimmed.
    outline: object | None = None

    def take(self, analysis: Analysis) -> FileResult:
        if self.source.kind == "python":
            self.facts = analysis.model
        else:
            self.template = analysis.model
        self.findings += analysis.findings
        self.directives = analysis.directives
        self.passed_over = analysis.passed_over
        self.outline = analysis.outline
        return self


def analyse_file(
    source: SourceFile, max_size: int, parse_python: bool | Skim, verbose: bool = False
) -> FileResult:
    """Everything done for one file. Never raises: a failure in any step is one LL000 finding
    for this file (naming the step; the traceback with `verbose`), and the run goes on."""
    step = _Step()
    try:
        return _analyse(source, max_size, parse_python, step)
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the run
        return FileResult(source, findings=[step_failed(source.display, step.name, exc, verbose)])


class _Step:
    name = "read"


def step_failed(path: str, step: str, exc: BaseException, verbose: bool) -> Finding:
    reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    message = f"internal error in the {step} step on this file: {reason}"
    if verbose:
        message += "\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Finding("LL000", Severity.ERROR, message, Span.point(path, 1))


def _analyse(
    source: SourceFile, max_size: int, parse_python: bool | Skim, step: _Step
) -> FileResult:
    frontend = frontend_of_kind(source.kind)
    result = FileResult(source)
    data, error = read_bytes(source, max_size)
    if data is None:
        return _unreadable(result, frontend, error)
    step.name = "decode"
    text, error = decode_text(source, data)
    if text is None:
        return _unreadable(result, frontend, error, data)
    step.name = f"{source.kind} frontend"
    parse = parse_python if source.kind == "python" else True
    return result.take(frontend.analyse()(source, text, parse))


def analyse_unit(
    sources: list[SourceFile], max_size: int, parse_python: bool, verbose: bool = False
) -> list[FileResult]:
    """The files of one unit of an assembling frontend (a Terraform module), analysed together:
    each read here (from memory where the overlay holds it), then all handed over at once.
    Never raises: a failure is one LL000 for each file of the unit."""
    try:
        return _analyse_unit(sources, max_size)
    except Exception as exc:  # noqa: BLE001 - one unit's failure must not stop the run
        frontend = f"{sources[0].kind} frontend"
        return [
            FileResult(s, findings=[step_failed(s.display, frontend, exc, verbose)])
            for s in sources
        ]


def _analyse_unit(sources: list[SourceFile], max_size: int) -> list[FileResult]:
    frontend = frontend_of_kind(sources[0].kind)
    results = [FileResult(source) for source in sources]
    texts: list[str | None] = []
    for result in results:
        data, error = read_bytes(result.source, max_size)
        text, error = decode_text(result.source, data) if data is not None else (None, error)
        if text is None:
            _unreadable(result, frontend, error, data)
        texts.append(text)
    analyses = frontend.analyse()(sources, texts, True)
    for result, analysis, text in zip(results, analyses, texts, strict=True):
        if text is not None:
            result.take(analysis)
    return results


def analyse_work(
    item: SourceFile | tuple[SourceFile, ...],
    max_size: int,
    parse_python: bool | Skim,
    verbose: bool = False,
    cache_root: str | None = None,
) -> list[FileResult]:
    """One piece of the pool's work: a file, or a unit of files analysed together. With a
    cache, templates and Terraform files whose text was parsed before are read from it, and
    what was parsed now goes back with the first result."""
    if cache_root is None:
        return _analyse_work(item, max_size, parse_python, verbose)
    from lambdalint.engine.cache import document_cache
    from lambdalint.frontends.documents import stored_in

    store = document_cache(cache_root)
    with stored_in(store):
        results = _analyse_work(item, max_size, parse_python, verbose)
    results[0].documents = store.fresh
    return results


def _analyse_work(
    item: SourceFile | tuple[SourceFile, ...],
    max_size: int,
    parse_python: bool | Skim,
    verbose: bool,
) -> list[FileResult]:
    if isinstance(item, SourceFile):
        return [analyse_file(item, max_size, parse_python, verbose)]
    return analyse_unit(list(item), max_size, parse_python, verbose)


def _unreadable(
    result: FileResult, frontend: Frontend, error: Finding | None, data: bytes | None = None
) -> FileResult:
    """A file that cannot be read or decoded: LL001 when it looks like its frontend's kind, or
    when it is no regular file of the project at all (a FIFO, a device, a link out)."""
    if data is None:
        data = _head(result.source)
    if error is not None and (
        data is None or frontend.worth_reporting_unreadable(data.decode("latin-1"))
    ):
        result.findings.append(error)
    else:
        result.passed_over = "cannot be read, and does not look like a file lambdalint reads"
    return result


def _head(source: SourceFile) -> bytes | None:
    """The file's first bytes, to tell its kind; None when it is not a regular file of the
    project (never opened blocking, never read through a link out of the project)."""
    if leaves(source.path, source.scan_root):
        return None
    try:
        return read_regular(source.path, 1 << 16, head=True)
    except OSError as exc:
        return None if exc.errno == 0 else b""


def result_key(source: SourceFile, max_size: int, parse_python: bool | Skim) -> str | None:
    """The cache key of a Python file's result (its content included), None when the file is
    not cached: not Python, or unreadable (then it is analysed again, which says why)."""
    if source.kind != "python":
        return None
    data, _ = read_bytes(source, max_size)
    if data is None:
        return None
    from lambdalint.engine.cache import cache_key

    return cache_key("python", source.display, module_name(source.path), str(parse_python), data)


def own_entry(cached: object, source: SourceFile) -> FileResult | None:
    """A cache entry as this file's result, or None when it describes anything but this file:
    an entry cannot carry a finding or a directive (a `file-ignore`) for another path, nor an
    internal error (those are never cached)."""
    if not isinstance(cached, FileResult):
        return None
    path = source.display
    spans = [s for f in cached.findings for s in (f.where, *(r.where for r in f.related))]
    if (
        any(span.path != path for span in spans)
        or any(f.rule == "LL000" for f in cached.findings)
        or any(directive.path != path for directive in cached.directives)
        or (cached.facts is not None and getattr(cached.facts, "path", None) != path)
        or cached.template is not None
    ):
        return None
    cached.source = source
    return cached


def analyse_template(source: SourceFile, max_size: int, result: FileResult) -> FileResult:
    """A YAML/JSON file through the template frontend (for tests and the benchmark script)."""
    analysed = analyse_file(source, max_size, parse_python=False)
    result.template, result.directives = analysed.template, analysed.directives
    result.findings += analysed.findings
    result.passed_over = analysed.passed_over
    return result
