"""Serverless Framework variables: `${self:...}` references resolve inside the file, and any
variable with a literal default (`${opt:stage, 'dev'}`) takes that default; everything else
(`${env:X}`, `${ssm:...}`, `${file(...)}`, `${cf:...}`, `${param:...}`) is UNKNOWN.

CloudFormation's own `${AWS::Region}` and `${Name}` (inside `Fn::Sub`) are left alone, as the
framework leaves them."""

from __future__ import annotations

import re
from typing import Any

from lambdalint.frontends.cloudformation.nodes import Node
from lambdalint.model import UNKNOWN

MAX_DEPTH = 30  # self references through self references: only a broken file goes deeper
MAX_STRING = 1 << 16  # longer built strings are UNKNOWN: no real name or ARN needs more
# A framework variable names a source (`self:`, `opt:`, `file(`...) or, in v1-v3, a bare
# `self` path; `AWS::Region` (a double colon) is CloudFormation's.
_SOURCE = re.compile(r"^\s*(?:[A-Za-z][\w-]*\s*(?::(?!:)|\()|self\b)")


def resolve_tree(root: Node) -> Node:
    """A copy of the document with every framework variable resolved or UNKNOWN."""
    return _Resolver(root).node(root, 0)


class _Resolver:
    def __init__(self, root: Node):
        self.root = root
        # Each self reference is resolved once: references doubling at every step would
        # otherwise take exponential time, and a cycle is UNKNOWN, not a hang.
        self.resolved: dict[str, Node] = {}

    def node(self, node: Node, depth: int) -> Node:
        value = node.value
        if isinstance(value, dict):
            resolved = {key: self.node(child, depth) for key, child in value.items()}
            return Node(resolved, node.span, node.keys)
        if isinstance(value, list):
            return Node([self.node(child, depth) for child in value], node.span)
        if isinstance(value, str) and "${" in value:
            return self.string(node, depth)
        return node

    def string(self, node: Node, depth: int) -> Node:
        text = node.value
        pieces = _split(text)
        if pieces is None:
            return Node(UNKNOWN, node.span)
        if len(pieces) == 1 and isinstance(pieces[0], _Variable):
            return self.variable(pieces[0].body, node, depth)  # alone: keeps its type
        out = []
        for piece in pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            value = self.variable(piece.body, node, depth).value
            if isinstance(value, bool):
                value = "true" if value else "false"
            if not isinstance(value, (str, int, float)):
                return Node(UNKNOWN, node.span)
            out.append(str(value))
        joined = "".join(out)
        return Node(joined if len(joined) <= MAX_STRING else UNKNOWN, node.span)

    def variable(self, body: str, at: Node, depth: int) -> Node:
        if not _SOURCE.match(body):
            return Node("${" + body + "}", at.span)  # CloudFormation's, for Fn::Sub
        if depth > MAX_DEPTH:
            return Node(UNKNOWN, at.span)
        primary, default = _split_default(body)
        found = self.source(primary.strip(), at, depth)
        if found.value is not UNKNOWN or default is None:
            return found
        return self.fallback(default.strip(), at, depth)

    def source(self, reference: str, at: Node, depth: int) -> Node:
        if reference.startswith("self:") or reference == "self":
            path = reference[5:] if reference.startswith("self:") else ""
            if path not in self.resolved:
                target = self.lookup(path)
                if target is None:
                    return Node(UNKNOWN, at.span)
                self.resolved[path] = Node(UNKNOWN, at.span)  # while in progress: a cycle
                self.resolved[path] = self.node(target, depth + 1)
            resolved = self.resolved[path]
            return Node(resolved.value, at.span, resolved.keys)
        return Node(UNKNOWN, at.span)  # opt, env, ssm, file, cf, s3, sls, param, aws...

    def fallback(self, text: str, at: Node, depth: int) -> Node:
        literal = _literal(text)
        if literal is not UNKNOWN:
            return Node(literal, at.span)
        if text.startswith("${") and text.endswith("}"):
            text = text[2:-1]
        if _SOURCE.match(text):
            return self.variable(text, at, depth + 1)
        return Node(UNKNOWN, at.span)

    def lookup(self, path: str) -> Node | None:
        node: Node | None = self.root
        for part in [p for p in path.split(".") if p] if path else []:
            if node is None:
                return None
            if node.is_list and part.isdigit() and int(part) < len(node.value):
                node = node.value[int(part)]
            else:
                node = node.get(part)
        return node


class _Variable:
    def __init__(self, body: str):
        self.body = body


def _split(text: str) -> list[Any] | None:
    """Literal text and `${...}` variables (nested braces counted); None when unbalanced."""
    pieces: list[Any] = []
    position = 0
    while True:
        start = text.find("${", position)
        if start == -1:
            break
        if start > position:
            pieces.append(text[position:start])
        depth, index = 0, start
        while index < len(text):
            if text.startswith("${", index):
                depth += 1
                index += 2
                continue
            if text[index] == "}":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        if depth != 0:
            return None
        pieces.append(_Variable(text[start + 2 : index]))
        position = index + 1
    if position < len(text):
        pieces.append(text[position:])
    return pieces


def _split_default(body: str) -> tuple[str, str | None]:
    """`opt:stage, 'dev'` -> (`opt:stage`, `'dev'`): the first comma outside quotes,
    parentheses and nested variables."""
    depth, quote = 0, ""
    for index, char in enumerate(body):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        elif char == "," and depth == 0:
            return body[:index], body[index + 1 :]
    return body, None


def _literal(text: str) -> Any:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        pass
    if text in ("true", "false"):
        return text == "true"
    return UNKNOWN
