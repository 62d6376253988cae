"""The one libcst pass that turns a module into facts.

It keeps its own bookkeeping (an import alias table and a stack of scopes holding simple
assignments) instead of libcst's scope and qualified-name providers, which cost several times the
parse itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst

from lambdalint.frontends.python.facts import (
    CREDENTIALS,
    ENV,
    EVENT,
    FUNCTION,
    LITERAL,
    MODULE,
    OBJECT,
    PARAM,
    STATIC,
    UNKNOWN,
    UNKNOWN_VALUE,
    CallEdge,
    CallFact,
    FunctionFact,
    ModuleFacts,
    Value,
)

EVENT_NAMES = frozenset({"event", "_event", "evt", "_evt", "_", "__"})
CONTEXT_NAMES = frozenset({"context", "_context", "ctx", "_ctx", "_", "__", "lambda_context"})
CACHE_DECORATORS = frozenset(
    {"functools.cache", "functools.lru_cache", "functools.cached_property"}
)

# Calls whose results are credentials minted for this request: clients built from them must be
# created per request, so they never count as reusable.
CREDENTIAL_METHODS = frozenset(
    {
        "assume_role",
        "assume_role_with_web_identity",
        "assume_role_with_saml",
        "get_session_token",
        "get_federation_token",
        "get_credentials_for_identity",
        "get_role_credentials",
        "generate_db_auth_token",
    }
)
ENV_READERS = frozenset({"os.getenv", "os.environ.get", "os.environ.__getitem__"})


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a chain of names, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def combine(values: list[Value]) -> Value:
    """The provenance of an expression built from several parts."""
    kinds = {value.kind for value in values}
    for kind in (EVENT, CREDENTIALS, PARAM, UNKNOWN, OBJECT, FUNCTION):
        if kind in kinds:
            return Value(UNKNOWN if kind in (OBJECT, FUNCTION) else kind)
    return Value(STATIC)


@dataclass
class Scope:
    kind: str  # "module", "class", "function"
    name: str  # qualified name ("" for the module)
    names: dict[str, Value] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    event_param: str = ""
    loop_depth: int = 0
    guard_depth: int = 0


class FactExtractor(cst.CSTVisitor):
    def __init__(self, facts: ModuleFacts, package: str):
        self.facts = facts
        self.package = package  # dotted package of this module, for relative imports
        self.scopes: list[Scope] = [Scope("module", "")]
        self.call_index = -1
        self.def_index = -1
        self.if_guards: list[bool] = []
        self.call_ids: dict[int, int] = {}

    # -- scopes ---------------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    @property
    def module_scope(self) -> Scope:
        return self.scopes[0]

    def function_scope(self) -> Scope | None:
        for scope in reversed(self.scopes):
            if scope.kind == "function":
                return scope
        return None

    def current_function(self) -> str:
        scope = self.function_scope()
        return scope.name if scope else ""

    def lookup(self, name: str) -> Value | None:
        # Class bodies do not enclose their methods (Python's own rule).
        for scope in reversed(self.scopes):
            if scope.kind == "class" and scope is not self.scope:
                continue
            if name in scope.globals:
                return self.module_scope.names.get(name)
            if name in scope.names:
                return scope.names[name]
        return None

    def resolve(self, dotted: str) -> str:
        """Replace the head of a dotted name by what it was imported as."""
        head, _, rest = dotted.partition(".")
        value = self.lookup(head)
        if value is not None and value.kind == FUNCTION:
            return value.name + ("." + rest if rest else "")
        target = self.facts.imports.get(head)
        if target is not None and (value is None or value.kind == MODULE and value.name == target):
            return target + ("." + rest if rest else "")
        return dotted

    # -- imports --------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.bind_import(alias.asname.name.value, full)
            else:
                head = full.split(".")[0]
                self.bind_import(head, head)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        base = dotted_name(node.module) if node.module is not None else ""
        dots = "." * len(node.relative)
        prefix = dots + (base or "")
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            joiner = "" if prefix.endswith(".") or not prefix else "."
            self.bind_import(local, prefix + joiner + name)

    def bind_import(self, local: str, target: str) -> None:
        if self.scope.kind == "module":
            self.facts.imports[local] = target
            self.scope.names[local] = Value(MODULE, name=target)
        else:
            self.scope.names[local] = Value(FUNCTION, name=target)

    # -- definitions ----------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        qualname = self.qualify(node.name.value)
        if self.scope.kind == "module":
            self.facts.classes.add(qualname)
            self.scope.names[node.name.value] = Value(FUNCTION, name="@" + qualname)
        self.scopes.append(Scope("class", qualname))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.def_index += 1
        name = node.name.value
        qualname = self.qualify(name)
        enclosing = self.scope
        in_class = enclosing.name if enclosing.kind == "class" else ""
        nested = self.function_scope() is not None
        if enclosing.kind in ("module", "function"):
            enclosing.names[name] = Value(FUNCTION, name="@" + qualname)

        decorators = tuple(self.decorator_name(d.decorator) for d in node.decorators)
        params = node.params
        positional = [*params.posonly_params, *params.params]
        names = tuple(p.name.value for p in [*positional, *params.kwonly_params])
        required = sum(1 for p in positional if p.default is None)
        has_varargs = isinstance(params.star_arg, cst.Param)
        looks_like_handler = (
            not in_class
            and not nested
            and len(positional) >= 2
            and positional[0].name.value in EVENT_NAMES
            and positional[1].name.value in CONTEXT_NAMES
            and required <= 2
            and not any(p.default is None for p in params.kwonly_params)
        )
        self.facts.functions[qualname] = FunctionFact(
            qualname=qualname,
            index=self.def_index,
            params=names,
            required_positional=required,
            positional=len(positional),
            has_varargs=has_varargs,
            is_async=node.asynchronous is not None,
            decorators=decorators,
            cached=any(d in CACHE_DECORATORS for d in decorators),
            in_class=in_class,
            nested=nested,
            looks_like_handler=looks_like_handler,
        )

        scope = Scope("function", qualname)
        for index, param in enumerate([*positional, *params.kwonly_params]):
            kind = EVENT if (looks_like_handler and index == 0) else PARAM
            scope.names[param.name.value] = Value(kind, name=param.name.value)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.names[star.name.value] = Value(PARAM, name=star.name.value)
        if looks_like_handler:
            scope.event_param = positional[0].name.value
        if isinstance(node.body, cst.IndentedBlock):
            self.declare(node.body.body, scope)
        self.scopes.append(scope)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def qualify(self, name: str) -> str:
        outer = self.scope.name
        return f"{outer}.{name}" if outer else name

    def decorator_name(self, node: cst.BaseExpression) -> str:
        if isinstance(node, cst.Call):
            node = node.func
        dotted = dotted_name(node)
        return self.resolve(dotted) if dotted else ""

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self.scope.globals.add(item.name.value)

    # -- control flow that changes how often code runs ------------------------------------

    def visit_For(self, node: cst.For) -> None:
        self.scope.loop_depth += 1

    def leave_For(self, original_node: cst.For) -> None:
        self.scope.loop_depth -= 1

    def visit_While(self, node: cst.While) -> None:
        self.scope.loop_depth += 1

    def leave_While(self, original_node: cst.While) -> None:
        self.scope.loop_depth -= 1

    def visit_If_body(self, node: cst.If) -> None:
        guard = self.scope.kind == "function" and self.is_lazy_init_guard(node)
        self.if_guards.append(guard)
        if guard:
            self.scope.guard_depth += 1

    def leave_If_body(self, node: cst.If) -> None:
        if self.if_guards.pop():
            self.scope.guard_depth -= 1

    def is_lazy_init_guard(self, node: cst.If) -> bool:
        """`if X is None: X = ...` on a global, a module-level cache or a class attribute:
        the body runs once per execution environment, not once per invocation."""
        tested = {n.value for n in _names_in(node.test)}
        for target in _assigned_targets(node.body):
            if isinstance(target, cst.Name):
                name = target.value
                if name in self.scope.globals and name in tested:
                    return True
            elif isinstance(target, cst.Subscript):
                base = dotted_name(target.value)
                if base and "." not in base and base in tested and self.is_module_level(base):
                    return True
            elif isinstance(target, cst.Attribute):
                base = dotted_name(target)
                if base and base in _dotted_in(node.test):
                    return True
        return False

    def is_module_level(self, name: str) -> bool:
        for scope in reversed(self.scopes[1:]):
            if scope.kind == "function" and name in scope.names and name not in scope.globals:
                return False
        return name in self.module_scope.names

    # -- assignments ----------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        value = self.evaluate(node.value)
        for target in node.targets:
            self.bind_target(target.target, value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.bind_target(node.target, self.evaluate(node.value))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            old = self.lookup(node.target.value) or UNKNOWN_VALUE
            self.bind_target(node.target, combine([old, self.evaluate(node.value)]))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bind_target(node.target, self.evaluate(node.value))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.bind_target(node.asname.name, self.evaluate(node.item))

    def visit_For_target(self, node: cst.For) -> None:
        source = self.evaluate(node.iter)
        kind = source.kind if source.is_per_request else UNKNOWN
        self.bind_target(node.target, Value(kind))

    def bind_target(self, target: cst.BaseExpression, value: Value) -> None:
        if isinstance(target, cst.Name):
            scope = self.scope
            if target.value in scope.globals:
                scope = self.module_scope
            if scope.kind == "module" and value.kind in (LITERAL, ENV, STATIC, UNKNOWN):
                # A module constant is fixed for the life of the environment.
                value = value if value.kind != UNKNOWN else Value(MODULE, name=target.value)
            scope.names[target.value] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                inner = element.value
                if isinstance(inner, cst.StarredElement):
                    inner = inner.value
                self.bind_target(
                    inner, Value(value.kind) if value.is_per_request else UNKNOWN_VALUE
                )

    # -- expressions ----------------------------------------------------------------------

    def evaluate(self, node: cst.BaseExpression) -> Value:
        """What is known about an expression's value, without running anything."""
        if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString)):
            literal = _literal(node)
            return Value(LITERAL, literal=literal) if literal is not None else Value(STATIC)
        if isinstance(node, cst.Name):
            if node.value in ("None", "True", "False"):
                return Value(
                    LITERAL, literal={"None": None, "True": True, "False": False}[node.value]
                )
            found = self.lookup(node.value)
            if found is None:
                return UNKNOWN_VALUE
            if (
                found.kind == MODULE
                and found.name
                and found.name == self.facts.imports.get(node.value)
            ):
                return Value(UNKNOWN, name=found.name)  # a module object, not a constant
            return found
        if isinstance(node, cst.FormattedString):
            parts = [
                self.evaluate(p.expression)
                for p in node.parts
                if isinstance(p, cst.FormattedStringExpression)
            ]
            return combine(parts) if parts else Value(STATIC)
        if isinstance(node, cst.BinaryOperation):
            return combine([self.evaluate(node.left), self.evaluate(node.right)])
        if isinstance(node, cst.Subscript):
            env = self.env_read(node)
            if env is not None:
                return env
            base = self.evaluate(node.value)
            return Value(base.kind) if base.is_per_request else UNKNOWN_VALUE
        if isinstance(node, cst.Attribute):
            dotted = dotted_name(node)
            if dotted is not None:
                head = self.lookup(dotted.split(".")[0])
                if head is not None and head.is_per_request:
                    return Value(head.kind)
                if head is not None and head.kind == OBJECT:
                    return UNKNOWN_VALUE
                return Value(UNKNOWN, name=self.resolve(dotted))
            base = self.evaluate(node.value)
            return Value(base.kind) if base.is_per_request else UNKNOWN_VALUE
        if isinstance(node, cst.Call):
            return self.evaluate_call(node)
        if isinstance(node, (cst.Dict, cst.List, cst.Tuple, cst.Set)):
            return UNKNOWN_VALUE
        if isinstance(node, cst.BooleanOperation):
            return combine([self.evaluate(node.left), self.evaluate(node.right)])
        return UNKNOWN_VALUE

    def env_read(self, node: cst.BaseExpression) -> Value | None:
        """`os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")` as an ENV value."""
        if isinstance(node, cst.Subscript):
            if self.resolve(dotted_name(node.value) or "") != "os.environ":
                return None
            key = node.slice[0].slice if len(node.slice) == 1 else None
            literal = _literal(key.value) if isinstance(key, cst.Index) else None
            return Value(ENV, name=literal if isinstance(literal, str) else "")
        if isinstance(node, cst.Call):
            callee = self.resolve(dotted_name(node.func) or "")
            if callee in ("os.getenv", "os.environ.get") and node.args:
                literal = _literal(node.args[0].value)
                return Value(ENV, name=literal if isinstance(literal, str) else "")
        return None

    def evaluate_call(self, node: cst.Call) -> Value:
        env = self.env_read(node)
        if env is not None:
            return env
        callee = dotted_name(node.func)
        if isinstance(node.func, cst.Attribute):
            if node.func.attr.value in CREDENTIAL_METHODS:
                return Value(CREDENTIALS)
            receiver = self.evaluate(node.func.value)
            if receiver.is_per_request and node.func.attr.value in ("get", "copy"):
                return Value(receiver.kind)
            if receiver.kind == OBJECT and receiver.name:
                return Value(
                    OBJECT,
                    name=f"{receiver.name}.{node.func.attr.value}",
                    service=receiver.service,
                    origin=self.index_of(node),
                )
        if callee is None:
            return UNKNOWN_VALUE
        resolved = self.resolve(callee)
        service = ""
        if node.args:
            first = _literal(node.args[0].value)
            service = first if isinstance(first, str) else ""
        return Value(OBJECT, name=resolved, service=service, origin=self.index_of(node))

    def index_of(self, node: cst.Call) -> int:
        # The call may not be visited yet (an assignment is seen before its value's calls):
        # remember the node's identity and turn it into the pre-order index when leaving.
        return id(node)

    # -- calls ----------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        self.declare(node.body, self.module_scope)

    def declare(self, body, scope: Scope) -> None:
        """Functions and classes are callable before their `def` is reached in the file."""
        for statement in body:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                name = statement.name.value
                qualified = f"{scope.name}.{name}" if scope.name else name
                scope.names[name] = Value(FUNCTION, name="@" + qualified)

    def leave_Module(self, original_node: cst.Module) -> None:
        for position, call in enumerate(self.facts.calls):
            receiver = call.receiver
            if receiver is not None and receiver.kind == OBJECT:
                origin = self.call_ids.get(receiver.origin, -1)
                self.facts.calls[position] = replace(
                    call, receiver=replace(receiver, origin=origin)
                )

    def visit_Call(self, node: cst.Call) -> None:
        self.call_index += 1
        self.call_ids[id(node)] = self.call_index
        scope = self.scope
        func_scope = self.function_scope()
        func = func_scope.name if func_scope and scope.kind != "class" else ""
        if scope.kind == "class":
            func = ""
        args: list[Value] = []
        kwargs: list[tuple[str, Value]] = []
        star_args = star_kwargs = False
        for arg in node.args:
            if arg.star == "*":
                star_args = True
            elif arg.star == "**":
                star_kwargs = True
            elif arg.keyword is not None:
                kwargs.append((arg.keyword.value, self.evaluate(arg.value)))
            else:
                args.append(self.evaluate(arg.value))

        receiver = None
        method = ""
        dotted = dotted_name(node.func)
        callee = self.resolve(dotted) if dotted else ""
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            receiver = self.evaluate(node.func.value)
            if receiver.kind in (OBJECT, UNKNOWN) and receiver.name:
                callee = f"{receiver.name}.{method}"
        text = (dotted or (method and f"….{method}") or "…") + "()"
        in_function = bool(func)
        self.facts.calls.append(
            CallFact(
                func=func,
                callee=callee,
                index=self.call_index,
                args=tuple(args),
                kwargs=tuple(kwargs),
                star_args=star_args,
                star_kwargs=star_kwargs,
                guarded=in_function
                and any(s.guard_depth for s in self.scopes if s.kind == "function"),
                in_loop=in_function and scope.loop_depth > 0,
                receiver=receiver,
                method=method,
                text=text,
            )
        )
        if in_function:
            self.record_edges(node, func, callee, text)

    def record_edges(self, node: cst.Call, func: str, callee: str, text: str) -> None:
        guarded = any(s.guard_depth for s in self.scopes if s.kind == "function")
        target = self.edge_target(node.func, callee)
        if target:
            self.facts.edges.append(CallEdge(func, target, self.call_index, text, guarded))
        # Functions handed to a call (callbacks, thread targets, record handlers) run too.
        for arg in node.args:
            if isinstance(arg.value, (cst.Name, cst.Attribute)):
                value = self.evaluate(arg.value)
                if value.kind == FUNCTION and value.name:
                    name = dotted_name(arg.value) or ""
                    self.facts.edges.append(
                        CallEdge(
                            func, value.name, self.call_index, f"{name} (passed to {text})", guarded
                        )
                    )

    def edge_target(self, func_node: cst.BaseExpression, callee: str) -> str:
        if isinstance(func_node, cst.Attribute) and isinstance(func_node.value, cst.Name):
            owner = func_node.value.value
            method = func_node.attr.value
            cls = self.enclosing_class()
            if owner in ("self", "cls") and cls:
                return f"@{cls}.{method}"
            value = self.lookup(owner)
            if value is not None and value.kind == OBJECT and value.name.startswith("@"):
                return f"{value.name}.{method}"
        if not callee:
            return ""
        head = callee.split(".")[0]
        if callee.startswith("@") or callee.startswith("."):
            return callee
        if head in self.facts.imports or (self.lookup(head) or UNKNOWN_VALUE).kind == FUNCTION:
            return callee
        return callee if "." in callee else ""

    def enclosing_class(self) -> str:
        for scope in reversed(self.scopes):
            if scope.kind == "class":
                return scope.name
        return ""


def _literal(node: cst.BaseExpression | None) -> object:
    if isinstance(node, (cst.Integer, cst.Float)):
        return node.evaluated_value
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - f-strings inside concatenations have no value
            return None
        return value if isinstance(value, str) else None
    if isinstance(node, cst.Name) and node.value in ("None", "True", "False"):
        return {"None": None, "True": True, "False": False}[node.value]
    return None


def _names_in(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []

    class Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name)

    node.visit(Collect())
    return found


def _dotted_in(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            dotted = dotted_name(attribute)
            if dotted:
                found.add(dotted)

    node.visit(Collect())
    return found


def _assigned_targets(body: cst.BaseSuite) -> list[cst.BaseExpression]:
    targets: list[cst.BaseExpression] = []
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    for statement in statements:
        if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    targets.extend(t.target for t in small.targets)
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    targets.append(small.target)
        elif isinstance(statement, (cst.If, cst.Try, cst.With)):
            targets.extend(_assigned_targets(statement.body))
    return targets
