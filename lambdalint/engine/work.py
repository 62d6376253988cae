"""The work done for one file, in a worker process: read, parse, extract. Picklable results only."""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from lambdalint.core.directive import Directive
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.span import Span
from lambdalint.engine.discover import SourceFile


@dataclass
class FileResult:
    source: SourceFile
    facts: object | None = None  # ModuleFacts for Python files
    template: object | None = None  # the template frontend's result for IaC files
    findings: list[Finding] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)


def parse_error(path: str, message: str, line: int = 1, column: int = 1) -> Finding:
    return Finding(
        rule="LL001",
        severity=Severity.ERROR,
        message=message,
        where=Span(path, max(line, 1), max(column, 1), max(line, 1), max(column, 1) + 1),
    )


def read_bytes(source: SourceFile, max_size: int) -> tuple[bytes | None, Finding | None]:
    path = source.display
    try:
        size = source.path.stat().st_size
        if size > max_size:
            message = f"file too large to analyse ({size} bytes; max-file-size is {max_size})"
            return None, parse_error(path, message)
        return source.path.read_bytes(), None
    except OSError as exc:
        return None, parse_error(path, f"cannot read file: {exc.strerror or exc}")


def source_encoding(kind: str, data: bytes) -> str:
    """How a file's bytes are read: PEP 263 (and a BOM) for Python, UTF-8 for everything else."""
    if kind == "python":
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    return "utf-8-sig"


def decode_text(source: SourceFile, data: bytes) -> tuple[str | None, Finding | None]:
    path = source.display
    if b"\0" in data:
        return None, parse_error(path, "not a text file (it contains NUL bytes)")
    try:
        text = data.decode(source_encoding(source.kind, data))
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        return None, parse_error(path, f"cannot decode file: {exc}", line)
    return text.removeprefix("\ufeff"), None


def read_text(source: SourceFile, max_size: int) -> tuple[str | None, Finding | None]:
    """The file's text, or the LL001 finding that says why it cannot be analysed."""
    data, error = read_bytes(source, max_size)
    if data is None:
        return None, error
    return decode_text(source, data)


def module_name(path: Path) -> str:
    """The dotted name Lambda would import a file by: its package chain, then its stem."""
    parts = [] if path.stem == "__init__" else [path.stem]
    directory = path.parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        parts.insert(0, directory.name)
        directory = directory.parent
    return ".".join(parts) or path.parent.name


def analyse_file(
    source: SourceFile, max_size: int, parse_python: bool, cache_root: str | None = None
) -> FileResult:
    result = FileResult(source)
    if source.kind == "template":
        return analyse_template(source, max_size, result)
    if source.kind != "python":
        return result  # the Terraform frontend plugs in here
    data, error = read_bytes(source, max_size)
    if data is None:
        result.findings.append(error)
        return result
    module = module_name(source.path)
    cache = key = None
    if cache_root is not None:
        from lambdalint.engine.cache import Cache, cache_key

        cache = Cache(Path(cache_root))
        key = cache_key("python", source.display, module, str(parse_python), data)
        cached = cache.get(key)
        if isinstance(cached, FileResult):
            cached.source = source
            return cached
    analyse_python(source, data, module, parse_python, result)
    if cache is not None:
        cache.put(key, result)
    return result


def cached_result(
    source: SourceFile, max_size: int, parse_python: bool, cache_root: str
) -> FileResult | None:
    """The cached result for a Python file whose content has been seen, without parsing."""
    if source.kind != "python":
        return None
    data, _ = read_bytes(source, max_size)
    if data is None:
        return None
    from lambdalint.engine.cache import Cache, cache_key

    key = cache_key("python", source.display, module_name(source.path), str(parse_python), data)
    cached = Cache(Path(cache_root)).get(key)
    if not isinstance(cached, FileResult):
        return None
    cached.source = source
    return cached


def analyse_python(
    source: SourceFile, data: bytes, module: str, parse_python: bool, result: FileResult
) -> None:
    text, error = decode_text(source, data)
    if error is not None:
        result.findings.append(error)
        return
    from lambdalint.frontends.python.comments import python_directives

    result.directives = python_directives(text, source.display)
    if not parse_python:
        return
    from lambdalint.frontends.python.parse import PythonSyntaxError, extract_facts

    try:
        result.facts = extract_facts(text, source.display, module)
    except PythonSyntaxError as exc:
        result.findings.append(parse_error(source.display, str(exc), exc.line, exc.column))


def analyse_template(source: SourceFile, max_size: int, result: FileResult) -> FileResult:
    """YAML/JSON files: only CloudFormation/SAM templates are analysed; others are left silently."""
    try:
        from lambdalint.frontends.cloudformation import analyse_template_file
    except ImportError:
        return result  # no template frontend in this build
    return analyse_template_file(source, max_size, result)
