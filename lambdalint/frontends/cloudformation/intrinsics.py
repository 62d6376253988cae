"""Resolving intrinsic functions to values, and references to the model objects they name.

A value resolves to a plain Python value, to a model object (`Ref`/`GetAtt` of a resource), to
UNKNOWN (anything decided at deploy time: pseudo parameters, imports, physical ids) or to MISSING
(`AWS::NoValue`). `Fn::If` keeps both branches. Nothing is guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lambdalint.frontends.cloudformation.nodes import Node
from lambdalint.model import MISSING, UNKNOWN, Resource, Val

_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_HOLE = "\x00"  # stands for an unknown part of a string while we look for names in it
_LIST_PARAMETER = re.compile(r"^(CommaDelimitedList|List<.*>)$")
# `AWS::Partition` inside a `Fn::Sub` or `Fn::Join` string: one of three known values, so the
# string is one of three known strings (an AWS managed policy ARN written the portable way).
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
_PARTITION = "\x01"  # stands for the partition while the string is built


@dataclass(frozen=True)
class Choice:
    """The values a conditional can take (MISSING for `AWS::NoValue`)."""

    options: tuple[Any, ...]


class Resolver:
    def __init__(self, root: Node):
        self.parameters: dict[str, Node] = dict(_mapping(root.get("Parameters")))
        self.mappings = root.get("Mappings")
        self.resources: dict[str, Node] = dict(_mapping(root.get("Resources")))
        self.objects: dict[str, Resource] = {}  # logical id -> model object
        self.names: dict[tuple[str, str], Resource] = {}  # (service, physical name) -> object

    # -- values ---------------------------------------------------------------------------

    def val(self, node: Node | None) -> Val:
        """The property's Val: MISSING when absent, UNKNOWN when unresolvable."""
        if node is None:
            return Val()
        value = self.resolve(node)
        if isinstance(value, Choice):
            return Val(UNKNOWN, node.span, _flatten(value))
        return Val(value, node.span)

    def resolve(self, node: Node, depth: int = 0) -> Any:
        if depth > 50:  # parameters and mappings can refer in circles only in broken templates
            return UNKNOWN
        value = node.value
        if isinstance(value, dict):
            call = node.intrinsic()
            if call is not None:
                return self.call(call[0], call[1], depth + 1)
            return {key: _settle(self.resolve(child, depth + 1)) for key, child in value.items()}
        if isinstance(value, list):
            return [_settle(self.resolve(child, depth + 1)) for child in value]
        return value

    def call(self, name: str, argument: Node, depth: int) -> Any:
        handler = _CALLS.get(name)
        if handler is None:
            return UNKNOWN
        try:
            return handler(self, argument, depth)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            return UNKNOWN  # malformed arguments: CloudFormation would reject them, we abstain

    def ref(self, argument: Node, depth: int) -> Any:
        name = argument.value
        if not isinstance(name, str):
            return UNKNOWN
        if name == "AWS::NoValue":
            return MISSING
        if name in self.parameters:
            return self.parameter(name, depth)
        if name in self.objects or name in self.resources:
            return self.objects.get(name, UNKNOWN)
        return UNKNOWN  # pseudo parameters and names CloudFormation would reject

    def parameter(self, name: str, depth: int) -> Any:
        definition = self.parameters[name]
        default = definition.get("Default")
        if default is None:
            return UNKNOWN
        value = self.resolve(default, depth + 1)
        kind = definition.get("Type")
        if (
            isinstance(value, str)
            and kind is not None
            and isinstance(kind.value, str)
            and _LIST_PARAMETER.match(kind.value)
        ):
            return [part.strip() for part in value.split(",")]
        return value

    def get_att(self, argument: Node, depth: int) -> Any:
        parts = argument.value
        if isinstance(parts, list) and parts and isinstance(parts[0].value, str):
            return self.objects.get(parts[0].value, UNKNOWN)
        if isinstance(parts, str):  # JSON's "A.B" form is not valid, but SAM accepts it
            return self.objects.get(parts.partition(".")[0], UNKNOWN)
        return UNKNOWN

    def sub(self, argument: Node, depth: int) -> Any:
        text = self.sub_text(argument, depth)
        return UNKNOWN if text is None or _HOLE in text else _per_partition(text)

    def sub_text(self, argument: Node, depth: int) -> str | None:
        """The `Fn::Sub` string with unknown parts as holes; None when malformed."""
        template, variables = _sub_parts(argument)
        if template is None:
            return None

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name == "AWS::Partition" and name not in variables:
                return _PARTITION
            if name in variables:
                if _is_partition(variables[name]):
                    return _PARTITION
                value = self.resolve(variables[name], depth + 1)
            elif "." in name:
                value = UNKNOWN  # GetAtt: an attribute of a deployed resource
            elif name in self.parameters:
                value = self.parameter(name, depth)
            else:
                value = UNKNOWN
            return _as_text(value)

        return _SUB_VARIABLE.sub(substitute, template)

    def join(self, argument: Node, depth: int) -> Any:
        delimiter, items = argument.value
        separator = self.resolve(delimiter, depth)
        values = self.resolve(items, depth)
        if not isinstance(separator, str) or not isinstance(values, list):
            return UNKNOWN
        parts = [_as_text(value) for value in values]
        if items.is_list and len(items.value) == len(parts):
            parts = [
                _PARTITION if _is_partition(item) else part
                for item, part in zip(items.value, parts, strict=True)
            ]
        joined = separator.join(parts)
        return UNKNOWN if _HOLE in joined else _per_partition(joined)

    def select(self, argument: Node, depth: int) -> Any:
        index_node, items = argument.value
        index = self.resolve(index_node, depth)
        values = self.resolve(items, depth)
        if isinstance(index, str) and index.isdigit() and len(index) < 10:
            index = int(index)
        if isinstance(index, int) and not isinstance(index, bool) and isinstance(values, list):
            return values[index] if 0 <= index < len(values) else UNKNOWN
        return UNKNOWN

    def split(self, argument: Node, depth: int) -> Any:
        delimiter, source = argument.value
        separator = self.resolve(delimiter, depth)
        text = self.resolve(source, depth)
        if isinstance(separator, str) and separator and isinstance(text, str):
            return text.split(separator)
        return UNKNOWN

    def find_in_map(self, argument: Node, depth: int) -> Any:
        name, top, second = (self.resolve(part, depth) for part in argument.value[:3])
        if not all(isinstance(key, str) for key in (name, top, second)) or self.mappings is None:
            return UNKNOWN
        found = self.mappings.path(name, top, second)
        return UNKNOWN if found is None else self.resolve(found, depth)

    def if_(self, argument: Node, depth: int) -> Any:
        _, when_true, when_false = argument.value
        return Choice((self.resolve(when_true, depth), self.resolve(when_false, depth)))

    # -- relations ------------------------------------------------------------------------

    def target(self, node: Node | None) -> Resource | None:
        """The model object a reference or ARN names: `!Ref X`, `!GetAtt X.Arn`, a `!Sub`/`!Join`
        naming exactly one resource, or an ARN whose name part matches a resource's known name."""
        if node is None:
            return None
        named = self.referenced(node)
        if len(named) == 1:
            return self.objects.get(next(iter(named)))
        if named:
            return None
        return self.by_arn(node)

    def referenced(self, node: Node) -> set[str]:
        """Logical ids of resources the value refers to (Ref, GetAtt, Sub variables)."""
        found: set[str] = set()
        self._collect(node, found, 0)
        return {name for name in found if name in self.objects}

    def _collect(self, node: Node, found: set[str], depth: int) -> None:
        if depth > 50:
            return
        call = node.intrinsic()
        if call is not None:
            name, argument = call
            if name == "Ref" and isinstance(argument.value, str):
                found.add(argument.value)
                return
            if name == "Fn::GetAtt":
                if argument.is_list and argument.value and isinstance(argument.value[0].value, str):
                    found.add(argument.value[0].value)
                elif isinstance(argument.value, str):
                    found.add(argument.value.partition(".")[0])
                return
            if name == "Fn::Sub":
                template, variables = _sub_parts(argument)
                for match in _SUB_VARIABLE.finditer(template or ""):
                    variable = match.group(1).strip()
                    if variable in variables:
                        self._collect(variables[variable], found, depth + 1)
                    elif not variable.startswith("!"):
                        found.add(variable.split(".", 1)[0])
                return
        if isinstance(node.value, dict):
            for child in node.value.values():
                self._collect(child, found, depth + 1)
        elif isinstance(node.value, list):
            for child in node.value:
                self._collect(child, found, depth + 1)

    def by_arn(self, node: Node) -> Resource | None:
        text: str | None
        call = node.intrinsic()
        if call is not None and call[0] == "Fn::Sub":
            text = self.sub_text(call[1], 0)
        else:
            value = self.resolve(node)
            text = value if isinstance(value, str) else None
        if text is None:
            return None
        key = arn_name(text)
        return self.names.get(key) if key is not None else None

    def register_name(self, service: str, name: Val, resource: Resource) -> None:
        if isinstance(name.value, str) and not name.possible:
            self.names.setdefault((service, name.value), resource)


