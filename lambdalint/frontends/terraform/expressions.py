"""Terraform expressions -> values, as far as they can be known without running Terraform.

An expression becomes a `Node` (the format-blind document value the CloudFormation frontend uses
too): a plain scalar, a dict or list of Nodes, a model object (`aws_sqs_queue.jobs.arn` is the
Queue), a data source, or UNKNOWN. Variables resolve to their defaults (or tfvars), locals to
their expressions; module outputs, remote state, `each`/`count` and most functions are UNKNOWN.
Nothing is guessed."""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lambdalint.core.span import Span
from lambdalint.core.text import without_surrogates
from lambdalint.frontends.cloudformation.nodes import Node, wrap
from lambdalint.frontends.terraform.hcl import (
    Attribute,
    Block,
    JsonValue,
    identifier_text,
    span_of,
)
from lambdalint.model import MISSING, UNKNOWN, Resource

MAX_DEPTH = 60  # locals referring to locals: only a broken module goes deeper
MAX_STRING = 1 << 16  # longer built strings are UNKNOWN: no real name, ARN or policy needs more
INTERPOLATION = re.compile(r"\$\{([^}]*)\}")
ADDRESS = re.compile(r"\b(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)")


@dataclass(frozen=True)
class DataSource:
    """`data.TYPE.NAME.attribute`: the builder reads the block (policy documents, archives).
    The archive provider's `archive_file` resource (`archive_file.NAME.output_path`) is read
    the same way as its data source."""

    type: str
    name: str
    attribute: str
    block: Block


@dataclass(frozen=True)
class Mentions:
    """A string built from unknown parts that names model objects (`"${aws_s3_bucket.b.arn}/*"`):
    its value is unknown, but a policy statement still targets those objects."""

    objects: tuple[Resource, ...]


class Scope:
    """What names mean inside one module."""

    def __init__(self, path: str):
        self.path = path
        self.variables: dict[str, Node] = {}  # name -> default or tfvars value
        self.locals: dict[str, Attribute] = {}
        self.objects: dict[str, Resource] = {}  # "aws_sqs_queue.jobs" -> model object
        self.data: dict[str, Block] = {}  # "aws_iam_policy_document.x" -> block
        self.archives: dict[str, Block] = {}  # `resource "archive_file" "x"`: "x" -> block


