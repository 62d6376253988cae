"""The S3 object key a call writes or reads, as far as the code spells it (LL501: a write whose
key provably falls outside the trigger's prefix filter cannot invoke the function again); the
same for DynamoDB item keys, and the key prefix a stream handler keeps records by."""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.structure_facts.object_keys import (
    NAME,
    ObjectKey,
    ObjectKeys,
    RecordGuard,
)

# S3 transfer methods that take the key positionally: its position.
POSITIONAL_KEY = {"upload_file": 2, "upload_fileobj": 2, "copy": 2}
# Where a stream record holds the item's attributes.
RECORD_IMAGES = frozenset({"Keys", "NewImage", "OldImage"})
# DynamoDB's attribute value types that hold text (`{"S": "ORDER#1"}`).
TEXT_TYPES = frozenset({"S", "N", "B"})


class ObjectKeysVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = ObjectKeys()
        core.facts.structure[NAME] = self.facts
        # Local names bound to a stream record's key attribute, by function: name -> attribute.
        self.record_keys: dict[tuple[str, str], str] = {}
        # Open `for` loops, each with the guards found directly in its body: (attribute, prefix,
        # the first call after the guard).
        self.loops: list[tuple[cst.For, list[tuple[str, str, int]]]] = []

    def visit_For(self, node: cst.For) -> None:
        self.loops.append((node, []))

    def leave_For(self, original_node: cst.For) -> None:
        _, guards = self.loops.pop()
        function = self.core.scope.name
        for attribute, prefix, first in guards:
            guard = RecordGuard(function, attribute, prefix, first, self.core.call_index)
            self.facts.record_guards.append(guard)

    def visit_Call(self, node: cst.Call) -> None:
        self._item(node)
        key = next((arg.value for arg in node.args if _keyword(arg) == "Key"), None)
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else ""
        position = POSITIONAL_KEY.get(method)
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if key is None and position is not None and position < len(positional):
            key = positional[position].value
        if key is None:
            return
        known = self._key(key)
        if known is not None:
            self.facts.keys[str(self.core.call_index)] = known

    def _key(self, node: cst.BaseExpression) -> ObjectKey | None:
        if isinstance(node, cst.FormattedString):
            prefix, exact = "", True
            for part in node.parts:
                if not isinstance(part, cst.FormattedStringText):
                    exact = False
                    break
                prefix += part.value
            return ObjectKey(prefix, exact) if prefix or exact else None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self._key(node.left)
            if left is None:
                return None
            right = self._key(node.right) if left.exact else None
            if right is not None and right.exact:
                return ObjectKey(left.prefix + right.prefix, True)
            return ObjectKey(left.prefix + (right.prefix if right else ""), False)
        text = self.core.evaluate(node).text
        return ObjectKey(text, True) if text is not None else None

    def _item(self, node: cst.Call) -> None:
        item = next((a.value for a in node.args if _keyword(a) in ("Item", "Key")), None)
        if not isinstance(item, cst.Dict):
            return
        known: dict[str, ObjectKey] = {}
        for element in item.elements:
            if not isinstance(element, cst.DictElement):
                return  # `**other` may set any attribute
            name = self.core.evaluate(element.key).text
            value = _typed_value(element.value)
            key = self._key(value) if value is not None else None
            if name is None:
                return
            if key is not None:
                known[name] = key
        if known:
            self.facts.items[str(self.core.call_index)] = known

    def visit_Assign(self, node: cst.Assign) -> None:
        attribute = _record_attribute(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                place = (self.core.scope.name, target.target.value)
                if attribute:
                    self.record_keys[place] = attribute
                else:
                    self.record_keys.pop(place, None)

    def visit_If(self, node: cst.If) -> None:
        """`if not KEY.startswith("P"): continue`, first in a loop's body (after plain
        assignments only), keeps only records whose key attribute starts with P."""
        if self.core.scope.kind != "function" or not self.loops:
            return
        loop, guards = self.loops[-1]
        test = node.test
        if not (isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)):
            return
        call = test.expression
        if not (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "startswith"
            and len(call.args) == 1
            and node.orelse is None
            and _only_continue(node.body)
            and _first_in(loop, node)
        ):
            return
        prefix = self.core.evaluate(call.args[0].value).text
        subject = call.func.value
        attribute = _record_attribute(subject)
        if isinstance(subject, cst.Name):
            attribute = self.record_keys.get((self.core.scope.name, subject.value), "")
        if attribute and prefix:
            # The guard's own `startswith` call comes next: calls after it are guarded.
            guards.append((attribute, prefix, self.core.call_index + 2))


def _first_in(loop: cst.For, node: cst.If) -> bool:
    """The statement opens the loop's body: only assignments without calls come before it."""
    body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else []
    for statement in body:
        if statement is node:
            return True
        if not isinstance(statement, cst.SimpleStatementLine) or not all(
            isinstance(small, cst.Assign) and not _has_call(small.value) for small in statement.body
        ):
            return False
    return False


def _has_call(node: cst.CSTNode) -> bool:
    # A walk of its own: importing libcst.matchers for this costs half a second per process.
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.Call):
            return True
        pending.extend(current.children)
    return False


def _typed_value(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The text of an item attribute: itself, or inside the client API's `{"S": ...}`."""
    if isinstance(node, cst.Dict):
        if len(node.elements) != 1 or not isinstance(node.elements[0], cst.DictElement):
            return None
        element = node.elements[0]
        key = element.key
        if isinstance(key, cst.SimpleString) and key.evaluated_value in TEXT_TYPES:
            return element.value
        return None
    return node


def _record_attribute(node: cst.BaseExpression) -> str:
    """The key attribute a subscript chain reads from a stream record
    (`record["dynamodb"]["Keys"]["pk"]["S"]` -> "pk"), or ""."""
    keys: list[str] = []
    while isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        value = index.value if isinstance(index, cst.Index) else None
        if not isinstance(value, cst.SimpleString):
            return ""
        keys.insert(0, str(value.evaluated_value))
        node = node.value
    for position, key in enumerate(keys[:-1]):
        if key in RECORD_IMAGES and position > 0 and keys[position - 1] == "dynamodb":
            return keys[position + 1]
    return ""


def _only_continue(body: cst.BaseSuite) -> bool:
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    if len(statements) != 1:
        return False
    line = statements[0]
    return isinstance(line, cst.SimpleStatementLine) and all(
        isinstance(small, cst.Continue) for small in line.body
    )


def _keyword(arg: cst.Arg) -> str:
    return arg.keyword.value if arg.keyword is not None else ""


VISITORS = [ObjectKeysVisitor]
