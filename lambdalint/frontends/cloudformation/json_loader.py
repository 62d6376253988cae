"""JSON templates with positions: a small recursive-descent parser over the text.

The `json` module gives no positions, and parsing JSON as YAML is slow and wrong on edge cases
(tabs, `\\/`). Strings go through the C `scanstring`, so this stays fast on CDK's large outputs."""

from __future__ import annotations

import bisect
import json.decoder
import math
import re
from typing import Any

from lambdalint.core.span import Span
from lambdalint.core.text import without_surrogates
from lambdalint.frontends.cloudformation.nodes import LoadError, Node

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}
MAX_DEPTH = 250

try:
    _scanstring = json.decoder.c_scanstring or json.decoder.py_scanstring  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - very old Pythons
    _scanstring = json.decoder.scanstring


def load_json(text: str, path: str) -> tuple[Node, list[LoadError]]:
    """The document's root Node and non-fatal problems (duplicate keys); LoadError if invalid.
    From the run's document store when this text was loaded before."""
    from lambdalint.frontends.cloudformation.node_entries import loaded

    return loaded("json", text, path, _parse)


def _parse(text: str, path: str) -> tuple[Node, list[LoadError]]:
    parser = _Parser(text, path)
    position = parser.skip(0)
    root, position = parser.value(position, 0)
    position = parser.skip(position)
    if position != len(text):
        parser.fail("extra data after the JSON document", position)
    return root, parser.problems


class _Parser:
    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.problems: list[LoadError] = []
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.where(start)
        end_line, end_column = self.where(end)
        return Span(self.path, line, column, end_line, end_column)

    def fail(self, message: str, offset: int) -> None:
        line, column = self.where(min(offset, len(self.text)))
        raise LoadError(f"invalid JSON: {message}", line, column)

    def skip(self, position: int) -> int:
        return _WHITESPACE.match(self.text, position).end()  # type: ignore[union-attr]

    def value(self, start: int, depth: int) -> tuple[Node, int]:
        if depth > MAX_DEPTH:
            self.fail(f"nested more than {MAX_DEPTH} levels deep", start)
        text = self.text
        if start >= len(text):
            self.fail("unexpected end of file", start)
        char = text[start]
        if char == "{":
            return self.object(start, depth)
        if char == "[":
            return self.array(start, depth)
        if char == '"':
            string, end = self.string(start)
            return Node(string, self.span(start, end)), end
        number = _NUMBER.match(text, start)
        if number is not None:
            end = number.end()
            literal = number.group()
            return Node(_number(literal, number), self.span(start, end)), end
        for word, value in _LITERALS.items():
            if text.startswith(word, start):
                end = start + len(word)
                return Node(value, self.span(start, end)), end
        self.fail(f"expected a value, found {char!r}", start)
        raise AssertionError  # unreachable: fail raises

    def string(self, start: int) -> tuple[str, int]:
        try:
            string, end = _scanstring(self.text, start + 1, True)
            return without_surrogates(string), end
        except json.JSONDecodeError as exc:
            self.fail(exc.msg.lower(), exc.pos)
            raise AssertionError from None

    def object(self, start: int, depth: int) -> tuple[Node, int]:
        values: dict[str, Node] = {}
        keys: dict[str, Span] = {}
        position = self.skip(start + 1)
        if self.text.startswith("}", position):
            return Node(values, self.span(start, position + 1), keys), position + 1
        while True:
            if not self.text.startswith('"', position):
                self.fail("expected a property name in double quotes", position)
            key, key_end = self.string(position)
            key_span = self.span(position, key_end)
            position = self.skip(key_end)
            if not self.text.startswith(":", position):
                self.fail("expected ':' after a property name", position)
            child, position = self.value(self.skip(position + 1), depth + 1)
            if key in values:
                self.problems.append(
                    LoadError(
                        f"duplicate key {key!r} (first at line {keys[key].line})",
                        key_span.line,
                        key_span.column,
                    )
                )
            values[key] = child
            keys[key] = key_span
            position = self.skip(position)
            if self.text.startswith(",", position):
                position = self.skip(position + 1)
                continue
            if self.text.startswith("}", position):
                return Node(values, self.span(start, position + 1), keys), position + 1
            self.fail("expected ',' or '}' in an object", position)

    def array(self, start: int, depth: int) -> tuple[Node, int]:
        items: list[Node] = []
        position = self.skip(start + 1)
        if self.text.startswith("]", position):
            return Node(items, self.span(start, position + 1)), position + 1
        while True:
            child, position = self.value(position, depth + 1)
            items.append(child)
            position = self.skip(position)
            if self.text.startswith(",", position):
                position = self.skip(position + 1)
                continue
            if self.text.startswith("]", position):
                return Node(items, self.span(start, position + 1)), position + 1
            self.fail("expected ',' or ']' in an array", position)


def _number(literal: str, match: re.Match) -> Any:
    """The number, or the literal as written when Python cannot hold it as one: a 5,000-digit
    integer (beyond int's conversion limit) or 1e309 (infinite) is no value a rule can use."""
    try:
        value = float(literal) if match.group(1) or match.group(2) else int(literal)
    except ValueError:
        return literal
    if isinstance(value, float) and not math.isfinite(value):
        return literal
    return value
