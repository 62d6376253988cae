"""Source positions: one type for every frontend, converters for the formats that need others."""

from __future__ import annotations

from dataclasses import dataclass


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
