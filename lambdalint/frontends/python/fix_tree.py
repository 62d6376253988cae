"""What a fix builder sees: a parsed Python file, its text, and where its nodes are.

A code rule's `fix(finding, tree, node)` gets a FixTree and returns text edits built with it;
the engine (engine/fix.py) parses the file, calls the builders, applies and re-checks the edits.
It lives beside the Python frontend so rules need not import the engine to type their fixes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

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
        # Parents learnt from partial walks, by node identity: libcst's ParentNodeProvider walks
        # the whole module, which costs more than parsing it; it is the fallback only.
        self._parents: dict[int, cst.CSTNode | None] = {}
        # Offsets known without libcst's PositionProvider (which renders the whole module).
        self._offsets: dict[int, tuple[int, int]] = {}
        self._statement_ends: list[int] | None = None

    @property
    def newline(self) -> str:
        return self.module.default_newline

    def offsets(self, node: cst.CSTNode) -> tuple[int, int]:
        """Character offsets of the node's own code (no leading lines, no parentheses)."""
        known = self._offsets.get(id(node))
        if known is not None:
            return known
        position = self._wrapper.resolve(PositionProvider)[node]
        return self._offset(position.start), self._offset(position.end)

    def learn_offsets(self, node: cst.CSTNode, line: int, column: int, end_line: int, end: int):
        """Record where a node is from another parser's 1-based line and column (CPython's):
        taken only when the text there is the node's code, else positions are asked of libcst."""
        if not (0 < line <= end_line <= len(self._line_starts)):
            return
        start = self._line_starts[line - 1] + column - 1
        stop = self._line_starts[end_line - 1] + end - 1
        if not 0 <= start <= stop <= len(self.source):
            return
        expected = self.module.code_for_node(_without_parentheses(node))
        if _squeeze(self.source[start:stop]) == _squeeze(expected):
            self._offsets[id(node)] = (start, stop)

    def after_statement(self, statement: cst.CSTNode) -> int:
        """The offset just after the line a top-level statement ends on. A simple statement's
        lines are summed from the rendered code of the module's header and the statements up
        to it (usually a few imports), not from positions of the whole module."""
        body = self.module.body
        if isinstance(statement, cst.SimpleStatementLine):
            position = next((n for n, s in enumerate(body) if s is statement), None)
            if position is not None:
                return min(self._statement_end(position), len(self.source))
        return self.line_end(self.offsets(statement)[1])

    def _statement_end(self, position: int) -> int:
        ends = self._statement_ends
        if ends is None:
            header = sum(len(self.module.code_for_node(line)) for line in self.module.header)
            ends = self._statement_ends = [header]
        while len(ends) <= position + 1:
            ends.append(ends[-1] + len(self.module.code_for_node(self.module.body[len(ends) - 1])))
        return ends[position + 1]

    def _offset(self, position) -> int:
        return self._line_starts[position.line - 1] + position.column

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        known = self._parents.get(id(node), _UNKNOWN)
        if known is not _UNKNOWN:
            return known
        return self._wrapper.resolve(ParentNodeProvider).get(node)

    def learn_ancestors(self, node: cst.CSTNode, ancestors: list[cst.CSTNode]) -> None:
        """Record a node's ancestors, from the module down to its parent, as a walk saw them."""
        chain = [None, *ancestors, node]
        for parent, child in zip(chain, chain[1:], strict=False):
            self._parents[id(child)] = parent

    def learn_parents(self, root: cst.CSTNode) -> list[cst.CSTNode]:
        """Record the parents of every node under `root` (whose own parent is known or not
        needed): one walk of that subtree instead of the whole module. The nodes walked, `root`
        first, in no particular order."""
        walked = [root]
        for node in walked:  # grows as it goes: every node once
            for child in children(node):
                self._parents[id(child)] = node
                walked.append(child)
        return walked

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


_UNKNOWN = object()


_FIELDS: dict[type, tuple[str, ...]] = {}


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """A node's children read from its fields: the nodes libcst's `children` gives, in field
    order rather than source order, without running a visitor per node (three times faster)."""
    names = _FIELDS.get(type(node))
    if names is None:
        names = _FIELDS[type(node)] = tuple(f.name for f in dataclasses.fields(node))
    for name in names:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (item for item in value if isinstance(item, cst.CSTNode))


def _squeeze(code: str) -> str:
    return "".join(code.split())


def _without_parentheses(node: cst.CSTNode) -> cst.CSTNode:
    if getattr(node, "lpar", None) or getattr(node, "rpar", None):
        return node.with_changes(lpar=[], rpar=[])
    return node
