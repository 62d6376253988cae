"""The parsed document: plain values, each with the span it is written at.

Both loaders (YAML and JSON) produce these, so everything after loading is format-blind. Short-form
YAML tags are already long-form intrinsics here (`!Ref X` is `{"Ref": X}`)."""

from __future__ import annotations

from typing import Any

from lambdalint.core.span import Span


class Node:
    """A value in the document: `value` is a dict of str to Node, a list of Node, or a scalar
    (str, int, float, bool, None). Mappings also keep the span of each key."""

    __slots__ = ("keys", "span", "value")

    def __init__(self, value: Any, span: Span, keys: dict[str, Span] | None = None):
        self.value = value
        self.span = span
        self.keys = keys

    def __repr__(self) -> str:
        return f"Node({self.value!r})"

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def get(self, key: str) -> Node | None:
        """The child under `key` when this is a mapping that has it."""
        if isinstance(self.value, dict):
            return self.value.get(key)
        return None

    def path(self, *keys: str) -> Node | None:
        node: Node | None = self
        for key in keys:
            node = node.get(key) if node is not None else None
        return node

    def key_span(self, key: str) -> Span:
        if self.keys and key in self.keys:
            return self.keys[key]
        return self.span

    def items(self) -> list[tuple[str, Node]]:
        return list(self.value.items()) if isinstance(self.value, dict) else []

    def intrinsic(self) -> tuple[str, Node] | None:
        """(`Ref` / `Fn::X` / `Condition`, argument) when this mapping is one intrinsic call."""
        if isinstance(self.value, dict) and len(self.value) == 1:
            (name, argument), *_ = self.value.items()
            if name == "Ref" or name.startswith("Fn::") or name == "Condition":
                return name, argument
        return None


def plain(node: Node | None) -> Any:
    """The value with every span dropped (for hashing, comparing and debugging)."""
    if node is None:
        return None
    value = node.value
    if isinstance(value, dict):
        return {key: plain(child) for key, child in value.items()}
    if isinstance(value, list):
        return [plain(child) for child in value]
    return value


def wrap(value: Any, span: Span) -> Node:
    """A plain value (parsed JSON) as Nodes that all carry `span`."""
    if isinstance(value, dict):
        return Node({str(k): wrap(v, span) for k, v in value.items()}, span, {})
    if isinstance(value, list):
        return Node([wrap(v, span) for v in value], span)
    return Node(value, span)


class LoadError(Exception):
    """The text is not a well-formed document; `line`/`column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
