"""The analysed files' text as reporters need it (code frames, edit positions, UTF-16 columns),
read once per file and decoded as the analysis decoded it."""

from __future__ import annotations

from lambdalint.core.finding import Fix
from lambdalint.core.span import LineIndex
from lambdalint.sources import display_text


class SourceTexts:
    """Line indexes of the reported files: the texts held in memory (`RunResult.texts`: stdin,
    an editor's buffers), else the files on disk."""

    def __init__(self, texts: dict[str, str] | None = None) -> None:
        self.texts = texts or {}
        self.indexes: dict[str, LineIndex | None] = {}

    def index(self, path: str) -> LineIndex | None:
        if path not in self.indexes:
            text = display_text(path, self.texts)
            self.indexes[path] = LineIndex(text) if text is not None else None
        return self.indexes[path]


def edit_regions(fix: Fix, sources: SourceTexts) -> list[dict] | None:
    """A fix's edits with 1-based lines and code-point columns (end exclusive); None when a file
    it edits cannot be read any more."""
    regions = []
    for edit in fix.edits:
        index = sources.index(edit.path)
        if index is None:
            return None
        line, column = index.position(edit.start)
        end_line, end_column = index.position(edit.end)
        regions.append(
            {
                "path": edit.path,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "content": edit.text,
            }
        )
    return regions
