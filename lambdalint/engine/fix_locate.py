"""Placing a file's findings and building their fixes on one libcst parse (engine/fix.py asks,
engine/located.py remembers the result): the part of fixing that needs libcst.

Spans come from CPython's parser when the facts confirm them (as without fixes), libcst's
positions are computed only if a fix builder asks for offsets; the nodes to fix are found by
walking only the top-level statements that hold them, their ancestors recorded on the way.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper

from lambdalint.core.finding import Finding
from lambdalint.core.rule import Rule
from lambdalint.core.span import NodeRef
from lambdalint.engine.fix import _well_formed
from lambdalint.engine.located import Located
from lambdalint.frontends.python.facts import ModuleFacts
from lambdalint.frontends.python.fix_tree import FixTree
from lambdalint.frontends.python.parse import (
    NodeLocator,
    PythonSyntaxError,
    parse_module,
    wanted_nodes,
)
from lambdalint.frontends.python.positions import kinds_per_statement, locate_fast


def locate_nodes(
    path: str,
    text: str,
    refs: list[NodeRef],
    fixable: list[tuple[int, Finding]],
    facts: ModuleFacts | None,
    rules: dict[str, Rule],
) -> Located:
    """Spans for the file's node references and the fixes its rules offer, by the finding's
    index in `fixable`'s pairs."""
    located = Located({}, {}, [])
    try:
        wrapper = MetadataWrapper(parse_module(text), unsafe_skip_copy=True)
    except PythonSyntaxError:
        return located
    keep = {(f.where.kind, f.where.index) for _, f in fixable}
    fast = locate_fast(text, refs, facts)
    if fast is None:
        locator = _NodeLocator(wanted_nodes(refs), keep)
        wrapper.visit(locator)
        located.spans = {ref: span for ref in refs if (span := locator.span(ref)) is not None}
    else:
        locator = _NodeLocator((set(), set()), keep)
        _find_kept(wrapper.module, text, locator)  # no positions wanted: no metadata
        located.spans = fast
    tree = FixTree(path, text, wrapper)
    for index, finding in fixable:
        found = locator.nodes.get((finding.where.kind, finding.where.index))
        if found is None:
            continue
        node, ancestors = found
        tree.learn_ancestors(node, ancestors)
        span = fast.get(finding.where) if fast is not None else None
        if span is not None and not finding.where.argument:
            tree.learn_offsets(node, span.line, span.column, span.end_line, span.end_column)
        rule = rules[finding.rule]
        try:
            fix = rule.fix(finding, tree, node)
        except Exception as exc:  # noqa: BLE001 - a broken fix builder is that rule's LL000
            located.failures.append((rule, exc))
            continue
        if fix is not None and _well_formed(fix, path, len(text)):
            located.fixes[index] = fix
    return located


class _NodeLocator(NodeLocator):
    """The engine's locator, also keeping the nodes that fix builders need with the ancestors
    the walk passed through (so builders need no whole-module parent table)."""

    def __init__(
        self,
        wanted: tuple[set[tuple[str, int]], set[tuple[int, str]]],
        keep: set[tuple[str, int]],
    ):
        super().__init__(*wanted)
        self.kinds |= {kind for kind, _ in keep}
        self.keep = keep
        self.nodes: dict[tuple[str, int], tuple[cst.CSTNode, list[cst.CSTNode]]] = {}
        self.stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        result = super().on_visit(node)
        key = (type(node).__name__, self.counts.get(type(node).__name__, -1))
        if key in self.keep:
            self.nodes[key] = (node, list(self.stack))
        self.stack.append(node)
        return result

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()
        super().on_leave(original_node)


def _find_kept(module: cst.Module, text: str, locator: _NodeLocator) -> None:
    """Walk only the top-level statements holding the nodes to fix: CPython's parser says how
    many nodes of each kind every statement holds, libcst's walk of each visited statement must
    count as many, else the whole module is walked."""
    counts = kinds_per_statement(text)
    sizes = [len(s.body) if isinstance(s, cst.SimpleStatementLine) else 1 for s in module.body]
    if counts is None or sum(sizes) != len(counts):
        module.visit(locator)
        return
    kinds = {kind for kind, _ in locator.keep}
    before = dict.fromkeys(kinds, 0)
    for statement, size in zip(module.body, sizes, strict=True):
        held, counts = counts[:size], counts[size:]
        holds = {kind: sum(c[kind] for c in held) for kind in kinds}
        if any(before[k] <= index < before[k] + holds[k] for k, index in locator.keep):
            locator.counts = {kind: before[kind] - 1 for kind in kinds}
            locator.stack = [module]
            statement.visit(locator)
            if any(locator.counts[k] != before[k] + holds[k] - 1 for k in kinds):
                _restart(locator)
                module.visit(locator)
                return
        for kind in kinds:
            before[kind] += holds[kind]


def _restart(locator: _NodeLocator) -> None:
    locator.counts = {}
    locator.stack = []
    locator.nodes = {}
