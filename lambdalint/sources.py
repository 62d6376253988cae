"""Source files and their text: what discovery hands the frontends, and how every reader (the
engine, the frontends, the reporters) gets a file's text the same way.

A source may carry its text in memory (an editor buffer, `--stdin-filename`): that text is used
instead of the file on disk, which need not even exist. Nothing here imports the engine."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lambdalint.core.files import TooLarge, leaves, read_for_display, read_regular
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.span import Span

# Texts held in memory, by absolute path, used instead of the files on disk.
Overlay = Mapping[Path, str]


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    display: str  # relative to the working directory when below it, POSIX separators
    kind: str  # the frontend that reads it: "python", "template"
    scan_root: Path  # the directory the file was found under, the limit for import lookups
    explicit: bool  # named on the command line
    text: str | None = None  # the text held in memory for this path, if any


def display_path(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def parse_error(path: str, message: str, line: int = 1, column: int = 1) -> Finding:
    return Finding(
        rule="LL001",
        severity=Severity.ERROR,
        message=message,
        where=Span(path, max(line, 1), max(column, 1), max(line, 1), max(column, 1) + 1),
    )


def read_bytes(source: SourceFile, max_size: int) -> tuple[bytes | None, Finding | None]:
    """The file's bytes (UTF-8 of the text in memory, when there is one), or why not."""
    path = source.display
    if source.text is not None:
        data = source.text.encode("utf-8", "surrogatepass")
        if len(data) > max_size:
            return None, _too_large(path, len(data), max_size)
        return data, None
    # Only regular files inside the directory they were found under, never past `max_size`
    # bytes actually read: a FIFO, `/dev/zero` or `/proc/self/environ` can hide behind a name.
    if leaves(source.path, source.scan_root):
        return None, parse_error(path, "not read: a symlink to a file outside the project")
    try:
        return read_regular(source.path, max_size), None
    except TooLarge as exc:
        return None, _too_large(path, exc.size, max_size)
    except OSError as exc:
        return None, parse_error(path, f"cannot read file: {exc.strerror or exc}")


def _too_large(path: str, size: int, max_size: int) -> Finding:
    over = "over " if size == max_size + 1 else ""
    message = f"file too large to analyse ({over}{max_size if over else size} bytes; "
    message += f"max-file-size is {max_size})"
    return parse_error(path, message)


def source_encoding(kind: str, data: bytes) -> str:
    """How a file's bytes are read: PEP 263 (and a BOM) for Python, UTF-8 for everything else."""
    if kind == "python":
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    return "utf-8-sig"


def decode_text(source: SourceFile, data: bytes) -> tuple[str | None, Finding | None]:
    path = source.display
    if source.text is not None:
        # Already text: an editor's buffer is not re-read through its coding cookie.
        return source.text.removeprefix("\ufeff"), None
    if b"\0" in data:
        return None, parse_error(path, "not a text file (it contains NUL bytes)")
    try:
        text = data.decode(source_encoding(source.kind, data))
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        return None, parse_error(path, f"cannot decode file: {exc}", line)
    surrogate = None if text.isascii() else _LONE_SURROGATE.search(text)
    if surrogate is not None:
        # A `# coding: utf-7` file can decode to half a character, which nothing can print.
        line = text.count("\n", 0, surrogate.start()) + 1
        return None, parse_error(path, "cannot decode file: it decodes to a lone surrogate", line)
    return text.removeprefix("\ufeff"), None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def read_text(source: SourceFile, max_size: int) -> tuple[str | None, Finding | None]:
    """The file's text, or the LL001 finding that says why it cannot be analysed."""
    data, error = read_bytes(source, max_size)
    if data is None:
        return None, error
    return decode_text(source, data)


def display_text(path: str, overlay: Mapping[str, str] | None = None) -> str | None:
    """A reported file's text for showing it (code frames, edit positions): the text held in
    memory under its display path, else the file decoded as the analysis decoded it."""
    if overlay and path in overlay:
        return overlay[path]
    data = read_for_display(path)
    if data is None:
        return None
    try:
        kind = "python" if path.endswith(".py") else "other"
        return data.decode(source_encoding(kind, data)).removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
        return None


def module_name(path: Path) -> str:
    """The dotted name Lambda would import a file by: its package chain, then its stem."""
    parts = [] if path.stem == "__init__" else [path.stem]
    directory = path.parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        parts.insert(0, directory.name)
        directory = directory.parent
    return ".".join(parts) or path.parent.name