class Evaluator:
    def __init__(self, scope: Scope):
        self.scope = scope
        # Each local is evaluated once: locals built from locals twice over would otherwise
        # take exponential time (a hostile module), and a cycle is UNKNOWN, not a hang.
        self.locals: dict[str, Node] = {}

    def attribute(self, block: Block | None, name: str) -> Node | None:
        """The evaluated value of `name` in `block`; None when it is not written."""
        if block is None:
            return None
        attribute = block.get(name)
        if attribute is None:
            return None
        return self.evaluate(attribute.expr, attribute.span.path)

    def evaluate(self, tree: Any, path: str, depth: int = 0) -> Node:
        if isinstance(tree, JsonValue):
            return self.json(tree.node, path, depth)
        span = span_of(tree, path)
        if depth > MAX_DEPTH:
            return Node(UNKNOWN, span)
        kind = getattr(tree, "data", None)
        handler = _TERMS.get(kind)
        if handler is None:
            return Node(UNKNOWN, span)
        try:
            return handler(self, tree, path, span, depth + 1)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError, ZeroDivisionError):
            return Node(UNKNOWN, span)  # Terraform would reject it; we abstain

    def json(self, node: Node, path: str, depth: int) -> Node:
        """A `.tf.json` value: strings are templates (`"${aws_sqs_queue.q.arn}"`)."""
        value = node.value
        if isinstance(value, dict):
            items = {k: self.json(v, path, depth + 1) for k, v in value.items()}
            return Node(items, node.span, node.keys)
        if isinstance(value, list):
            return Node([self.json(v, path, depth + 1) for v in value], node.span)
        if value is None:
            return Node(MISSING, node.span)
        if not isinstance(value, str) or ("${" not in value and "%{" not in value):
            return node
        import hcl2

        try:
            tree = hcl2.parses_to_tree(f"x = {_as_hcl_string(value)}\n")
            expr = tree.children[0].children[0].children[-1]
        except Exception:  # noqa: BLE001 - python-hcl2 raises several kinds; Terraform would too
            return Node(UNKNOWN, node.span)
        found = self.evaluate(expr, path, depth + 1)
        return Node(found.value, node.span, found.keys)

    # -- terms --------------------------------------------------------------------------------

    def term(self, tree, path, span, depth) -> Node:
        inner = [c for c in tree.children if hasattr(c, "data") and c.data != "new_line_or_comment"]
        if len(inner) != 1:
            return Node(UNKNOWN, span)
        node = self.evaluate(inner[0], path, depth)
        return Node(node.value, span, node.keys)

    def literal(self, tree, path, span, depth) -> Node:
        text = identifier_text(tree)
        if text == "null":
            return Node(MISSING, span)
        return Node(text == "true", span)

    def number(self, tree, path, span, depth) -> Node:
        text = str(tree.children[0])
        return Node(float(text) if tree.data == "float_lit" else int(text), span)

    def string(self, tree, path, span, depth) -> Node:
        parts = [c.children[0] for c in tree.children if getattr(c, "data", None) == "string_part"]
        if len(parts) == 1 and getattr(parts[0], "data", None) == "interpolation":
            # "${x}" alone is x itself, whatever its type.
            inner = self.evaluate(parts[0].children[1], path, depth)
            return Node(inner.value, span, inner.keys)
        pieces: list[Any] = []
        for part in parts:
            if getattr(part, "data", None) == "interpolation":
                pieces.append(self.evaluate(part.children[1], path, depth).value)
            elif hasattr(part, "data"):  # %{if}/%{for} directives
                pieces.append(UNKNOWN)
            else:
                pieces.append(_unescape(str(part)))
        return Node(_join(pieces), span)

    def heredoc(self, tree, path, span, depth) -> Node:
        raw = str(tree.children[0])
        lines = raw.split("\n")[1:-2]  # drop `<<EOF`, the closing marker and its newline
        if tree.data == "heredoc_template_trim":
            indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
            lines = [x[indent:] for x in lines]
        text = "\n".join(lines) + "\n"
        return Node(Heredoc(text, span.line + 1, self, path), span)

    def tuple_(self, tree, path, span, depth) -> Node:
        items = [
            self.evaluate(c, path, depth)
            for c in tree.children
            if getattr(c, "data", None) not in (None, "new_line_or_comment")
        ]
        return Node(items, span)

    def object_(self, tree, path, span, depth) -> Node:
        values: dict[str, Node] = {}
        keys: dict[str, Span] = {}
        for element in tree.children:
            if getattr(element, "data", None) != "object_elem":
                continue
            key_tree, value_tree = element.children[0], element.children[-1]
            key = self.key(key_tree, path, depth)
            if key is None:
                return Node(UNKNOWN, span)  # a computed key: the object's shape is unknown
            values[key] = self.evaluate(value_tree, path, depth)
            keys[key] = span_of(key_tree, path)
        return Node(values, span, keys)

    def key(self, tree: Any, path: str, depth: int) -> str | None:
        inner = tree.children[0]
        if getattr(inner, "data", None) == "expr_term":
            only = [c for c in inner.children if hasattr(c, "data")]
            if len(only) == 1 and only[0].data == "identifier":
                return identifier_text(only[0])  # `Name = ...`: a bare word is the key itself
        if getattr(inner, "data", None) == "keyword":
            return identifier_text(inner)
        value = self.evaluate(inner, path, depth).value
        return value if isinstance(value, str) else None

    def conditional(self, tree, path, span, depth) -> Node:
        parts = [c for c in tree.children if hasattr(c, "data") and c.data != "new_line_or_comment"]
        condition = self.evaluate(parts[0], path, depth).value
        if isinstance(condition, bool):
            chosen = self.evaluate(parts[1] if condition else parts[2], path, depth)
            return Node(chosen.value, span, chosen.keys)
        return Node(UNKNOWN, span)

    def binary(self, tree, path, span, depth) -> Node:
        left = self.evaluate(tree.children[0], path, depth).value
        term = tree.children[1]
        operator_name = identifier_text(term.children[0]).strip()
        right = self.evaluate(term.children[-1], path, depth).value
        if operator_name in ("==", "!=") and (left is MISSING or right is MISSING):
            return Node(self.null_comparison(operator_name, left, right), span)
        function = _OPERATORS.get(operator_name)
        if function is None or not _plain(left) or not _plain(right):
            return Node(UNKNOWN, span)
        if operator_name in "+-*/%" and not (_is_number(left) and _is_number(right)):
            return Node(UNKNOWN, span)
        return Node(function(left, right), span)

    @staticmethod
    def null_comparison(operator_name: str, left: Any, right: Any) -> Any:
        """`var.role_arn == null`, the usual switch between a resource the module makes and one
        passed in: null (a default of null) equals only null, and a known value never is.
        UNKNOWN when a side is not known (an unset variable is not null: it must be given)."""
        if not all(side is MISSING or _plain(side) for side in (left, right)):
            return UNKNOWN
        equal = left is MISSING and right is MISSING
        return equal if operator_name == "==" else not equal

    def unary(self, tree, path, span, depth) -> Node:
        sign = str(tree.children[0])
        value = self.evaluate(tree.children[1], path, depth).value
        if sign == "-" and _is_number(value):
            return Node(-value, span)
        if sign == "!" and isinstance(value, bool):
            return Node(not value, span)
        return Node(UNKNOWN, span)

    def call(self, tree, path, span, depth) -> Node:
        name = identifier_text(tree.children[0])
        arguments = next(
            (c for c in tree.children if getattr(c, "data", None) == "arguments"), None
        )
        values = [
            self.evaluate(c, path, depth)
            for c in (arguments.children if arguments is not None else [])
            if hasattr(c, "data") and c.data != "new_line_or_comment"
        ]
        if name == "jsonencode" and len(values) == 1:
            return Node(values[0].value, span, values[0].keys)  # the document, spans kept
        if name == "jsondecode" and len(values) == 1 and isinstance(values[0].value, str):
            return wrap(json.loads(values[0].value), span)
        if name in ("tonumber",) and len(values) == 1:
            value = values[0].value
            return Node(value if _is_number(value) else UNKNOWN, span)
        if name in ("tostring", "tolist", "toset") and len(values) == 1:
            return Node(values[0].value, span, values[0].keys)
        return Node(UNKNOWN, span)

    def reference(self, tree, path, span, depth) -> Node:
        """`var.x`, `local.y`, `aws_sqs_queue.jobs.arn`, `data.t.n.json`, with indexes."""
        chain = _chain(tree)
        if chain is None:
            return Node(UNKNOWN, span)
        root, steps = chain
        names = [step for step in steps if isinstance(step, str)]
        if root == "var" and names:
            return self.walk(self.scope.variables.get(steps[0]), steps[1:], span)
        if root == "local" and names:
            return self.walk(self.local(steps[0], depth), steps[1:], span)
        if root == "path" and steps == ["module"]:
            return Node(".", span)
        if root == "data" and len(names) >= 3:
            block = self.scope.data.get(f"{names[0]}.{names[1]}")
            if block is None:
                return Node(UNKNOWN, span)
            return Node(DataSource(names[0], names[1], names[2], block), span)
        if root == "archive_file" and len(names) >= 2 and names[0] in self.scope.archives:
            block = self.scope.archives[names[0]]
            return Node(DataSource(root, names[0], names[1], block), span)
        if names:
            found = self.scope.objects.get(f"{root}.{names[0]}")
            if found is not None:
                return Node(found, span)  # any attribute: the object itself, as !GetAtt does
        return Node(UNKNOWN, span)

    def local(self, name: str, depth: int) -> Node | None:
        if name not in self.locals:
            attribute = self.scope.locals.get(name)
            if attribute is None:
                return None
            self.locals[name] = Node(UNKNOWN, attribute.span)  # while in progress: a cycle
            self.locals[name] = self.evaluate(attribute.expr, attribute.span.path, depth)
        return self.locals[name]

    def walk(self, node: Node | None, steps: list[Any], span: Span) -> Node:
        if node is None:
            return Node(UNKNOWN, span)
        for step in steps:
            container = node.value
            if isinstance(container, dict) and isinstance(step, str) and step in container:
                node = container[step]
                continue
            if isinstance(container, list) and isinstance(step, int) and step < len(container):
                node = container[step]
                continue
            return Node(UNKNOWN, span)
        return Node(node.value, span, node.keys)

    def mentioned(self, text: str) -> tuple[Resource, ...]:
        """Model objects a template string's interpolations name."""
        found = []
        for expression in INTERPOLATION.findall(text):
            for data, kind, name in ADDRESS.findall(expression):
                obj = None if data else self.scope.objects.get(f"{kind}.{name}")
                if obj is not None and obj not in found:
                    found.append(obj)
        return tuple(found)


