"""The work done for one file, in a worker process: read, hand to its frontend, cache. Picklable
results only."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambdalint.core.directive import Directive
from lambdalint.core.finding import Finding
from lambdalint.frontends.registry import Analysis, Frontend, frontend_of_kind
from lambdalint.sources import (
    SourceFile,
    decode_text,
    module_name,
    parse_error,
    read_bytes,
)

__all__ = [
    "FileResult",
    "analyse_file",
    "analyse_template",
    "analyse_unit",
    "analyse_work",
    "result_key",
    "parse_error",
]


@dataclass
class FileResult:
    source: SourceFile
    facts: object | None = None  # ModuleFacts for Python files
    template: object | None = None  # the template frontend's result for IaC files
    findings: list[Finding] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    passed_over: str = ""  # why its frontend found it not to be its kind: not checked

    def take(self, analysis: Analysis) -> FileResult:
        if self.source.kind == "python":
            self.facts = analysis.model
        else:
            self.template = analysis.model
        self.findings += analysis.findings
        self.directives = analysis.directives
        self.passed_over = analysis.passed_over
        return self


def analyse_file(source: SourceFile, max_size: int, parse_python: bool) -> FileResult:
    frontend = frontend_of_kind(source.kind)
    result = FileResult(source)
    data, error = read_bytes(source, max_size)
    if data is None:
        return _unreadable(result, frontend, error)
    text, error = decode_text(source, data)
    if text is None:
        return _unreadable(result, frontend, error, data)
    return result.take(frontend.analyse()(source, text, parse_python or source.kind != "python"))


def analyse_unit(sources: list[SourceFile], max_size: int, parse_python: bool) -> list[FileResult]:
    """The files of one unit of an assembling frontend (a Terraform module), analysed together:
    each read here (from memory where the overlay holds it), then all handed over at once."""
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
    parse_python: bool,
) -> list[FileResult]:
    """One piece of the pool's work: a file, or a unit of files analysed together."""
    if isinstance(item, SourceFile):
        return [analyse_file(item, max_size, parse_python)]
    return analyse_unit(list(item), max_size, parse_python)


def _unreadable(
    result: FileResult, frontend: Frontend, error: Finding | None, data: bytes | None = None
) -> FileResult:
    """A file that cannot be read or decoded: LL001 when it looks like its frontend's kind."""
    if data is None:
        data = _head(result.source)
    if error is not None and frontend.worth_reporting_unreadable(data.decode("latin-1")):
        result.findings.append(error)
    else:
        result.passed_over = "cannot be read, and does not look like a file lambdalint reads"
    return result


def _head(source: SourceFile) -> bytes:
    try:
        with source.path.open("rb") as handle:
            return handle.read(1 << 16)
    except OSError:
        return b""


def result_key(source: SourceFile, max_size: int, parse_python: bool) -> str | None:
    """The cache key of a Python file's result (its content included), None when the file is
    not cached: not Python, or unreadable (then it is analysed again, which says why)."""
    if source.kind != "python":
        return None
    data, _ = read_bytes(source, max_size)
    if data is None:
        return None
    from lambdalint.engine.cache import cache_key

    return cache_key("python", source.display, module_name(source.path), str(parse_python), data)


def analyse_template(source: SourceFile, max_size: int, result: FileResult) -> FileResult:
    """A YAML/JSON file through the template frontend (for tests and the benchmark script)."""
    analysed = analyse_file(source, max_size, parse_python=False)
    result.template, result.directives = analysed.template, analysed.directives
    result.findings += analysed.findings
    result.passed_over = analysed.passed_over
    return result
