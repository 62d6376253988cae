"""Reading a Python file into facts, and finding positions for the nodes that became findings."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from lambdalint.core.deep import on_big_stack
from lambdalint.core.span import NodeRef, Span
from lambdalint.frontends.python.batch import BatchedVisitor
from lambdalint.frontends.python.bounds import CompileRefused, check_python
from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.facts import ModuleFacts
from lambdalint.frontends.python.structure import STRUCTURE_VISITORS


class PythonSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line = line
        self.column = column


# The trees of the last texts parsed: placing a file's findings right after its facts were
# extracted in the same process (an editor's edited buffer, a small run) reuses the facts pass's
# tree instead of parsing again. libcst trees are immutable, so sharing one is safe.
RECENT_TREES = 4
_recent: OrderedDict[str, cst.Module] = OrderedDict()


def parse_module(text: str) -> cst.Module:
    """libcst's tree of `text`, once CPython has compiled it and its size is within bounds."""
    tree = _recent.get(text)
    if tree is not None:
        return tree
    tree = _parse_module(text)
    _recent[text] = tree
    while len(_recent) > RECENT_TREES:
        _recent.popitem(last=False)
    return tree


def _parse_module(text: str) -> cst.Module:
    try:
        check_python(text)
    except CompileRefused as exc:
        raise PythonSyntaxError(str(exc), exc.line, exc.column) from None
    try:
        return on_big_stack(cst.parse_module, text)
    except cst.ParserSyntaxError as exc:
        message = exc.message if hasattr(exc, "message") else "invalid syntax"
        raise PythonSyntaxError(
            f"syntax error (not supported by the parser): {message}",
            exc.raw_line,
            exc.raw_column + 1,
        ) from None
    except RecursionError:
        raise PythonSyntaxError("too complex to analyse: nested too deeply", 1, 1) from None


def extract_facts(text: str, path: str, module: str) -> ModuleFacts:
    """One traversal: the core extractor plus every structural fact visitor, batched."""
    return on_big_stack(_extract_facts, text, path, module)


def _extract_facts(text: str, path: str, module: str) -> ModuleFacts:
    tree = parse_module(text)
    facts = ModuleFacts(path=path, module=module)
    core = FactExtractor(facts, module.rpartition(".")[0])
    tree.visit(BatchedVisitor([core, *(cls(core) for cls in STRUCTURE_VISITORS)]))
    return facts


class NodeLocator(cst.CSTVisitor):
    """Counts nodes per kind in pre-order, as the fact pass does, to find the wanted ones."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, wanted: set[tuple[str, int]], arguments: set[tuple[int, str]] = frozenset()):
        self.wanted = wanted
        self.kinds = {kind for kind, _ in wanted}  # structural visitors name other node kinds
        self.arguments = arguments  # (Call index, argument key) pairs, see NodeRef.argument
        self.counts: dict[str, int] = {}
        self.found: dict[tuple[str, int], tuple[int, int, int, int]] = {}
        self.found_arguments: dict[tuple[int, str], tuple[int, int, int, int]] = {}

    def span(self, ref: NodeRef) -> Span | None:
        """Where the reference points: the node, or the argument it names when that was found."""
        if ref.argument and (ref.index, ref.argument) in self.found_arguments:
            return Span(ref.path, *self.found_arguments[(ref.index, ref.argument)])
        found = self.found.get((ref.kind, ref.index))
        return Span(ref.path, *found) if found is not None else None

    def _range(self, start: cst.CSTNode, end: cst.CSTNode) -> tuple[int, int, int, int]:
        first = self.get_metadata(PositionProvider, start).start
        last = self.get_metadata(PositionProvider, end).end
        return first.line, first.column + 1, last.line, last.column + 1

    def _locate_arguments(self, call: cst.Call, index: int) -> None:
        positional = [arg for arg in call.args if not arg.star and arg.keyword is None]
        for wanted_index, key in self.arguments:
            if wanted_index != index:
                continue
            if key.startswith("#"):
                number = int(key[1:])
                arg = positional[number] if number < len(positional) else None
                start = arg.value if arg is not None else None
            else:
                arg = next((a for a in call.args if a.keyword and a.keyword.value == key), None)
                start = arg.keyword if arg is not None else None
            if arg is not None:
                self.found_arguments[(index, key)] = self._range(start, arg.value)

    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node).__name__
        if kind in self.kinds:
            index = self.counts.get(kind, -1) + 1
            self.counts[kind] = index
            if (kind, index) in self.wanted:
                # A function is reported at its name, not at its decorators or body.
                target = node.name if isinstance(node, cst.FunctionDef) else node
                position = self.get_metadata(PositionProvider, target)
                self.found[(kind, index)] = (
                    position.start.line,
                    position.start.column + 1,
                    position.end.line,
                    position.end.column + 1,
                )
                if self.arguments and isinstance(node, cst.Call):
                    self._locate_arguments(node, index)
        return True


def wanted_nodes(refs: Iterable[NodeRef]) -> tuple[set[tuple[str, int]], set[tuple[int, str]]]:
    """What a NodeLocator looks for: (kind, index) of the nodes, (Call index, key) of arguments."""
    refs = list(refs)
    nodes = {(ref.kind, ref.index) for ref in refs}
    arguments = {(ref.index, ref.argument) for ref in refs if ref.kind == "Call" and ref.argument}
    return nodes, arguments


def locate(text: str, refs: Iterable[NodeRef]) -> dict[NodeRef, Span]:
    """Spans for node references into one file. Parses again: only files with findings pay."""
    return on_big_stack(_locate, text, list(refs))


def _locate(text: str, refs: list[NodeRef]) -> dict[NodeRef, Span]:
    wrapper = MetadataWrapper(parse_module(text), unsafe_skip_copy=True)
    locator = NodeLocator(*wanted_nodes(refs))
    wrapper.visit(locator)
    spans: dict[NodeRef, Span] = {}
    for ref in refs:
        span = locator.span(ref)
        if span is not None:
            spans[ref] = span
    return spans