@dataclass(frozen=True)
class Heredoc:
    """A heredoc: its text stays raw, so a JSON policy in it is read with its own lines."""

    text: str
    first_line: int  # the file line of the text's first line
    evaluator: Evaluator
    path: str

    @property
    def value(self) -> Any:
        """The string, when no interpolation or directive makes it unknown."""
        return UNKNOWN if "${" in self.text or "%{" in self.text else self.text


def _chain(tree: Any) -> tuple[str, list[Any]] | None:
    """(`aws_sqs_queue`, [`jobs`, `arn`]) for a get-attribute/index chain over an identifier;
    index steps are ints or strings when literal, None otherwise."""
    steps: list[Any] = []
    node = tree
    while True:
        kind = getattr(node, "data", None)
        if kind == "expr_term":
            inner = [c for c in node.children if hasattr(c, "data")]
            if len(inner) != 1:
                return None
            node = inner[0]
        elif kind == "get_attr_expr_term":
            steps.insert(0, identifier_text(node.children[1].children[-1]))
            node = node.children[0]
        elif kind == "index_expr_term":
            steps.insert(0, _index(node.children[1]))
            node = node.children[0]
        elif kind == "identifier":
            return identifier_text(node), steps
        else:
            return None


def _index(tree: Any) -> Any:
    if tree.data == "short_index":
        return int(str(tree.children[-1]))
    inner = [c for c in tree.children if hasattr(c, "data") and c.data != "new_line_or_comment"]
    if len(inner) == 1:
        text = identifier_text(inner[0]).strip().strip('"')
        return int(text) if text.isdigit() else text
    return None


