"""What a fix builder sees: a parsed Python file, its text, and where its nodes are.

A code rule's `fix(finding, tree, node)` gets a FixTree and returns text edits built with it;
the engine (engine/fix.py) parses the file, calls the builders, applies and re-checks the edits.
It lives beside the Python frontend so rules need not import the engine to type their fixes.
"""

from __future__ import annotations

import re

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from lambdalint.core.finding import Edit

NEWLINE = re.compile(r"\r\n|\r|\n")


class FixTree:
    """A parsed file as a fix builder sees it: the module, its text, and where nodes are."""

    def __init__(self, path: str, source: str, wrapper: MetadataWrapper):
        self.path = path
        self.source = source
        self.module: cst.Module = wrapper.module
        self._wrapper = wrapper
        self._line_starts = [0] + [match.end() for match in NEWLINE.finditer(source)]
        self.cache: dict[str, object] = {}  # for builders: per-file work shared by several fixes

    @property
    def newline(self) -> str:
        return self.module.default_newline

    def offsets(self, node: cst.CSTNode) -> tuple[int, int]:
        """Character offsets of the node's own code (no leading lines, no parentheses)."""
        position = self._wrapper.resolve(PositionProvider)[node]
        return self._offset(position.start), self._offset(position.end)

    def _offset(self, position) -> int:
        return self._line_starts[position.line - 1] + position.column

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._wrapper.resolve(ParentNodeProvider).get(node)

    def ancestors(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """Parents from the nearest to the module."""
        found = []
        parent = self.parent(node)
        while parent is not None:
            found.append(parent)
            parent = self.parent(parent)
        return found

    def line_end(self, offset: int) -> int:
        """The offset just after the newline that ends the line holding `offset`."""
        match = NEWLINE.search(self.source, offset)
        return match.end() if match else len(self.source)

    def replace(self, node: cst.CSTNode, text: str) -> Edit | None:
        """An edit replacing the node's code; None when the positions do not match the text
        (then the builder offers no fix rather than a wrong one)."""
        start, end = self.offsets(node)
        expected = self.module.code_for_node(_without_parentheses(node))
        # Nodes render without their block's indentation: compare what is not whitespace.
        if _squeeze(self.source[start:end]) != _squeeze(expected):
            return None
        return Edit(self.path, start, end, text)

    def replace_node(self, old: cst.CSTNode, new: cst.CSTNode) -> Edit:
        """The smallest edit that turns the file into the module with `old` replaced by `new`,
        rendered in place (so indentation and line breaks come out right)."""
        after = self.module.deep_replace(old, new).code
        before = self.source
        prefix = 0
        limit = min(len(before), len(after))
        while prefix < limit and before[prefix] == after[prefix]:
            prefix += 1
        suffix = 0
        while (
            suffix < limit - prefix
            and before[len(before) - 1 - suffix] == after[len(after) - 1 - suffix]
        ):
            suffix += 1
        return Edit(self.path, prefix, len(before) - suffix, after[prefix : len(after) - suffix])

    def insert(self, offset: int, text: str) -> Edit:
        return Edit(self.path, offset, offset, text)


def _squeeze(code: str) -> str:
    return "".join(code.split())


def _without_parentheses(node: cst.CSTNode) -> cst.CSTNode:
    if getattr(node, "lpar", None) or getattr(node, "rpar", None):
        return node.with_changes(lpar=[], rpar=[])
    return node
