"""Source positions: one type for every frontend, converters for the formats that need others."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, order=True)
class Span:
    """A region of a file. Lines and columns are 1-based code points; the end is exclusive."""

    path: str  # project-relative, POSIX separators
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, path: str, line: int, column: int = 1) -> Span:
        return cls(path, line, column, line, column + 1)


@dataclass(frozen=True)
class NodeRef:
    """A node of a parsed Python file, named by its kind and pre-order index among nodes of that
    kind. Facts carry these instead of positions: positions are computed only for findings."""

    path: str
    kind: str
    index: int
    # For a finding about one argument of a Call: the keyword (`Bucket`) or `#N` for the N-th
    # positional argument; the reference then resolves to that argument, not the whole call.
    argument: str = ""


class LineIndex:
    """Where lines start in one text, to turn character offsets into positions and back."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [match.end() for match in NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and code-point column of a character offset."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_text(self, line: int) -> str:
        """Line `line` (1-based) without its line break; empty past the end."""
        if not 1 <= line <= len(self.starts):
            return ""
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[self.starts[line - 1] : end].rstrip("\r\n")

    def lsp(self, line: int, column: int) -> tuple[int, int]:
        """LSP's 0-based line and UTF-16 character for a 1-based line and code-point column."""
        return lsp_position(self.line_text(line), line, column)

    def offset_of_lsp(self, line: int, character: int) -> int:
        """The character offset of an LSP position (clamped to the text)."""
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[max(line, 0)]
        text = self.line_text(line + 1)
        units = 0
        for index, ch in enumerate(text):
            if units >= character:
                return start + index
            units += 2 if ord(ch) > 0xFFFF else 1
        return start + len(text)


def utf16_length(text: str) -> int:
    """How many UTF-16 code units `text` takes: LSP counts columns in these by default."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def lsp_position(line_text: str, line: int, column: int) -> tuple[int, int]:
    """A 1-based line and code-point column as LSP's 0-based line and UTF-16 character.
    A column past the end of the line (an end-exclusive span at a line's end) stays past it."""
    prefix = line_text[: column - 1]
    overhang = max(column - 1 - len(line_text), 0)
    return line - 1, utf16_length(prefix) + overhang
