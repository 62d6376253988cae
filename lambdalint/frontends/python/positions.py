"""Positions of Call and FunctionDef nodes (and a call's arguments) from CPython's own parser:
no libcst import, several times cheaper than libcst's PositionProvider. Used first for findings;
libcst is the fallback."""

from __future__ import annotations

import ast
import functools
import re

from lambdalint.core.span import NodeRef, Span

FAST_KINDS = frozenset({"Call", "FunctionDef"})
# CPython numbers lines at these only: `str.splitlines` also breaks at form feeds, U+2028 and
# others that may sit in a comment or string, and would shift every later line.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def locate_fast(text: str, refs: list[NodeRef], facts) -> dict[NodeRef, Span] | None:
    """Spans for Call and FunctionDef references from CPython's own parser, several times
    cheaper than libcst's positions. Pre-order among libcst nodes of a kind is source order, so
    the n-th node in position order is the one meant; every answer is checked against the facts
    (same number of calls, same callee, same function name) and None means "ask libcst"."""
    if facts is None or any(ref.kind not in FAST_KINDS for ref in refs):
        return None
    tree = _parse(text)
    if tree is None:
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
    lines = LINE_BREAK.split(text)
    names = {f.index: f.qualname.rpartition(".")[2] for f in facts.functions.values()}
    spans: dict[NodeRef, Span] = {}
    for ref in refs:
        if ref.kind == "Call":
            node = calls[ref.index] if ref.index < len(calls) else None
            if node is None or not _same_callee(node, facts.calls[ref.index].text):
                return None
            if ref.argument:
                node = _argument(node, ref.argument)
                if node is None:
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


def kinds_per_statement(text: str) -> list[dict[str, int]] | None:
    """For each top-level statement as CPython splits them (`a; b` is two), how many Call and
    FunctionDef nodes it holds (async functions count as FunctionDef, as in libcst): which
    statement holds the n-th node of a kind, without walking libcst's tree."""
    tree = _parse(text)
    if tree is None:
        return None
    counts = []
    for statement in tree.body:
        calls = functions = 0
        for node in ast.walk(statement):
            if isinstance(node, ast.Call):
                calls += 1
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions += 1
        counts.append({"Call": calls, "FunctionDef": functions})
    return counts


@functools.lru_cache(maxsize=2)  # locating asks twice for the same text; trees are not changed
def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _argument(call: ast.Call, key: str):
    """The keyword argument (`name=value`, as written) or the `#N`-th positional one."""
    if key.startswith("#"):
        positional = [arg for arg in call.args if not isinstance(arg, ast.Starred)]
        number = int(key[1:])
        return positional[number] if number < len(positional) else None
    return next((keyword for keyword in call.keywords if keyword.arg == key), None)


def _same_callee(node, text: str) -> bool:
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
    line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
    match = re.compile(rf"\bdef\s+({re.escape(node.name)})\b").search(line)
    if match is None:
        return None
    column = match.start(1) + 1
    return Span(path, node.lineno, column, node.lineno, column + len(node.name))
