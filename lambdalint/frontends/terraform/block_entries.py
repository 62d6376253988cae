"""One parsed HCL file (its blocks, attributes and the expression trees python-hcl2 parsed) as a
cache entry and back, so an unchanged `.tf` file is never handed to lark again.

A block is `[type, labels, span, attributes, blocks]`, an attribute `[name, expression, span,
name span]`; an expression tree is `["t", rule, position or null, child, ...]`, a token
`["k", type, text, line, column, end_line, end_column]`. Spans are four numbers: the path is the
file's own, never stored. Decoding rebuilds lark's own Tree and Token (lark is imported, its
parser never runs), with rule names, token types and text as str and positions as small
naturals; anything else is refused (a miss: the file is parsed again).
"""

from __future__ import annotations

from typing import Any

from lambdalint.core.span import Span
from lambdalint.core.text import without_surrogates
from lambdalint.frontends.documents import SpanEncoder, is_position
from lambdalint.frontends.terraform.hcl import Attribute, Block

MAX_DEPTH = 400  # lark's parse of the deepest expression Terraform accepts stays far below
LIMIT = 1 << 31  # positions are naturals below this


def encode_file(root: Block) -> list:
    return _Encoder(root.span.path).block(root)


class _Encoder(SpanEncoder):
    def block(self, block: Block) -> list:
        attributes = [
            [a.name, self.tree(a.expr), self.span(a.span), self.span(a.name_span)]
            for a in block.attributes.values()
        ]
        blocks = [self.block(child) for child in block.blocks]
        return [block.type, list(block.labels), self.span(block.span), attributes, blocks]

    def tree(self, node: Any) -> Any:
        self.count()
        if node is None:
            return None
        from lark import Token, Tree

        if isinstance(node, Token):
            fields = (node.line, node.column, node.end_line, node.end_column)
            return ["k", node.type, str(node), *fields]
        if isinstance(node, Tree):
            meta = node.meta
            line = getattr(meta, "line", None)
            position = None
            if line is not None:
                position = [line, meta.column, meta.end_line, meta.end_column]
            return ["t", str(node.data), position, *(self.tree(c) for c in node.children)]
        raise TypeError(f"a {type(node).__name__} in an expression")


def decode_file(entry: Any, path: str) -> Block:
    """The file an `encode_file` made; TypeError/ValueError for anything else."""
    return _Decoder(path).block(entry, 0)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return without_surrogates(value)


def _optional_position(value: Any) -> int | None:
    if value is not None and not is_position(value):
        raise TypeError("malformed position")
    return value


class _Decoder:
    def __init__(self, path: str):
        self.path = path
        from lark import Token, Tree
        from lark.tree import Meta

        self.token, self.tree_class, self.meta = Token, Tree, Meta
        self.new_token = str.__new__  # what Token's constructor does, without its keywords

    def span(self, entry: Any) -> Span:
        if not isinstance(entry, list) or len(entry) != 4 or not all(map(is_position, entry)):
            raise TypeError("malformed span")
        return Span(self.path, *entry)

    def block(self, entry: Any, depth: int) -> Block:
        if depth > MAX_DEPTH:
            raise ValueError("nested too deeply")
        if not isinstance(entry, list) or len(entry) != 5:
            raise TypeError("malformed block")
        kind, labels, span, attributes, blocks = entry
        if not isinstance(labels, list) or not isinstance(attributes, list):
            raise TypeError("malformed block")
        if not isinstance(blocks, list):
            raise TypeError("malformed block")
        block = Block(_text(kind), [_text(label) for label in labels], self.span(span))
        for attribute in attributes:
            if not isinstance(attribute, list) or len(attribute) != 4:
                raise TypeError("malformed attribute")
            name, expr, whole, name_span = attribute
            name = _text(name)
            block.attributes[name] = Attribute(
                name, self.tree(expr, depth + 1), self.span(whole), self.span(name_span)
            )
        block.blocks = [self.block(child, depth + 1) for child in blocks]
        return block

    def tree(self, entry: Any, depth: int) -> Any:
        # The hot loop of a warm run over Terraform: checks written out, no helper calls.
        if depth > MAX_DEPTH:
            raise ValueError("nested too deeply")
        if entry is None:
            return None
        if type(entry) is not list or not entry:
            raise TypeError("malformed expression")
        tag = entry[0]
        if tag == "k" and len(entry) == 7:
            _, kind, text, line, column, end_line, end_column = entry
            if type(kind) is not str or type(text) is not str or not kind.isascii():
                raise TypeError("malformed token")
            for number in (line, column, end_line, end_column):
                if number is not None and not (type(number) is int and 0 <= number < LIMIT):
                    raise TypeError("malformed position")
            if not text.isascii():
                text = without_surrogates(text)
            token = self.new_token(self.token, text)
            token.type, token.value, token.start_pos, token.end_pos = kind, text, None, None
            token.line, token.column, token.end_line, token.end_column = entry[3:]
            return token
        if tag == "t" and len(entry) >= 3:
            rule, position = entry[1], entry[2]
            if type(rule) is not str or not rule.isascii():
                raise TypeError("malformed rule name")
            meta = self.meta()
            if position is not None:
                if type(position) is not list or len(position) != 4:
                    raise TypeError("malformed position")
                for number in position:
                    if number is not None and not (type(number) is int and 0 <= number < LIMIT):
                        raise TypeError("malformed position")
                meta.line, meta.column, meta.end_line, meta.end_column = position
                meta.empty = False
            depth += 1
            children = [self.tree(child, depth) for child in entry[3:]]
            return self.tree_class(rule, children, meta)
        raise TypeError("malformed expression")
