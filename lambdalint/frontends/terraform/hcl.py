"""HCL text -> blocks and attributes with spans, expressions kept as python-hcl2's parse trees.

python-hcl2's dictionary output drops the position of every value, so the lark tree it parses
with is read instead: every attribute, block and expression keeps its line and column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lambdalint.core.span import Span

TRAILING_BLANKS = re.compile(r"[ \t]+$", re.MULTILINE)


@dataclass
class Attribute:
    name: str
    expr: Any  # a lark Tree: evaluated by `expressions.Evaluator`
    span: Span  # the whole `name = value`
    name_span: Span


@dataclass
class Block:
    type: str  # "resource", "variable", "statement", ...
    labels: list[str]
    span: Span  # the header line: where findings about a missing attribute point
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def get(self, name: str) -> Attribute | None:
        return self.attributes.get(name)

    def children(self, kind: str) -> list[Block]:
        return [block for block in self.blocks if block.type == kind]

    def child(self, kind: str) -> Block | None:
        found = self.children(kind)
        return found[0] if found else None


class HclError(Exception):
    """The text is not HCL Terraform would accept; `line`/`column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def parse_hcl(text: str, path: str) -> Block:
    """The file as one body block (type "", no labels) holding its top-level blocks; from the
    run's document store when this text was parsed before (each file on its own, so a changed
    file does not make its module's other files parsed again)."""
    from lambdalint.frontends.documents import parsed
    from lambdalint.frontends.terraform.block_entries import decode_file, encode_file

    return parsed("hcl", path, text, lambda: _parse(text, path), encode_file, decode_file, HclError)


def _parse(text: str, path: str) -> Block:
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput

    # Terraform takes `EOF  ` (trailing blanks) as a heredoc's closing marker, python-hcl2 does
    # not; trailing blanks never change what a module means, nor any position we report.
    text = TRAILING_BLANKS.sub("", text)
    try:
        tree = hcl2.parses_to_tree(text if text.endswith("\n") else text + "\n")
    except UnexpectedInput as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        line, column = max(getattr(exc, "line", 1), 1), max(getattr(exc, "column", 1), 1)
        raise HclError(f"invalid HCL: {first}", line, column) from None
    except (LarkError, RecursionError, ValueError) as exc:
        raise HclError(f"invalid HCL: {type(exc).__name__}") from None
    root = Block("", [], Span.point(path, 1))
    body = _first(tree, "body")
    if body is not None:
        _read_body(body, root, path)
    return root


def span_of(node: Any, path: str) -> Span:
    """A lark Tree's or Token's region (lark columns are 1-based, its end exclusive)."""
    meta = getattr(node, "meta", None)
    source = node if meta is None else meta
    line = getattr(source, "line", None)
    if line is None:
        return Span.point(path, 1)
    return Span(
        path,
        line,
        source.column,
        getattr(source, "end_line", line) or line,
        getattr(source, "end_column", source.column + 1) or source.column + 1,
    )


def _read_body(body: Any, into: Block, path: str) -> None:
    for child in body.children:
        kind = getattr(child, "data", None)
        if kind == "attribute":
            name_node = child.children[0]
            name = identifier_text(name_node)
            expr = child.children[-1]
            into.attributes[name] = Attribute(
                name, expr, span_of(child, path), span_of(name_node, path)
            )
        elif kind == "block":
            into.blocks.append(_read_block(child, path))


def _read_block(node: Any, path: str) -> Block:
    head = node.children[0]
    labels = []
    for child in node.children[1:]:
        kind = getattr(child, "data", None)
        if kind == "string":
            labels.append(plain_string(child))
        elif kind in ("identifier", "keyword", "literal_value"):
            labels.append(identifier_text(child))
    header = span_of(head, path)
    last = span_of(node.children[len(labels)], path) if labels else header
    end = last.end_column if last.end_line == header.line else header.end_column
    block = Block(
        identifier_text(head), labels, Span(path, header.line, header.column, header.line, end)
    )
    body = _first(node, "body")
    if body is not None:
        _read_body(body, block, path)
    return block


def identifier_text(node: Any) -> str:
    """The name an identifier-like tree spells."""
    if hasattr(node, "children"):
        return "".join(identifier_text(child) for child in node.children)
    return str(node)


def plain_string(node: Any) -> str:
    """A quoted label's text (labels cannot hold interpolations)."""
    return "".join(
        str(part.children[0])
        for part in node.children
        if getattr(part, "data", None) == "string_part" and not hasattr(part.children[0], "data")
    )


def _first(node: Any, kind: str) -> Any:
    for child in getattr(node, "children", []):
        if getattr(child, "data", None) == kind:
            return child
    return None


# Nested blocks the frontend reads: in `.tf.json` a block and an object-valued attribute look
# alike, and Terraform tells them apart by the provider's schema, which we do not ship.
JSON_BLOCKS = frozenset(
    """
    environment tracing_config dead_letter_config logging_config ephemeral_storage
    destination_config on_failure on_success cors statement principals not_principals condition
    lambda_function inline_policy filter_criteria self_managed_event_source retry_policy target
    """.split()  # noqa: SIM905 - a word list reads better than quoted strings
)
LABELS = {"resource": 2, "data": 2, "variable": 1, "module": 1, "output": 1, "provider": 1}


@dataclass(frozen=True)
class JsonValue:
    """A `.tf.json` value where HCL would have an expression: evaluated by the same Evaluator."""

    node: Any  # a cloudformation `Node` with spans


def parse_tf_json(text: str, path: str) -> Block:
    """A `.tf.json` file as the same blocks and attributes an HCL file gives."""
    from lambdalint.frontends.cloudformation.json_loader import load_json
    from lambdalint.frontends.cloudformation.nodes import LoadError

    try:
        root, _ = load_json(text, path)
    except LoadError as exc:
        raise HclError(f"invalid JSON: {exc.message}", exc.line, exc.column) from None
    file = Block("", [], Span.point(path, 1))
    if not root.is_map:
        raise HclError("a .tf.json file holds one JSON object", root.span.line, root.span.column)
    for kind, value in root.items():
        if kind == "locals":
            for body in value.value if value.is_list else [value]:
                block = Block("locals", [], root.key_span(kind))
                _json_body(body, block)
                file.blocks.append(block)
        elif kind in LABELS:
            file.blocks.extend(_json_labelled(kind, value, LABELS[kind], []))
    return file


def _json_labelled(kind: str, node: Any, depth: int, labels: list[str]) -> list[Block]:
    if depth == 0:
        blocks = []
        for body in node.value if node.is_list else [node]:
            block = Block(kind, labels, body.span)
            _json_body(body, block)
            blocks.append(block)
        return blocks
    found = []
    for label, child in node.items():
        for block in _json_labelled(kind, child, depth - 1, [*labels, label]):
            if depth == 1:
                block.span = node.key_span(label)  # the header: the innermost label's key
            found.append(block)
    return found


def _json_body(node: Any, into: Block) -> None:
    for name, child in node.items():
        items = child.value if child.is_list else [child]
        if name in JSON_BLOCKS and items and all(item.is_map for item in items):
            for item in items:
                block = Block(name, [], node.key_span(name))
                _json_body(item, block)
                into.blocks.append(block)
        elif name not in ("//", "dynamic"):
            key = node.key_span(name)
            span = Span(key.path, key.line, key.column, child.span.end_line, child.span.end_column)
            into.attributes[name] = Attribute(name, JsonValue(child), span, key)
