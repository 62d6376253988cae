"""Reading a Python file into facts, and finding positions for the nodes that became findings."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from lambdalint.core.span import NodeRef, Span
from lambdalint.frontends.python.batch import BatchedVisitor
from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.facts import ModuleFacts
from lambdalint.frontends.python.structure import STRUCTURE_VISITORS


class PythonSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line = line
        self.column = column


def parse_module(text: str) -> cst.Module:
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise _describe_syntax_error(text, exc) from None
    except RecursionError:
        raise PythonSyntaxError("nesting too deep to analyse", 1, 1) from None


def _describe_syntax_error(text: str, exc: cst.ParserSyntaxError) -> PythonSyntaxError:
    """CPython's own message and line when it agrees the file is broken (its messages are the
    ones users know); libcst's otherwise. Only compiled, never run."""
    try:
        compile(text, "<checked>", "exec", flags=0x400, dont_inherit=True)  # PyCF_ONLY_AST
    except SyntaxError as error:
        return PythonSyntaxError(f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1)
    except (ValueError, RecursionError, MemoryError):
        pass
    message = exc.message if hasattr(exc, "message") else "invalid syntax"
    return PythonSyntaxError(
        f"syntax error (not supported by the parser): {message}", exc.raw_line, exc.raw_column + 1
    )


def extract_facts(text: str, path: str, module: str) -> ModuleFacts:
    """One traversal: the core extractor plus every structural fact visitor, batched."""
    tree = parse_module(text)
    facts = ModuleFacts(path=path, module=module)
    core = FactExtractor(facts, module.rpartition(".")[0])
    tree.visit(BatchedVisitor([core, *(cls(core) for cls in STRUCTURE_VISITORS)]))
    return facts


class NodeLocator(cst.CSTVisitor):
    """Counts nodes per kind in pre-order, as the fact pass does, to find the wanted ones."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, wanted: set[tuple[str, int]]):
        self.wanted = wanted
        self.kinds = {kind for kind, _ in wanted}  # structural visitors name other node kinds
        self.counts: dict[str, int] = {}
        self.found: dict[tuple[str, int], tuple[int, int, int, int]] = {}

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
        return True


def locate(text: str, refs: Iterable[NodeRef]) -> dict[NodeRef, Span]:
    """Spans for node references into one file. Parses again: only files with findings pay."""
    refs = list(refs)
    wanted = {(ref.kind, ref.index) for ref in refs}
    wrapper = MetadataWrapper(parse_module(text), unsafe_skip_copy=True)
    locator = NodeLocator(wanted)
    wrapper.visit(locator)
    spans: dict[NodeRef, Span] = {}
    for ref in refs:
        found = locator.found.get((ref.kind, ref.index))
        if found is not None:
            spans[ref] = Span(ref.path, *found)
    return spans
