"""A loaded document (its Nodes and the loader's non-fatal problems) as a cache entry and back.

A Node is one flat JSON list, `[kind, line, column, end_line, end_column, ...]`: a scalar is
followed by its value, a sequence by its items, a mapping by (key, key span, value) triples.
Flat, so an entry nests no deeper than the document; every span's path is the document's own,
never stored. Decoding accepts only what the loaders make: str keys, scalars that are str, int,
finite float, bool or None (text without lone surrogates), positions that are small naturals,
and no deeper than the loaders allow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lambdalint.core.span import Span
from lambdalint.core.text import without_surrogates
from lambdalint.frontends.cloudformation.nodes import LoadError, Node
from lambdalint.frontends.documents import SpanEncoder, is_position, parsed

SCALAR, SEQUENCE, MAPPING, MAPPING_WITHOUT_KEYS = 0, 1, 2, 3
MAX_DEPTH = 300  # the loaders stop at 250 levels; a deeper entry is not theirs
SCALARS = (str, int, float, bool, type(None))
LIMIT = 1 << 31  # positions are naturals below this

Document = tuple[Node, list[LoadError]]


def loaded(kind: str, text: str, path: str, parse: Callable[[str, str], Document]) -> Document:
    """`parse(text, path)` (a loader), or its document stored for this same text."""
    return parsed(
        kind, path, text, lambda: parse(text, path), encode_document, decode_document, LoadError
    )


def encode_document(document: Document) -> list:
    root, problems = document
    path = root.span.path
    encoder = _Encoder(path)
    return [
        encoder.node(root),
        [[p.message, p.line, p.column] for p in problems],
    ]


class _Encoder(SpanEncoder):
    def node(self, node: Node) -> list:
        self.count()
        value = node.value
        head = self.span(node.span)
        if isinstance(value, dict):
            kind = MAPPING if node.keys is not None else MAPPING_WITHOUT_KEYS
            entry = [kind, *head]
            keys = node.keys or {}
            for key, child in value.items():
                entry += [key, self.span(keys[key]) if key in keys else None, self.node(child)]
            return entry
        if isinstance(value, list):
            return [SEQUENCE, *head, *(self.node(child) for child in value)]
        if not isinstance(value, SCALARS):
            raise TypeError(f"a {type(value).__name__} in a document")
        return [SCALAR, *head, value]


def decode_document(entry: Any, path: str) -> Document:
    """The document an `encode_document` made; TypeError/ValueError for anything else."""
    if not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[1], list):
        raise TypeError("not a document")
    problems = []
    for problem in entry[1]:
        if not isinstance(problem, list) or len(problem) != 3:
            raise TypeError("malformed problem")
        message, line, column = problem
        if not (isinstance(message, str) and is_position(line) and is_position(column)):
            raise TypeError("malformed problem")
        problems.append(LoadError(without_surrogates(message), line, column))
    return _Decoder(path).node(entry[0], 0), problems


class _Decoder:
    """The hot loop of a warm run over templates: checks written out, few helper calls."""

    def __init__(self, path: str):
        self.path = path

    def span(self, entry: Any, start: int = 0) -> Span:
        if type(entry) is not list or len(entry) < start + 4:
            raise TypeError("malformed span")
        line, column, end_line, end_column = entry[start : start + 4]
        if not (
            type(line) is int
            and type(column) is int
            and type(end_line) is int
            and type(end_column) is int
            and 0 <= line < LIMIT
            and 0 <= column < LIMIT
            and 0 <= end_line < LIMIT
            and 0 <= end_column < LIMIT
        ):
            raise TypeError("malformed span")
        return Span(self.path, line, column, end_line, end_column)

    def node(self, entry: Any, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ValueError("document nested too deeply")
        if type(entry) is not list or len(entry) < 5:
            raise TypeError("malformed node")
        kind = entry[0]
        span = self.span(entry, 1)
        if kind == SCALAR:
            if len(entry) != 6:
                raise TypeError("malformed scalar")
            value = entry[5]
            if type(value) is str:
                if not value.isascii():
                    value = without_surrogates(value)
            elif type(value) not in SCALARS:  # json gives only these, but the entry is input
                raise TypeError("not a scalar")
            return Node(value, span)
        if kind == SEQUENCE:
            depth += 1
            return Node([self.node(item, depth) for item in entry[5:]], span)
        if kind in (MAPPING, MAPPING_WITHOUT_KEYS):
            return self.mapping(entry, span, kind == MAPPING, depth + 1)
        raise TypeError("unknown node kind")

    def mapping(self, entry: list, span: Span, with_keys: bool, depth: int) -> Node:
        if (len(entry) - 5) % 3:
            raise TypeError("malformed mapping")
        values: dict[str, Node] = {}
        keys: dict[str, Span] = {}
        node, span_of = self.node, self.span
        for position in range(5, len(entry), 3):
            key, key_span, child = entry[position : position + 3]
            if type(key) is not str:
                raise TypeError("a mapping key that is not text")
            if not key.isascii():
                key = without_surrogates(key)
            values[key] = node(child, depth)
            if key_span is not None:
                keys[key] = span_of(key_span)
        return Node(values, span, keys if with_keys else None)