def _as_hcl_string(template: str) -> str:
    """A `.tf.json` template string as an HCL quoted string: the literal parts escaped, the
    `${...}` interpolations (which may hold quotes of their own) as written."""
    parts, position = [], 0
    while (start := template.find("${", position)) != -1:
        depth, index = 0, start
        while index < len(template):
            if template.startswith("${", index) or template[index] == "{":
                depth += 1
                index += 2 if template.startswith("${", index) else 1
                continue
            if template[index] == "}":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        parts.append(json.dumps(template[position:start])[1:-1])
        parts.append(template[start : index + 1])
        position = index + 1
    parts.append(json.dumps(template[position:])[1:-1])
    return '"' + "".join(parts) + '"'


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text.replace("$${", "${").replace("%%{", "%{")
    try:
        unescaped = json.loads(f'"{text}"')  # `\\ud800` is a lone surrogate: made printable
        return without_surrogates(unescaped).replace("$${", "${").replace("%%{", "%{")
    except ValueError:
        return text


def _join(pieces: list[Any]) -> Any:
    text = []
    objects: list[Resource] = []
    known = True
    for piece in pieces:
        if isinstance(piece, bool):
            text.append("true" if piece else "false")
        elif isinstance(piece, (str, int, float)):
            text.append(str(piece))
        else:
            known = False
            if isinstance(piece, Resource):
                objects.append(piece)
            elif isinstance(piece, Mentions):
                objects.extend(piece.objects)
    if known:
        joined = "".join(text)
        return joined if len(joined) <= MAX_STRING else UNKNOWN
    return Mentions(tuple(objects)) if objects else UNKNOWN


def _plain(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "%": operator.mod,
    "==": operator.eq,
    "!=": operator.ne,
}

_TERMS: dict[str | None, Callable[..., Node]] = {
    "expr_term": Evaluator.term,
    "literal_value": Evaluator.literal,
    "int_lit": Evaluator.number,
    "float_lit": Evaluator.number,
    "string": Evaluator.string,
    "heredoc_template": Evaluator.heredoc,
    "heredoc_template_trim": Evaluator.heredoc,
    "tuple": Evaluator.tuple_,
    "object": Evaluator.object_,
    "conditional": Evaluator.conditional,
    "binary_op": Evaluator.binary,
    "unary_op": Evaluator.unary,
    "function_call": Evaluator.call,
    "get_attr_expr_term": Evaluator.reference,
    "index_expr_term": Evaluator.reference,
    "identifier": Evaluator.reference,
}
