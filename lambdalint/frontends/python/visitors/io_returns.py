"""Values a function returns that the Lambda runtime's encoder cannot encode: datetimes, sets,
binary bytes, file objects, instances of plain project classes, through dict/list literals,
simple assignments and containers filled with `append`/`add`/`update`; and `json.dumps` calls in
a returned value that will raise on such a value (a DynamoDB item, any bytes too).

The runtime (awslambdaric's `lambda_runtime_marshaller`, every version since 2020) returns a
top-level `bytes` value as it is, encodes everything else with simplejson, which decodes nested
`bytes` as UTF-8 and turns `Decimal` into a number; `json.dumps` does neither.

LL122 (non-serializable-return) reads these facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor, dotted_name
from lambdalint.frontends.python.facts import OBJECT
from lambdalint.frontends.python.structure_facts.io_returns import NAME, ReturnFacts, Unserializable

MAX_DEPTH = 6

DATETIMES = frozenset(
    {f"datetime.datetime.{m}" for m in ("now", "utcnow", "today", "fromtimestamp")}
    | {f"datetime.datetime.{m}" for m in ("utcfromtimestamp", "fromisoformat", "strptime")}
    | {f"datetime.date.{m}" for m in ("today", "fromtimestamp", "fromisoformat")}
    | {"datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta"}
)
SETS = frozenset({"set", "frozenset"})
# Bytes that decode as UTF-8 (base64 is ASCII): the runtime encodes them as strings.
TEXT_BYTES = frozenset(
    {"bytes"}
    | {f"base64.{f}" for f in ("b64encode", "urlsafe_b64encode", "b32encode", "b16encode")}
    | {"base64.encodebytes", "base64.standard_b64encode"}
)
# Bytes that never decode as UTF-8 (compressed data starts with a byte that cannot).
BINARY_BYTES = frozenset({"gzip.compress", "zlib.compress", "lzma.compress"})
# Other values neither simplejson nor json encode, by constructor.
OTHERS = {
    "bytearray": "a bytearray",
    "memoryview": "a memoryview",
    "complex": "a complex number",
    "re.compile": "a compiled regular expression",
    "io.StringIO": "a file object",
    "io.BytesIO": "a file object",
    "open": "a file object",
    "io.open": "a file object",
}
# Methods that put a value into the container they are called on.
FILLERS = frozenset({"append", "add", "insert", "extend", "update", "setdefault"})
DECIMALS = frozenset({"decimal.Decimal"})
# The resource API's reads: their items hold numbers as Decimal.
DYNAMODB_READS = ("Table.get_item", "Table.query", "Table.scan", "resource.batch_get_item")
DYNAMODB_ITEM_KEYS = frozenset({"Item", "Items", "Responses"})
# Calls that read a value without changing it; any other call may convert it in place.
READERS = frozenset({"json.dumps", "print", "len", "str", "repr", "isinstance", "type"})
READER_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "get", "keys"})


@dataclass(frozen=True)
class Found:
    what: str  # "a datetime", "a set"...
    runtime_ok: bool  # the Lambda runtime's own encoder handles it (Decimal, UTF-8 bytes)
    dumps: int = -1  # a json.dumps call that raises on it, or -1 for the value itself
    is_bytes: bool = False  # returned as it is, the runtime sends bytes without encoding them
    nested: bool = False  # inside a container (or a dict key), not the value itself


BINARY = Found("binary bytes (not UTF-8)", False, is_bytes=True)
TEXT = Found("bytes", True, is_bytes=True)


def _text(node: cst.BaseExpression) -> str | None:
    if not isinstance(node, cst.SimpleString):
        return None
    try:
        value = node.evaluated_value
    except Exception:  # noqa: BLE001 - an invalid escape is no key
        return None
    return value if isinstance(value, str) else None


def _string_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return _text(node.slice[0].slice.value)


class ReturnVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.out = ReturnFacts()
        self.return_index = -1
        self.open_returns: list[int] = []
        self.bindings: dict[str, dict[str, Found | None]] = {}
        self.plain_classes: set[str] = set()
        core.facts.structure[NAME] = self.out

    def _names(self) -> dict[str, Found | None]:
        return self.bindings.setdefault(self.core.current_function(), {})

    # -- classes whose instances json cannot encode ------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        at_module = len(self.core.scopes) == 2  # the core has pushed this class's scope
        bases = [dotted_name(arg.value) for arg in node.bases if arg.keyword is None]
        if at_module and not node.keywords and all(base == "object" for base in bases):
            self.plain_classes.add(node.name.value)

    # -- what names hold -----------------------------------------------------------------------

    def leave_Assign(self, original_node: cst.Assign) -> None:
        # On leave, so that the calls in the value have their indexes.
        if not self.core.current_function():
            return
        for target in original_node.targets:
            self._assign(target.target, original_node.value)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        if self.core.current_function() and original_node.value is not None:
            self._assign(original_node.target, original_node.value)

    def _assign(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        names = self._names()
        if isinstance(target, cst.Name):
            names[target.value] = self.classify(value)
        elif isinstance(target, cst.Subscript):
            self._forget(target.value)  # `item["n"] = float(...)` converts in place
        else:
            for name in _target_names(target):
                names[name] = None

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._forget(node.target)

    def visit_For_target(self, node: cst.For) -> None:
        for name in _target_names(node.target):
            self._names()[name] = None

    def visit_Call(self, node: cst.Call) -> None:
        if not self.core.current_function():
            return
        callee = self._callee(node)
        if callee in READERS:
            return
        if isinstance(node.func, cst.Attribute):
            if node.func.attr.value in READER_METHODS:
                return
            if node.func.attr.value in FILLERS and self._fill(node.func.value, node.args):
                return
            self._forget(node.func.value)
        for arg in node.args:
            self._forget(arg.value)

    def _fill(self, container: cst.BaseExpression, args: Sequence[cst.Arg]) -> bool:
        """`results.append({"data": gzip.compress(...)})`: the container now holds what the
        argument holds, if that cannot be encoded; a value that can changes nothing."""
        if not isinstance(container, cst.Name):
            return False
        names = self._names()
        for arg in args:
            found = self.classify(arg.value)
            if found is not None and not found.runtime_ok:
                names[container.value] = replace(found, nested=True)
                return True
        return container.value in names and names[container.value] is not None

    def _forget(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self._names()[node.value] = None

    # -- returns -------------------------------------------------------------------------------

    def visit_Return(self, node: cst.Return) -> None:
        self.return_index += 1
        self.open_returns.append(self.return_index)

    def leave_Return(self, original_node: cst.Return) -> None:
        index = self.open_returns.pop()
        func = self.core.current_function()
        if not func or original_node.value is None:
            return
        found = self.classify(original_node.value)
        if found is None or (found.is_bytes and not found.nested and found.dumps < 0):
            return  # bytes returned as they are: the runtime sends them unencoded
        if found.dumps >= 0:
            self.out.problems.append(Unserializable(func, "Call", found.dumps, found.what))
        elif not found.runtime_ok:
            self.out.problems.append(Unserializable(func, "Return", index, found.what))

    # -- what an expression holds --------------------------------------------------------------

    def classify(self, node: cst.BaseExpression, depth: int = 0) -> Found | None:
        if depth > MAX_DEPTH:
            return None
        depth += 1
        if isinstance(node, cst.Name):
            names = self._names()
            if node.value in names:
                return names[node.value]
            return self._module_function(node.value)
        if isinstance(node, cst.SimpleString):
            return _bytes_literal(node)
        if isinstance(node, cst.Imaginary):
            return Found("a complex number", False)
        if isinstance(node, cst.BinaryOperation):  # `3 + 4j`
            operands = (node.left, node.right)
            if any(isinstance(operand, cst.Imaginary) for operand in operands):
                return Found("a complex number", False)
            return None
        if isinstance(node, cst.Lambda):
            return Found("a function", False)
        if isinstance(node, (cst.Set, cst.SetComp)):
            return Found("a set", False)
        if isinstance(node, cst.Dict):
            elements = [e for e in node.elements if isinstance(e, cst.DictElement)]
            key = self._bad_key([e.key for e in elements], depth)
            return key or self._first([e.value for e in elements], depth)
        if isinstance(node, (cst.List, cst.Tuple)):
            values = [e.value for e in node.elements if isinstance(e, cst.Element)]
            return self._first(values, depth)
        if isinstance(node, cst.Subscript):
            if _string_key(node) in DYNAMODB_ITEM_KEYS and self._dynamodb_read(node.value):
                return Found("a DynamoDB item (its numbers are Decimal)", True)
            return None
        if isinstance(node, cst.Call):
            return self._classify_call(node, depth)
        return None

    def _first(self, values: list[cst.BaseExpression], depth: int) -> Found | None:
        """The first element that fails, else the first the runtime still encodes."""
        encoded = None
        for value in values:
            found = self.classify(value, depth)
            if found is not None and (found.dumps >= 0 or not found.runtime_ok):
                return replace(found, nested=True)
            encoded = encoded or (replace(found, nested=True) if found else None)
        return encoded

    def _module_function(self, name: str) -> Found | None:
        """A function of the module, named where no local or parameter hides it."""
        function = self.core.facts.functions.get(name)
        current = self.core.facts.functions.get(self.core.current_function())
        if function is None or function.in_class or function.nested:
            return None
        if current is not None and name in current.params:
            return None
        return Found("a function", False)

    def _bad_key(self, keys: list[cst.BaseExpression], depth: int) -> Found | None:
        """Dict keys must be strings, numbers, booleans or None (bytes are decoded)."""
        for key in keys:
            found = Found("a tuple", False) if isinstance(key, cst.Tuple) else None
            found = found or self.classify(key, depth)
            if found is not None and found.dumps < 0 and not found.is_bytes:
                return Found(f"{found.what} as a dict key", False, nested=True)
        return None

    def _classify_call(self, node: cst.Call, depth: int) -> Found | None:
        callee = self._callee(node)
        if callee == "json.dumps":
            return self._dumps(node, depth)
        if callee in DATETIMES:
            return Found("a datetime", False)
        if callee in SETS:
            return Found("a set", False)
        if callee in TEXT_BYTES:
            return TEXT
        if callee in BINARY_BYTES:
            return BINARY
        if callee in OTHERS:
            return Found(OTHERS[callee], False)
        if callee in DECIMALS:
            return Found("a Decimal", True)
        if callee.startswith("@") and callee[1:] in self.plain_classes:
            return Found(f"a `{callee[1:]}` instance", False)
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "get" and node.args:
            is_item_key = _text(node.args[0].value) in DYNAMODB_ITEM_KEYS
            if is_item_key and self._dynamodb_read(func.value):
                return Found("a DynamoDB item (its numbers are Decimal)", True)
        return None

    def _dumps(self, node: cst.Call, depth: int) -> Found | None:
        """`json.dumps(x)` is a string, unless it raises on x first."""
        if not node.args or any(
            a.keyword and a.keyword.value in ("default", "cls") for a in node.args
        ):
            return None
        if any(a.star for a in node.args):
            return None
        found = self.classify(node.args[0].value, depth)
        if found is None:
            return None
        if found.dumps >= 0:
            return found
        index = self.core.call_ids.get(id(node), -1)
        return Found(found.what, False, index) if index >= 0 else None

    def _dynamodb_read(self, node: cst.BaseExpression) -> bool:
        value = self.core.evaluate(node)
        return value.kind == OBJECT and value.name.endswith(DYNAMODB_READS)

    def _callee(self, node: cst.Call) -> str:
        callee = self.core.named_callee(node)
        if callee and "." not in callee and callee in self.plain_classes:
            return "@" + callee  # a class of this module, built without a base class
        return callee


def _bytes_literal(node: cst.SimpleString) -> Found | None:
    if "b" not in node.prefix.lower():
        return None
    try:
        value = node.evaluated_value
        if isinstance(value, bytes):
            value.decode("utf-8")
    except UnicodeDecodeError:
        return BINARY
    except Exception:  # noqa: BLE001 - an invalid escape: whatever it is, it is bytes
        return TEXT
    return TEXT


def _target_names(node: cst.BaseExpression) -> list[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for e in node.elements for n in _target_names(e.value)]
    return []


VISITORS = [ReturnVisitor]
