"""The S3 object key a call writes or reads, as far as the code spells it (LL501: a write whose
key provably falls outside the trigger's prefix filter cannot invoke the function again)."""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.structure_facts.object_keys import NAME, ObjectKey, ObjectKeys

# S3 transfer methods that take the key positionally: its position.
POSITIONAL_KEY = {"upload_file": 2, "upload_fileobj": 2, "copy": 2}


class ObjectKeysVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = ObjectKeys()
        core.facts.structure[NAME] = self.facts

    def visit_Call(self, node: cst.Call) -> None:
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


def _keyword(arg: cst.Arg) -> str:
    return arg.keyword.value if arg.keyword is not None else ""


VISITORS = [ObjectKeysVisitor]
