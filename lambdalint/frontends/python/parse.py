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


class _Locator(cst.CSTVisitor):
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
    locator = _Locator(wanted)
    wrapper.visit(locator)
    spans: dict[NodeRef, Span] = {}
    for ref in refs:
        found = locator.found.get((ref.kind, ref.index))
        if found is not None:
            spans[ref] = Span(ref.path, *found)
    return spans


FAST_KINDS = frozenset({"Call", "FunctionDef"})


def locate_fast(text: str, refs: list[NodeRef], facts) -> dict[NodeRef, Span] | None:
    """Spans for Call and FunctionDef references from CPython's own parser, several times
    cheaper than libcst's positions. Pre-order among libcst nodes of a kind is source order, so
    the n-th node in position order is the one meant; every answer is checked against the facts
    (same number of calls, same callee, same function name) and None means "ask libcst"."""
    import ast

    if facts is None or any(ref.kind not in FAST_KINDS for ref in refs):
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    calls, functions = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            calls.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(node)
    order = lambda n: (n.lineno, n.col_offset, -(n.end_lineno or 0), -(n.end_col_offset or 0))  # noqa: E731
    calls.sort(key=order)
    functions.sort(key=order)
    if len(calls) != len(facts.calls):
        return None
    lines = text.splitlines()
    names = {f.index: f.qualname.rpartition(".")[2] for f in facts.functions.values()}
    spans: dict[NodeRef, Span] = {}
    for ref in refs:
        if ref.kind == "Call":
            node = calls[ref.index] if ref.index < len(calls) else None
            if node is None or not _same_callee(node, facts.calls[ref.index].text):
                return None
            spans[ref] = _ast_span(ref.path, lines, node)
        else:
            node = functions[ref.index] if ref.index < len(functions) else None
            if node is None or names.get(ref.index) != node.name:
                return None
            span = _name_span(ref.path, lines, node)
            if span is None:
                return None
            spans[ref] = span
    return spans


def _same_callee(node, text: str) -> bool:
    import ast

    written = text.removesuffix("()")
    parts: list[str] = []
    func = node.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        return written == ".".join([func.id, *reversed(parts)])
    if written.startswith("…."):
        return bool(parts) and written[2:] == parts[0]
    return written == "…"


def _column(lines: list[str], line: int, byte_offset: int) -> int:
    """ast columns are UTF-8 byte offsets; spans count code points."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1


def _ast_span(path: str, lines: list[str], node) -> Span:
    end_line = node.end_lineno or node.lineno
    return Span(
        path,
        node.lineno,
        _column(lines, node.lineno, node.col_offset),
        end_line,
        _column(lines, end_line, node.end_col_offset or node.col_offset),
    )


def _name_span(path: str, lines: list[str], node) -> Span | None:
    import re

    line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
    match = re.compile(rf"\bdef\s+({re.escape(node.name)})\b").search(line)
    if match is None:
        return None
    column = match.start(1) + 1
    return Span(path, node.lineno, column, node.lineno, column + len(node.name))
