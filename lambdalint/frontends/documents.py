"""Parsed documents kept between runs: a template or Terraform file whose text did not change is
not parsed again (PyYAML and lark are most of a template's cost; building the model from the
parsed document is a fifth of it), and one changed `.tf` file of a module re-parses only itself.

The engine lends a store for the run (frontends never import the engine); without one, every
document is parsed. An entry is plain JSON made by the frontend's own encoder, never pickle, and
it is input (a repository can ship its cache): the decoder rebuilds only the frontend's own
classes, checks the kind of every value, and an entry it refuses is a miss (the text is parsed
again). A parse error is kept too, as its message and place.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, Protocol, TypeVar

from lambdalint.core.span import Span
from lambdalint.core.text import without_surrogates

T = TypeVar("T")

# Far beyond any real entry; a larger one is not stored (the text is parsed each run).
MAX_ENTRY_CHARS = 64 * 1024 * 1024
MAX_MESSAGE = 1000  # a parse error's message; a longer one is not stored


class Store(Protocol):
    """Where entries live: `parts` name the document (kind, path, text); the store hashes them
    with the tool's version."""

    def get(self, parts: tuple[str, ...]) -> str | None: ...

    def put(self, parts: tuple[str, ...], entry: str) -> None: ...


class ParseError(Protocol):
    """The error a parser raises for a text it refuses (LoadError, HclError)."""

    message: str
    line: int
    column: int


_store: Store | None = None


@contextmanager
def stored_in(store: Store | None) -> Iterator[None]:
    """Within the block, `parsed` reads and writes `store`."""
    global _store
    previous, _store = _store, store
    try:
        yield
    finally:
        _store = previous


def parsed(
    kind: str,
    path: str,
    text: str,
    parse: Callable[[], T],
    encode: Callable[[T], Any],
    decode: Callable[[Any, str], T],
    error: type[Exception],
) -> T:
    """`parse()`, or what it gave for this same text before. `error` is the class `parse`
    raises for bad text (with message, line and column); it is raised again from the store."""
    store = _store
    if store is None:
        return parse()
    parts = (kind, path, text)
    entry = store.get(parts)
    if entry is not None:
        try:
            outcome = _decode(entry, path, decode)
        except Exception:  # noqa: BLE001 - a malformed or tampered entry is a miss
            outcome = None
        if isinstance(outcome, _Failed):
            raise error(outcome.message, outcome.line, outcome.column)
        if outcome is not None:
            return outcome[0]
    try:
        value = parse()
    except error as exc:
        message = exc.message  # type: ignore[attr-defined]
        if len(message) <= MAX_MESSAGE:
            _put(store, parts, {"e": [message, exc.line, exc.column]})  # type: ignore[attr-defined]
        raise
    # Something the encoder does not hold is not stored: parsed again next run, still correct.
    with suppress(TypeError, ValueError, RecursionError):
        _put(store, parts, {"v": encode(value)})
    return value


class _Failed:
    def __init__(self, message: str, line: int, column: int):
        self.message, self.line, self.column = message, line, column


def _put(store: Store, parts: tuple[str, ...], outcome: dict) -> None:
    entry = json.dumps(outcome, separators=(",", ":"), allow_nan=False)
    if len(entry) <= MAX_ENTRY_CHARS:
        store.put(parts, entry)


def _decode(entry: str, path: str, decode: Callable[[Any, str], T]) -> tuple[T] | _Failed:
    if not isinstance(entry, str) or len(entry) > MAX_ENTRY_CHARS:
        raise TypeError("not a document entry")
    outcome = json.loads(entry, parse_constant=_no_constant)
    if not isinstance(outcome, dict) or len(outcome) != 1:
        raise TypeError("not a document entry")
    if "e" in outcome:
        message, line, column = outcome["e"]
        if not (isinstance(message, str) and is_position(line) and is_position(column)):
            raise TypeError("malformed parse error")
        if len(message) > MAX_MESSAGE:
            raise ValueError("a parse error message longer than any stored")
        return _Failed(without_surrogates(message), line, column)
    return (decode(outcome["v"], path),)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is no value a document holds")


class SpanEncoder:
    """What every document encoder needs: spans as four numbers (the path is the file's own,
    never stored: a span of another file is refused) and a bound on the nodes written."""

    MAX_NODES = 5_000_000  # the loaders' own budgets bound what they build; sharing aside

    def __init__(self, path: str):
        self.path = path
        self.left = self.MAX_NODES

    def span(self, span: Span) -> list[int]:
        if span.path != self.path:
            raise TypeError("a span of another file")
        return [span.line, span.column, span.end_line, span.end_column]

    def count(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise ValueError("too many nodes to store")


def is_position(value: Any) -> bool:
    """A line or column as a parser gives them (a bool is no number here)."""
    return type(value) is int and 0 <= value < 1 << 31


__all__ = ["SpanEncoder", "Store", "is_position", "parsed", "stored_in"]
