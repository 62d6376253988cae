"""Exception handlers around per-record work in batch handlers (LL114 swallowed-batch-error).

A records loop is a `for` over `event["Records"]` (or `.get("Records")`, or a name bound to it)
of the event or of a parameter, or a `for` over a parameter that a caller fills with records.
Each broad `except` inside such a loop, or around one, is kept with what its body does; so is
every other broad `except` of a function, which matters when a records loop calls that function
once per record (the calls made inside records loops are kept too).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor, dotted_name
from lambdalint.frontends.python.facts import EVENT, PARAM
from lambdalint.frontends.python.structure_facts.batch_errors import (
    BROAD,
    EXITS,
    FAILURES_KEY,
    FORWARDING_METHODS,
    ITERATION_WRAPPERS,
    LOG_METHODS,
    NAME,
    NOTIFICATION_KEYS,
    POWERTOOLS_BATCH,
    BatchErrors,
    BroadExcept,
)


@dataclass
class _Try:
    node_id: int
    in_body: bool = False
    loop_param: str | None = None  # set when its body holds a records loop
    in_handler: bool = False  # the `try` sits in an `except` body (a fallback's own guard)


@dataclass
class _Function:
    name: str
    whole_body_try: int = 0  # id() of a `try` that is all the function does
    records_names: set[str] = field(default_factory=set)
    loops: list[str | None] = field(default_factory=list)  # per open `for`: its records param
    tries: list[_Try] = field(default_factory=list)
    pending: list[tuple[int, int]] = field(default_factory=list)  # (handler position, end order)
    raises: list[int] = field(default_factory=list)  # orders of raises outside broad handlers
    params: set[str] = field(default_factory=set)
    direct_records: set[str] = field(default_factory=set)  # names bound to `<param>["Records"]`
    record_items: set[str] = field(default_factory=set)  # targets of loops over a param's records
    notification: bool = False  # reads an S3/SNS/SES record: invoked asynchronously, no batch
    except_depth: int = 0  # open `except` bodies of this function


class BatchErrorsVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = BatchErrors()
        core.facts.structure[NAME] = self.facts
        self.except_index = -1
        self.order = 0  # a running counter that orders raises and handlers in the source
        self.functions: list[_Function] = [_Function("")]
        self.handler_depth = 0

    @property
    def current(self) -> _Function:
        return self.functions[-1]

    # -- functions ------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = _Function(self.core.current_function())
        function.whole_body_try = self._whole_body_try(node.body)
        parameters = node.params
        function.params = {
            param.name.value
            for param in (
                *parameters.posonly_params,
                *parameters.params,
                *parameters.kwonly_params,
            )
        }
        self.functions.append(function)

    def _whole_body_try(self, body: cst.BaseSuite) -> int:
        """A `try` that wraps everything the function does (besides a docstring, logging and
        returns): a per-record helper's broad `except` then covers the record's whole work,
        not some best-effort step of it."""
        statements = body.body if isinstance(body, cst.IndentedBlock) else ()
        tries = [statement for statement in statements if isinstance(statement, cst.Try)]
        if len(tries) != 1:
            return 0
        for statement in statements:
            if statement is tries[0]:
                continue
            if not isinstance(statement, cst.SimpleStatementLine):
                return 0
            if not all(self._incidental(small) for small in statement.body):
                return 0
        return id(tries[0])

    def _incidental(self, small: cst.BaseSmallStatement) -> bool:
        if isinstance(small, (cst.Return, cst.Pass, cst.Global, cst.Nonlocal)):
            return True
        if isinstance(small, cst.Expr):
            value = small.value
            if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
                return True
            if isinstance(value, cst.Call):
                callee = self.core.resolve(dotted_name(value.func) or "")
                method = value.func.attr.value if isinstance(value.func, cst.Attribute) else ""
                return _is_logging(callee, method)
        return False

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        function = self.functions.pop()
        for position, end in function.pending:
            handler = self.facts.handlers[position]
            if any(order > end for order in function.raises):
                handler = replace(handler, raise_after=True)
            if function.notification:
                handler = replace(handler, notification=True)
            self.facts.handlers[position] = handler

    # -- records ---------------------------------------------------------------------------

    def is_records(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            return node.value in self.current.records_names
        if isinstance(node, cst.BooleanOperation):  # `event.get("Records") or []`
            return self.is_records(node.left)
        if isinstance(node, cst.Subscript):
            key = node.slice[0].slice if len(node.slice) == 1 else None
            return (
                isinstance(key, cst.Index)
                and _string(key.value) == "Records"
                and self._per_request(node.value)
            )
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "get" and node.args:
                return _string(node.args[0].value) == "Records" and self._per_request(func.value)
            callee = dotted_name(func) or ""
            if callee in ITERATION_WRAPPERS and node.args:
                return self.is_records(node.args[0].value)
        return False

    def _per_request(self, node: cst.BaseExpression) -> bool:
        return self.core.evaluate(node).kind in (EVENT, PARAM)

    def loop_source(self, node: cst.BaseExpression) -> str | None:
        """ "" for the event's records, a parameter's name for a loop over a parameter, else
        None."""
        if self.is_records(node):
            return ""
        if isinstance(node, cst.Call) and dotted_name(node.func) in ITERATION_WRAPPERS:
            node = node.args[0].value if node.args else node
        if isinstance(node, cst.Name) and self.current.name:
            value = self.core.lookup(node.value)
            if value is not None and value.kind == PARAM and value.name:
                return value.name
        return None

    def _direct_records(self, node: cst.BaseExpression) -> bool:
        """`<param>["Records"]` itself (or a name bound to it): the invocation's own records,
        not records found inside one of them (an S3 event in an SQS message body)."""
        if isinstance(node, cst.Call) and dotted_name(node.func) in ITERATION_WRAPPERS:
            node = node.args[0].value if node.args else node
        if isinstance(node, cst.BooleanOperation):
            node = node.left
        if isinstance(node, cst.Name):
            return node.value in self.current.direct_records
        if isinstance(node, cst.Subscript):
            base = node.value
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            base = node.func.value
        else:
            return False
        return isinstance(base, cst.Name) and base.value in self.current.params

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.is_records(node.value):
            direct = self._direct_records(node.value)
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.current.records_names.add(target.target.value)
                    if direct:
                        self.current.direct_records.add(target.target.value)

    def visit_For(self, node: cst.For) -> None:
        source = self.loop_source(node.iter)
        self.current.loops.append(source)
        if source is not None:
            if isinstance(node.target, cst.Name) and self._direct_records(node.iter):
                self.current.record_items.add(node.target.value)
            for frame in self.current.tries:
                if frame.in_body and frame.loop_param is None:
                    frame.loop_param = source

    def leave_For(self, original_node: cst.For) -> None:
        self.current.loops.pop()

    def _notification_read(self, value: cst.BaseExpression, key: cst.BaseExpression) -> None:
        """`record["s3"]` / `record.get("Sns")` on a records item or a parameter: the records
        are notifications delivered one asynchronous invocation at a time, not a batch."""
        if not isinstance(value, cst.Name) or not self.current.name:
            return
        if not isinstance(key, cst.SimpleString) or key.value[1:-1] not in NOTIFICATION_KEYS:
            return
        if value.value in self.current.record_items or value.value in self.current.params:
            self.current.notification = True

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            self._notification_read(node.value, node.slice[0].slice.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "get" and node.args:
            self._notification_read(func.value, node.args[0].value)
        callee = self.core.resolve(dotted_name(node.func) or "")
        if callee.startswith(POWERTOOLS_BATCH):
            self.facts.powertools_batch = True
        if not self.current.name:
            return
        if "" in self.current.loops:
            self.facts.per_record_calls.add(self.core.call_index)
        carried = []
        for position, arg in enumerate(node.args):
            if arg.star:
                continue
            if self.is_records(arg.value):
                carried.append(arg.keyword.value if arg.keyword else str(position))
        if carried:
            self.facts.record_args[self.core.call_index] = tuple(carried)

    # -- try / except ---------------------------------------------------------------------

    def visit_Try(self, node: cst.Try) -> None:
        self.current.tries.append(_Try(id(node), in_handler=self.current.except_depth > 0))

    def visit_Try_body(self, node: cst.Try) -> None:
        self.current.tries[-1].in_body = True

    def leave_Try_body(self, node: cst.Try) -> None:
        self.current.tries[-1].in_body = False

    def leave_Try(self, original_node: cst.Try) -> None:
        self.current.tries.pop()

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self.except_index += 1
        self.handler_depth += 1
        function = self.current
        function.except_depth += 1
        catches = self.broad(node.type)
        if catches is None or not function.name or not function.tries:
            return
        if function.tries[-1].in_handler:
            return  # guards the recovery of an outer `except`, which is judged on its own
        open_loops = [source for source in function.loops if source is not None]
        if open_loops:
            placement, loop_param = "inside", open_loops[-1]
        elif function.tries[-1].loop_param is not None:
            placement, loop_param = "around", function.tries[-1].loop_param
        elif function.tries[-1].node_id == function.whole_body_try:
            placement, loop_param = "helper", ""  # matters only if a records loop calls it
        else:
            return
        body = _BodyScan(self.core)
        node.body.visit(body)
        self.order += 1
        function.pending.append((len(self.facts.handlers), self.order))
        self.facts.handlers.append(
            BroadExcept(
                index=self.except_index,
                func=function.name,
                catches=catches,
                placement=placement,
                loop_param=loop_param,
                reraises=body.reraises,
                reports=body.reports,
                records=body.records,
                forwards=body.forwards,
                raise_after=False,
            )
        )

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler) -> None:
        self.handler_depth -= 1
        self.current.except_depth -= 1

    def visit_Raise(self, node: cst.Raise) -> None:
        if self.handler_depth == 0:
            self.order += 1
            self.current.raises.append(self.order)

    def broad(self, node: cst.BaseExpression | None) -> str | None:
        if node is None:
            return "bare except"
        if isinstance(node, cst.Tuple):
            for element in node.elements:
                found = self.broad(element.value)
                if found is not None:
                    return found
            return None
        dotted = self.core.resolve(dotted_name(node) or "")
        return dotted.rpartition(".")[2] if dotted in BROAD else None

    # -- the module -----------------------------------------------------------------------

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if FAILURES_KEY in node.value:
            self.facts.mentions_failures = True

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module is not None else ""
        if module and module.startswith(POWERTOOLS_BATCH):
            self.facts.powertools_batch = True


class _BodyScan(cst.CSTVisitor):
    """What an except body does (a small subtree: walking it again is cheap)."""

    def __init__(self, core: FactExtractor):
        self.core = core
        self.reraises = False
        self.reports = False
        self.records = False
        self.forwards = False

    def visit_Raise(self, node: cst.Raise) -> None:
        self.reraises = True

    def visit_Assign(self, node: cst.Assign) -> None:
        self.records = True

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.records = True  # the caller learns about the failure

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if FAILURES_KEY in node.value:
            self.reports = True  # e.g. `return {"batchItemFailures": [...]}` for streams

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.records = True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.records = True

    def visit_Call(self, node: cst.Call) -> None:
        callee = self.core.resolve(dotted_name(node.func) or "")
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else ""
        if callee in EXITS:
            self.reraises = True
        elif method in FORWARDING_METHODS:
            self.forwards = True
        elif not _is_logging(callee, method):
            self.records = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a function defined here does not run here

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _is_logging(callee: str, method: str) -> bool:
    head = callee.split(".")[0]
    return (
        callee in ("print", "repr", "str", "format", "type", "len")
        or method in LOG_METHODS
        or method == "format"
        or head in ("logging", "traceback")
    )


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        if "Records" not in node.value:
            return None  # most keys: no need to evaluate the literal
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - malformed escapes have no value
            return None
        return value if isinstance(value, str) else None
    return None


VISITORS = [BatchErrorsVisitor]
