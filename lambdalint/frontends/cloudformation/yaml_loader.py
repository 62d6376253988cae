"""YAML templates: composed with PyYAML's safe loader (C when available), then built into Nodes.

We compose instead of load so that every node keeps its marks, and we build values ourselves so
that the short-form intrinsic tags need no constructors, duplicate keys can be reported, and alias
expansion can be bounded (a "billion laughs" file stops at a node budget instead of eating memory).
"""

from __future__ import annotations

import math
from typing import Any

import yaml
from yaml import nodes as ynodes

from lambdalint.core.span import Span
from lambdalint.core.text import without_surrogates
from lambdalint.frontends.cloudformation.nodes import LoadError, Node

_BaseLoader: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

MAX_DEPTH = 250  # far beyond any real template; also what stops recursive aliases
YAML = "tag:yaml.org,2002:"


class TemplateLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, with no extra constructors: tags are interpreted while building Nodes."""


# Only used for its scalar conversions (int/float/bool/null), which construct nothing unsafe.
_SCALARS = yaml.constructor.SafeConstructor()


def load_yaml(text: str, path: str) -> tuple[Node, list[LoadError]]:
    """The document's root Node and the non-fatal problems (duplicate keys), from the run's
    document store when this text was loaded before.

    Raises LoadError for text that is not one well-formed, reasonably sized YAML document."""
    from lambdalint.frontends.cloudformation.node_entries import loaded

    return loaded("yaml", text, path, _parse)


def _parse(text: str, path: str) -> tuple[Node, list[LoadError]]:
    try:
        root = yaml.compose(text, Loader=TemplateLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise LoadError(f"invalid YAML: {reason}", line, column) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}".splitlines()[0]) from None
    except RecursionError:
        raise LoadError("invalid YAML: nested too deeply") from None
    if root is None:
        raise LoadError("empty YAML document")
    builder = _Builder(path, budget=20 * len(text) + 10_000)
    try:
        return builder.build(root, 0), builder.problems
    except RecursionError:
        raise LoadError("invalid YAML: nested too deeply") from None


class _Builder:
    def __init__(self, path: str, budget: int):
        self.path = path
        self.budget = budget
        self.problems: list[LoadError] = []

    def span(self, node: ynodes.Node) -> Span:
        start, end = node.start_mark, node.end_mark
        return Span(self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def build(self, node: ynodes.Node, depth: int) -> Node:
        self.budget -= 1
        if self.budget < 0:
            raise LoadError(
                "YAML aliases expand to too many nodes (a 'billion laughs' document?)",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        if depth > MAX_DEPTH:
            raise LoadError(
                f"YAML nested more than {MAX_DEPTH} levels deep (a recursive alias?)",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        tag = node.tag or ""
        if tag.startswith("!") and not tag.startswith("!!"):
            return self.short_form(node, tag[1:], depth)
        return self.natural(node, depth)

    def natural(self, node: ynodes.Node, depth: int) -> Node:
        span = self.span(node)
        if isinstance(node, ynodes.MappingNode):
            return self.mapping(node, span, depth)
        if isinstance(node, ynodes.SequenceNode):
            return Node([self.build(item, depth + 1) for item in node.value], span)
        return Node(scalar(node), span)

    def mapping(self, node: ynodes.MappingNode, span: Span, depth: int) -> Node:
        values: dict[str, Node] = {}
        keys: dict[str, Span] = {}
        merged: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == YAML + "merge":
                merged.append(self.build(value_node, depth + 1))
                continue
            key = key_text(key_node)
            key_span = self.span(key_node)
            if key in values:
                first = keys[key]
                self.problems.append(
                    LoadError(
                        f"duplicate key {key!r} (first at line {first.line})",
                        key_span.line,
                        key_span.column,
                    )
                )
            values[key] = self.build(value_node, depth + 1)
            keys[key] = key_span
        for source in merged:  # `<<: *defaults`: explicit keys win over merged ones
            for part in source.value if isinstance(source.value, list) else [source]:
                for key, child in part.items():
                    if key not in values:
                        values[key] = child
                        keys[key] = part.key_span(key)
        return Node(values, span, keys)

    def short_form(self, node: ynodes.Node, name: str, depth: int) -> Node:
        """`!Ref X` -> {"Ref": X}, `!GetAtt A.B` -> {"Fn::GetAtt": [A, B]}, `!Sub s` ->
        {"Fn::Sub": s}: the long form CloudFormation itself turns them into."""
        span = self.span(node)
        if isinstance(node, ynodes.ScalarNode):
            # Explicitly tagged scalars are not type-resolved by YAML: keep the text.
            argument = Node(node.value, span)
        else:
            argument = self.natural(node, depth + 1)
        if name == "GetAtt" and isinstance(argument.value, str):
            resource, _, attribute = argument.value.partition(".")
            argument = Node([Node(resource, span), Node(attribute, span)], span)
        key = name if name in ("Ref", "Condition") else f"Fn::{name}"
        return Node({key: argument}, span, {key: span})


def key_text(node: ynodes.Node) -> str:
    if isinstance(node, ynodes.ScalarNode):
        return without_surrogates(str(node.value))
    # A mapping or sequence as a key: valid YAML, never a CloudFormation key.
    return f"<complex key at line {node.start_mark.line + 1}>"


def scalar(node: ynodes.ScalarNode) -> Any:
    tag = node.tag
    try:
        if tag == YAML + "int":
            return _SCALARS.construct_yaml_int(node)
        if tag == YAML + "float":
            value = _SCALARS.construct_yaml_float(node)
            # 1.0e+999 and .inf are no number a template can mean: keep them as written.
            return value if math.isfinite(value) else without_surrogates(node.value)
        if tag == YAML + "bool":
            return _SCALARS.construct_yaml_bool(node)
        if tag == YAML + "null":
            return None
    except Exception:  # noqa: BLE001 - `!!bool maybe`, 5,000-digit ints: kept as written
        pass
    # Strings, and timestamps/binary kept as written: CloudFormation reads them as strings.
    return without_surrogates(node.value)