def arn_name(arn: str) -> tuple[str, str] | None:
    """(service, resource name) from an ARN whose name part is known, else None."""
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    service, rest = parts[2], parts[5]
    if service == "s3":
        name = rest.split("/", 1)[0]
    elif service == "dynamodb":
        pieces = rest.split("/")
        name = pieces[1] if len(pieces) > 1 and pieces[0] == "table" else ""
    elif service == "lambda":
        pieces = rest.split(":")
        name = pieces[1] if len(pieces) > 1 and pieces[0] == "function" else ""
    elif service in ("sqs", "sns"):
        name = rest
    elif service == "iam":
        name = rest.split("/")[-1] if rest.startswith("role/") else ""
    else:
        return None
    if not name or _HOLE in name or "*" in name:
        return None
    return service, name


def _sub_parts(argument: Node) -> tuple[str | None, dict[str, Node]]:
    if isinstance(argument.value, str):
        return argument.value, {}
    if argument.is_list and argument.value and isinstance(argument.value[0].value, str):
        variables = argument.value[1] if len(argument.value) > 1 else None
        return argument.value[0].value, dict(_mapping(variables))
    return None, {}


def _mapping(node: Node | None) -> list[tuple[str, Node]]:
    return node.items() if node is not None else []


def _is_partition(node: Node) -> bool:
    call = node.intrinsic()
    return call is not None and call[0] == "Ref" and call[1].value == "AWS::Partition"


def _per_partition(text: str) -> Any:
    """A built string, or one string per partition when it contains `AWS::Partition`."""
    if _PARTITION not in text:
        return text
    return Choice(tuple(text.replace(_PARTITION, partition) for partition in PARTITIONS))


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return _HOLE


def _settle(value: Any) -> Any:
    """Inside a larger value a conditional is simply unknown."""
    return UNKNOWN if isinstance(value, Choice) else value


def _flatten(choice: Choice) -> tuple[Any, ...]:
    options: list[Any] = []
    for option in choice.options:
        if isinstance(option, Choice):
            options.extend(_flatten(option))
        else:
            options.append(option)
    return tuple(options)


_CALLS = {
    "Ref": Resolver.ref,
    "Fn::GetAtt": Resolver.get_att,
    "Fn::Sub": Resolver.sub,
    "Fn::Join": Resolver.join,
    "Fn::Select": Resolver.select,
    "Fn::Split": Resolver.split,
    "Fn::FindInMap": Resolver.find_in_map,
    "Fn::If": Resolver.if_,
}
