"""The one libcst pass that turns a module into facts.

It keeps its own bookkeeping (an import alias table and a stack of scopes holding simple
assignments) instead of libcst's scope and qualified-name providers, which cost several times the
parse itself.
"""

from __future__ import annotations

import math
import posixpath
from dataclasses import dataclass, field, replace

import libcst as cst

from lambdalint.core.placeholders import is_placeholder
from lambdalint.frontends.python.facts import (
    ACCESS_KEY,
    CLIENT_FACTORIES,
    CONTEXT_NAMES,
    CREDENTIALS,
    ENV,
    EVENT,
    EVENT_NAMES,
    FUNCTION,
    LITERAL,
    LOCAL_HOSTS,
    MODULE,
    OBJECT,
    PARAM,
    SESSION_FACTORIES,
    STATIC,
    UNKNOWN,
    UNKNOWN_VALUE,
    URL_PASSWORD,
    CallEdge,
    CallFact,
    FunctionFact,
    ModuleFacts,
    Value,
    classify_sdk,
    complete_call,
    sdk_identifier,
)

NOT_SDK = ("", "", "", "")
TASK_ROOT = Value(ENV, name="LAMBDA_TASK_ROOT")
SDK_OBJECTS = frozenset({"session", "client", "resource", "subresource", "paginator", "waiter"})

# Decorators that call the handler with parameters of their own after (event, context):
# `@metric_scope def handler(event, context, metrics)`.
INJECTING_DECORATORS = frozenset({"aws_embedded_metrics.metric_scope"})
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

# Path builders whose result is known when their parts are: `os.path.join(HERE, "model.pkl")`.
PATH_BUILDERS = frozenset(
    {
        "os.path.join",
        "os.path.dirname",
        "os.path.abspath",
        "os.path.realpath",
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
    }
)
# The marker name of a static path under the deployment package (derived from `__file__` or
# LAMBDA_TASK_ROOT), whose exact text is not known.
PACKAGE_PATH = "__file__"
# The name of a container literal's value when it holds this request's data (then its kind).
CONTAINER = "<container>"
# Decorator methods of Powertools' event-handler resolvers and routers that register a function.
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "delete", "patch", "head", "options", "route", "resolver"}
)


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
    while_true_depth: int = 0
    attributes: dict[str, Value] = field(default_factory=dict)  # classes: `self.x = ...`
    # Names bound to an instance of a class named by its constructor call (`x = Impl(event)`),
    # as an edge target ("@Impl", "impl.Impl"): the class is known whatever the arguments are.
    instances: dict[str, str] = field(default_factory=dict)
    # Names a `for` binds to each class of a literal tuple or list in turn (`for cls in (A, B)`),
    # as edge targets: a call through the name may reach any of them, and only them.
    class_choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


class FactExtractor(cst.CSTVisitor):
    def __init__(self, facts: ModuleFacts, package: str):
        self.facts = facts
        self.package = package  # dotted package of this module, for relative imports
        self.scopes: list[Scope] = [Scope("module", "")]
        self.call_index = -1
        self.def_index = -1
        self.if_guards: list[bool] = []
        self.while_guards: list[bool] = []
        self.call_ids: dict[int, int] = {}
        self.string_index = -1
        self.bare_strings: set[int] = set()
        # Functions of this module that return per-request credentials (a helper wrapping
        # `rds.generate_db_auth_token`): calling them, later in the file, mints credentials too.
        self.credential_functions: set[str] = set()
        # Module globals bound anywhere in the module (at module scope, or by a function that
        # declares them `global`): module scope is complete before any invocation, so function
        # bodies see them whatever the order in the file. Evaluated on first use.
        self.module_bindings: dict[str, list[cst.BaseExpression]] = {}
        # Module globals bound once, at module scope, to a tuple or list literal.
        self.module_class_lists: dict[str, cst.Tuple | cst.List] = {}
        self.module_classes: set[str] = set()  # declared before their `class` is reached
        self.resolving: set[str] = set()

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
                return self.module_global(name)
            if name in scope.names:
                if scope.kind == "module":
                    return self.module_global(name)
                return scope.names[name]
        return self.module_global(name)

    def module_global(self, name: str) -> Value | None:
        """A module-level name as a function body sees it: bound by then, or bound later in
        the file (`stats = Stats()` below the handler, a lazy initialiser's `global` assignment
        replacing `x = None`). At module scope only what is bound so far counts."""
        bound = self.module_scope.names.get(name)
        unset = bound is None or (bound.kind == LITERAL and bound.literal is None)
        if not unset or self.function_scope() is None or name in self.resolving:
            return bound
        later = self.module_bindings.get(name)
        if not later:
            return bound
        self.resolving.add(name)
        try:
            values = [self.evaluate(node) for node in later]
        finally:
            self.resolving.discard(name)
        value = values[0]
        for other in values[1:]:
            value = _rebound(value, other)
        return value if value.kind == OBJECT else bound

    def named_callee(self, call: cst.Call) -> str:
        """What a call names, alias-resolved (`open`, `os.path.join`); "" when it is not a dotted
        name or a module-level name shadows a builtin of the same name."""
        dotted = dotted_name(call.func)
        if dotted is None:
            return ""
        resolved = self.resolve(dotted)
        if resolved == dotted and "." not in dotted and self.lookup(dotted) is not None:
            return ""
        return resolved

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
            bases = tuple(filter(None, (self.base_target(arg) for arg in node.bases)))
            if bases:
                self.facts.class_bases[qualname] = bases
        self.scopes.append(Scope("class", qualname))

    def base_target(self, arg: cst.Arg) -> str:
        base = arg.value
        if isinstance(base, cst.Subscript):
            base = base.value  # a generic base: `CustomResource[Properties]`
        dotted = dotted_name(base) if arg.keyword is None else None
        if not dotted:
            return ""
        local = self.lookup(dotted) if "." not in dotted else None
        if local is not None and local.kind == FUNCTION:
            return local.name
        return self.resolve(dotted)

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
        self.record_routes(node, qualname)
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
            and (
                (required <= 2 and not any(p.default is None for p in params.kwonly_params))
                or any(d in INJECTING_DECORATORS for d in decorators)
            )
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
        """The decorator's dotted name; a method of a module-level object is named after what
        created the object (`logger.inject_lambda_context` -> `aws_lambda_powertools.Logger.
        inject_lambda_context`)."""
        if isinstance(node, cst.Call):
            node = node.func
        dotted = dotted_name(node)
        if not dotted:
            return ""
        head, _, rest = dotted.partition(".")
        value = self.lookup(head)
        if rest and value is not None and value.kind == OBJECT and value.name:
            return f"{value.name}.{rest}"
        return self.resolve(dotted)

    def record_routes(self, node: cst.FunctionDef, qualname: str) -> None:
        """`@app.get("/orders")`: the function runs when the resolver `app` resolves an event."""
        for decorator in node.decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
                continue
            if call.func.attr.value not in ROUTE_METHODS:
                continue
            owner = dotted_name(call.func.value)
            resolver = self.object_target(owner) if owner else ""
            if resolver:
                display = f"route {owner}.{call.func.attr.value}"
                self.facts.routes.append((resolver, qualname, display))

    def object_target(self, dotted: str) -> str:
        """A module-level object as a target the project can find: "@app" for one defined in
        this module, the import path ("api.app", ".api.app") for one imported."""
        head = dotted.partition(".")[0]
        if head in self.facts.imports:
            return self.resolve(dotted)
        if "." not in dotted and self.is_module_level(head):
            return "@" + dotted
        return ""

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
        forever = _literal(node.test) in (True, 1)
        self.while_guards.append(forever)
        if forever:
            self.scope.while_true_depth += 1

    def leave_While(self, original_node: cst.While) -> None:
        self.scope.loop_depth -= 1
        if self.while_guards.pop():
            self.scope.while_true_depth -= 1

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
        cls = self.constructed_class(node.value)
        chosen = self.chosen_targets(node.value.func) if isinstance(node.value, cst.Call) else ()
        for target in node.targets:
            self.bind_target(target.target, value)
            if chosen and isinstance(target.target, cst.Name):
                # `handler = cls(event)` in `for cls in (A, B)`: an instance of one of them.
                self.scope.class_choices[target.target.value] = chosen
            if isinstance(target.target, cst.Name):
                if cls:
                    self.scope.instances[target.target.value] = cls
                else:
                    self.scope.instances.pop(target.target.value, None)

    def constructed_class(self, node: cst.BaseExpression) -> str:
        """The class a call constructs, as an edge target, when its callee names a class: one
        of this module, or an imported CamelCase name (the project phase keeps it only if it
        is the project's). "" otherwise."""
        if not isinstance(node, cst.Call):
            return ""
        callee = self.named_callee(node)
        last = callee.rpartition(".")[2].lstrip("@")
        if callee.startswith("@"):
            return callee if callee[1:] in self.module_classes else ""
        head = callee.lstrip(".").partition(".")[0]
        imported = callee.startswith(".") or any(
            target == head or target.startswith(head + ".")
            for target in self.facts.imports.values()
        )
        return callee if imported and last[:1].isupper() and not last.isupper() else ""

    def instance_class(self, name: str) -> str:
        for scope in reversed(self.scopes):
            if scope.kind == "class" and scope is not self.scope:
                continue
            if name in scope.instances:
                return scope.instances[name]
            if name in scope.names:
                return ""
        return ""

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
        choices = self.class_literals(node.iter)
        if choices and isinstance(node.target, cst.Name):
            self.scope.class_choices[node.target.value] = choices

    def class_literals(self, node: cst.BaseExpression) -> tuple[str, ...]:
        """The classes a tuple or list literal names, as edge targets, when it names only
        classes (of this module, or imported CamelCase names); () otherwise. A module global
        bound once, to such a literal (`handlers = (A, B)`), is that literal."""
        if isinstance(node, cst.Name):
            local = node.value in self.scope.names and self.scope.kind != "module"
            bound = self.module_class_lists.get(node.value)
            if bound is not None and not local:
                node = bound
        if not isinstance(node, (cst.Tuple, cst.List)) or not node.elements:
            return ()
        targets = []
        for element in node.elements:
            target = self.function_target(element.value)
            last = target.rpartition(".")[2]
            local = target.startswith("@") and (
                target[1:] in self.facts.classes or target[1:] in self.module_classes
            )
            imported = not target.startswith("@") and last[:1].isupper() and not last.isupper()
            if not target or not (local or imported):
                return ()
            targets.append(target)
        return tuple(targets)

    def chosen_targets(self, func_node: cst.BaseExpression) -> tuple[str, ...]:
        """Edge targets of a call through a name bound by `for cls in (A, B)`: `cls(...)`,
        `cls.method()` and `cls(...).method()` reach that constructor or method of each."""
        method = ""
        if isinstance(func_node, cst.Attribute):
            method = "." + func_node.attr.value
            func_node = func_node.value
            if isinstance(func_node, cst.Call):
                func_node = func_node.func
        elif not isinstance(func_node, cst.Name):
            return ()
        if not isinstance(func_node, cst.Name):
            return ()
        choices = self.scope.class_choices.get(func_node.value, ())
        return tuple(choice + method for choice in choices)

    def bind_target(self, target: cst.BaseExpression, value: Value) -> None:
        if isinstance(target, cst.Name):
            self.scope.class_choices.pop(target.value, None)
            scope = self.scope
            if target.value in scope.globals:
                scope = self.module_scope
            elif target.value in scope.names and scope.kind != "class":
                # Bound twice in one scope: the resolver does not follow control flow, so
                # only an agreeing value survives.
                value = _rebound(scope.names[target.value], value)
            if scope.kind == "module" and value.kind in (LITERAL, ENV, STATIC, UNKNOWN):
                # A module constant is fixed for the life of the environment.
                value = value if value.kind != UNKNOWN else Value(MODULE, name=target.value)
            scope.names[target.value] = value
        elif isinstance(target, cst.Attribute):
            cls = self.method_class()
            if cls is not None and dotted_name(target.value) == self.self_name():
                old = cls.attributes.get(target.attr.value)
                cls.attributes[target.attr.value] = value if old is None else _rebound(old, value)
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
                if node.value == "__file__":
                    return Value(STATIC, name=PACKAGE_PATH)
                return UNKNOWN_VALUE
            if (
                found.kind == MODULE
                and found.name
                and found.name == self.facts.imports.get(node.value)
            ):
                return Value(UNKNOWN, name=found.name)  # a module object, not a constant
            return found
        if isinstance(node, cst.FormattedString):
            return self.evaluate_fstring(node)
        if isinstance(node, cst.BinaryOperation):
            left, right = self.evaluate(node.left), self.evaluate(node.right)
            known = left.text is not None and right.text is not None
            if isinstance(node.operator, cst.Add) and known:
                return Value(STATIC, literal=left.text + right.text)
            if isinstance(node.operator, cst.Divide) and _is_package_path(left) and right.is_static:
                return left  # `Path(__file__).parent / "model.onnx"`
            return combine([left, right])
        if isinstance(node, cst.Subscript):
            env = self.env_read(node)
            if env is not None:
                return env
            base = self.evaluate(node.value)
            return Value(base.kind) if base.is_per_request else UNKNOWN_VALUE
        if isinstance(node, cst.Attribute):
            dotted = dotted_name(node)
            if dotted is not None:
                head_name, _, rest = dotted.partition(".")
                cls = self.method_class()
                if cls is not None and rest in cls.attributes and head_name == self.self_name():
                    return cls.attributes[rest]
                head = self.lookup(head_name)
                if head is not None and head.is_per_request:
                    return Value(head.kind, name=dotted)
                if head is not None and head.kind == OBJECT:
                    return self.sdk_attribute(head, rest)
                if _is_package_path(head or UNKNOWN_VALUE):
                    return head
                return Value(UNKNOWN, name=self.resolve(dotted))
            meta = node.value
            # `boto3.resource("s3").meta.client`
            if node.attr.value == "client" and _is_attribute(meta, "meta"):
                return self.sdk_attribute(self.evaluate(meta.value), "meta.client")
            base = self.evaluate(node.value)
            if base.is_per_request or _is_package_path(base):
                return Value(base.kind, name=base.name)
            return UNKNOWN_VALUE
        if isinstance(node, cst.Call):
            return self.evaluate_call(node)
        if isinstance(node, cst.Await):
            return self.evaluate(node.expression)  # `await ddb.Table("t")` (aioboto3)
        if isinstance(node, (cst.Dict, cst.List, cst.Tuple, cst.Set)):
            return self.evaluate_container(node)
        if isinstance(node, cst.BooleanOperation):
            return combine([self.evaluate(node.left), self.evaluate(node.right)])
        return UNKNOWN_VALUE

    def evaluate_container(self, node: cst.Dict | cst.List | cst.Tuple | cst.Set) -> Value:
        """A container literal holding this request's data is this request's data
        (`OpenSearch(hosts=[{"host": host}])` with `host` a parameter); any other container
        stays UNKNOWN, its contents are not a text or a constant rules could report."""
        parts: list[cst.BaseExpression] = []
        if isinstance(node, cst.Dict):
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    parts += [element.key, element.value]
                else:  # `**other`
                    parts.append(element.value)
        else:
            parts = [element.value for element in node.elements]
        kinds = {self.evaluate(part).kind for part in parts}
        for kind in (EVENT, CREDENTIALS, PARAM):
            if kind in kinds:
                return Value(kind, name=CONTAINER)
        return UNKNOWN_VALUE

    def evaluate_fstring(self, node: cst.FormattedString) -> Value:
        """An f-string whose every part is known has a known text: `f"{PREFIX}-orders"`."""
        texts: list[str] = []
        parts: list[Value] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                texts.append(part.value)
                continue
            value = self.evaluate(part.expression)
            parts.append(value)
            literal = value.literal if value.kind in (LITERAL, STATIC) else None
            plain = part.conversion is None and part.format_spec is None
            if plain and isinstance(literal, (str, int)) and not isinstance(literal, bool):
                texts.append(str(literal))
            else:
                texts.append("\0")  # unknown part
        if not parts:
            return Value(STATIC, literal="".join(texts) if "\0" not in texts else None)
        combined = combine(parts)
        if combined.kind == STATIC and "\0" not in texts and "{" not in "".join(texts):
            return Value(STATIC, literal="".join(texts))
        return combined

    def sdk_attribute(self, head: Value, rest: str) -> Value:
        """`resource.meta.client` is the client behind an SDK resource; other attributes of
        objects are not followed."""
        if head.sdk in ("resource", "subresource") and rest == "meta.client":
            return replace(head, name=head.name + ".meta.client", sdk="client", resource_kind="")
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
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else ""
        if method in CREDENTIAL_METHODS:
            return Value(CREDENTIALS)
        receiver = self.evaluate(node.func.value) if method else None
        if receiver is not None and (receiver.is_per_request or _is_package_path(receiver)):
            # `event.get("body")`, `self.table.get_item(...)`, `Path(__file__).resolve()`
            return Value(receiver.kind, name=receiver.name)
        callee = self.callee_of(node, receiver, method)
        if not callee:
            return UNKNOWN_VALUE
        if callee in self.credential_functions:
            return Value(CREDENTIALS)
        sdk = self.classify(node, callee, method, receiver)
        if sdk[0] and sdk[0] in SDK_OBJECTS:
            kind, service, operation, resource_kind = sdk
            identifier = None
            if kind == "subresource":
                args, kwargs, _, _ = self.arguments(node)
                identifier = sdk_identifier(kind, receiver, args, kwargs)
            return Value(
                OBJECT,
                name=callee,
                service=service,
                origin=self.index_of(node),
                sdk=kind,
                resource_kind=resource_kind,
                operation=operation,
                identifier=identifier,
            )
        if callee in PATH_BUILDERS:
            return self.evaluate_path(node, callee)
        project = (self.lookup(callee.partition(".")[0]) or UNKNOWN_VALUE).kind == FUNCTION
        if not project and not sdk[0]:
            # A library function of this request's data gives this request's data. A container
            # holding it is left out: `Thread(target=f, args=(event,))` is still a Thread.
            for arg in node.args:
                value = self.evaluate(arg.value)
                if value.is_per_request and value.name != CONTAINER:
                    return Value(value.kind)
        return Value(
            OBJECT,
            name=callee,
            service=receiver.service if receiver is not None else "",
            origin=self.index_of(node),
        )

    def callee_of(self, node: cst.Call, receiver: Value | None, method: str) -> str:
        """The call's dotted name, alias-resolved; a method of a known object is named after
        what created the object (`boto3.client.put_object`)."""
        if receiver is not None and receiver.kind in (OBJECT, UNKNOWN) and receiver.name:
            return f"{receiver.name}.{method}"
        dotted = dotted_name(node.func)
        return self.resolve(dotted) if dotted else ""

    def classify(
        self, node: cst.Call, callee: str, method: str, receiver: Value | None
    ) -> tuple[str, str, str, str]:
        known_factory = callee in SESSION_FACTORIES or callee in CLIENT_FACTORIES
        if not known_factory and (receiver is None or not receiver.sdk):
            return NOT_SDK
        args, kwargs, _, _ = self.arguments(node)
        return classify_sdk(callee, method, receiver, args, kwargs)

    def arguments(
        self, node: cst.Call
    ) -> tuple[tuple[Value, ...], tuple[tuple[str, Value], ...], bool, bool]:
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
        return tuple(args), tuple(kwargs), star_args, star_kwargs

    def evaluate_path(self, node: cst.Call, callee: str) -> Value:
        """`os.path.join(os.path.dirname(__file__), "model.pkl")`: under the package."""
        parts = [self.evaluate(arg.value) for arg in node.args if not arg.star]
        for part in parts:
            if part.is_per_request:
                return Value(part.kind)
        if any(_is_package_path(p) or p == TASK_ROOT for p in parts):
            return Value(STATIC, name=PACKAGE_PATH)
        texts = [part.text for part in parts]
        if not parts or None in texts:
            return combine(parts) if parts else UNKNOWN_VALUE
        if callee == "os.path.join":
            return Value(STATIC, literal=posixpath.join(*texts))
        if callee == "os.path.dirname":
            return Value(STATIC, literal=posixpath.dirname(texts[0]))
        if callee in ("os.path.abspath", "os.path.realpath"):
            absolute = texts[0].startswith("/")
            return Value(STATIC, literal=texts[0]) if absolute else Value(STATIC)
        return Value(STATIC, literal=posixpath.join(*texts))

    def index_of(self, node: cst.Call) -> int:
        # The call may not be visited yet (an assignment is seen before its value's calls):
        # remember the node's identity and turn it into the pre-order index when leaving.
        return id(node)

    # -- calls ----------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        self.declare(node.body, self.module_scope)
        self.module_bindings = _module_bindings(node)
        self.module_class_lists = _module_literal_lists(node)

    def declare(self, body, scope: Scope) -> None:
        """Functions and classes are callable before their `def` is reached in the file."""
        for statement in body:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                name = statement.name.value
                qualified = f"{scope.name}.{name}" if scope.name else name
                scope.names[name] = Value(FUNCTION, name="@" + qualified)
                if isinstance(statement, cst.ClassDef) and scope.kind == "module":
                    self.module_classes.add(name)

    def leave_Module(self, original_node: cst.Module) -> None:
        # Origins were taken as node identities (a value is often seen before its call is
        # visited); now that every call has its pre-order index, translate them.
        ids = self.call_ids
        self.facts.calls = [
            complete_call(_with_origins(call, ids), self.local_return) for call in self.facts.calls
        ]
        self.facts.returns = {
            name: _origin(value, ids) for name, value in self.facts.returns.items()
        }

    def local_return(self, name: str) -> Value | None:
        return self.facts.returns.get(name[1:]) if name.startswith("@") else None

    def visit_Return(self, node: cst.Return) -> None:
        """Functions returning an SDK object are factories: `get_s3().put_object(...)`."""
        scope = self.function_scope()
        if scope is None or node.value is None or self.scope is not scope:
            return
        value = self.evaluate(node.value)
        if value.kind == CREDENTIALS:
            self.credential_functions.add("@" + scope.name)
        known = self.facts.returns.get(scope.name)
        if value.sdk and (known is None or known == value):
            self.facts.returns[scope.name] = value
        elif known is not None:
            self.facts.returns[scope.name] = UNKNOWN_VALUE  # factories of several things

    def visit_Expr(self, node: cst.Expr) -> None:
        # A string standing alone as a statement (a docstring) is documentation, not a value.
        if isinstance(node.value, cst.SimpleString):
            self.bare_strings.add(id(node.value))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.string_index += 1
        raw = node.value
        if "AKIA" not in raw and "ASIA" not in raw and "://" not in raw:
            return
        if id(node) in self.bare_strings:
            return
        text = _literal(node)
        if not isinstance(text, str):
            return
        kind = ""
        if ACCESS_KEY.search(text) and not is_placeholder(text):
            kind = "access-key"
        else:
            match = URL_PASSWORD.search(text)
            local = match is not None and match.group("host").lower() in LOCAL_HOSTS
            if match and not local and not is_placeholder(match.group("password")):
                kind = "url-password"
        if kind:
            self.facts.secrets.append((kind, self.current_function(), self.string_index))

    def visit_Call(self, node: cst.Call) -> None:
        self.call_index += 1
        self.call_ids[id(node)] = self.call_index
        scope = self.scope
        func_scope = self.function_scope()
        func = func_scope.name if func_scope and scope.kind != "class" else ""
        if scope.kind == "class":
            func = ""
        args, kwargs, star_args, star_kwargs = self.arguments(node)
        receiver = None
        method = ""
        dotted = dotted_name(node.func)
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            receiver = self.evaluate(node.func.value)
        callee = self.callee_of(node, receiver, method)
        sdk, service, operation, resource_kind = classify_sdk(
            callee, method, receiver, args, kwargs
        )
        text = (dotted or (method and f"….{method}") or "…") + "()"
        in_function = bool(func)
        self.facts.calls.append(
            CallFact(
                func=func,
                callee=callee,
                index=self.call_index,
                args=args,
                kwargs=kwargs,
                star_args=star_args,
                star_kwargs=star_kwargs,
                guarded=in_function
                and any(s.guard_depth for s in self.scopes if s.kind == "function"),
                in_loop=in_function and scope.loop_depth > 0,
                receiver=receiver,
                method=method,
                text=text,
                sdk=sdk,
                service=service,
                operation=operation,
                resource_kind=resource_kind,
                in_while_true=in_function and scope.while_true_depth > 0,
                resource_id=sdk_identifier(sdk, receiver, args, kwargs) if sdk else None,
            )
        )
        self.record_wiring(node, func, method, text)
        if in_function:
            self.record_edges(node, func, callee, text)

    def record_wiring(self, node: cst.Call, func: str, method: str, text: str) -> None:
        """Calls that make other functions run: resolvers dispatching to their routes, routers
        included into resolvers, record handlers given to a batch processor."""
        if method in ("resolve", "include_router") and isinstance(node.func, cst.Attribute):
            owner = dotted_name(node.func.value)
            resolver = self.object_target(owner) if owner else ""
            if resolver and method == "resolve" and func:
                self.facts.resolves.append((func, resolver, self.call_index))
            elif resolver and method == "include_router" and node.args:
                router = dotted_name(node.args[0].value)
                target = self.object_target(router) if router else ""
                if target:
                    self.facts.includes.append((resolver, target))
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "record_handler":
                target = self.function_target(arg.value)
                if target:
                    self.facts.callbacks.append((target, f"record handler given to {text}"))

    def function_target(self, node: cst.BaseExpression) -> str:
        """A reference to a function, as an edge target ("@f", "lib.mod.f"), or ""."""
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return ""
        value = self.evaluate(node)
        if value.kind == FUNCTION and value.name:
            return value.name
        if value.kind == UNKNOWN and value.name:
            return value.name  # imported: the project phase keeps it only if it is ours
        return ""

    def record_edges(self, node: cst.Call, func: str, callee: str, text: str) -> None:
        guarded = any(s.guard_depth for s in self.scopes if s.kind == "function")
        for choice in self.chosen_targets(node.func):
            self.facts.edges.append(CallEdge(func, choice, self.call_index, text, guarded))
        target = self.edge_target(node.func, callee)
        if target:
            func_node = node.func
            dispatch = (
                isinstance(func_node, cst.Attribute)
                and isinstance(func_node.value, cst.Name)
                and func_node.value.value in ("self", "cls")
                and bool(self.enclosing_class())
            )
            self.facts.edges.append(
                CallEdge(func, target, self.call_index, text, guarded, dispatch)
            )
        # Functions handed to a call (callbacks, thread targets, record handlers) run too.
        for arg in node.args:
            target = self.function_target(arg.value)
            if target:
                name = dotted_name(arg.value) or ""
                self.facts.edges.append(
                    CallEdge(func, target, self.call_index, f"{name} (passed to {text})", guarded)
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
            cls = self.instance_class(owner)
            if cls:
                return f"{cls}.{method}"
        if isinstance(func_node, cst.Attribute) and isinstance(func_node.value, cst.Call):
            cls = self.constructed_class(func_node.value)  # `Impl(event).run()`
            if cls:
                return f"{cls}.{func_node.attr.value}"
        if not callee:
            return ""
        head = callee.split(".")[0]
        if callee.startswith("@") or callee.startswith("."):
            return callee
        if head in self.facts.imports or (self.lookup(head) or UNKNOWN_VALUE).kind == FUNCTION:
            return callee
        return callee if "." in callee else ""

    def method_class(self) -> Scope | None:
        """The class scope when the current scope is one of its methods."""
        if len(self.scopes) >= 2 and self.scope.kind == "function":
            parent = self.scopes[-2]
            return parent if parent.kind == "class" else None
        return None

    def self_name(self) -> str:
        function = self.facts.functions.get(self.scope.name)
        return function.params[0] if function is not None and function.params else ""

    def enclosing_class(self) -> str:
        for scope in reversed(self.scopes):
            if scope.kind == "class":
                return scope.name
        return ""


def _origin(value: Value | None, ids: dict[int, int]) -> Value | None:
    if value is None or value.kind != OBJECT or value.origin < 0:
        return value
    return replace(value, origin=ids.get(value.origin, -1))


def _with_origins(call: CallFact, ids: dict[int, int]) -> CallFact:
    return replace(
        call,
        args=tuple(_origin(value, ids) for value in call.args),
        kwargs=tuple((key, _origin(value, ids)) for key, value in call.kwargs),
        receiver=_origin(call.receiver, ids),
    )


def _is_attribute(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Attribute) and node.attr.value == name


def _is_package_path(value: Value) -> bool:
    return value.kind == STATIC and value.name == PACKAGE_PATH


def _rebound(old: Value, new: Value) -> Value:
    if old == new or (old.kind == LITERAL and old.literal is None):
        return new  # `x = None` then `x = ...` is how lazy initialisation starts
    if old.kind == new.kind == OBJECT and new.sdk and _same_sdk_object(old, new):
        # `session = boto3.Session(...)` twice: whichever runs, it is a session; the latest
        # creation stands for it.
        return new
    for value in (new, old):
        if value.is_per_request:
            return Value(value.kind)
    return UNKNOWN_VALUE


def _module_bindings(module: cst.Module) -> dict[str, list[cst.BaseExpression]]:
    """Call values bound to module globals anywhere in the module: `name = call(...)` at module
    scope, and in module-level functions that declare the name `global`."""
    found: dict[str, list[cst.BaseExpression]] = {}
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            declared = _global_names(statement.body)
            for name, value in _assignments(statement.body):
                if name in declared:
                    found.setdefault(name, []).append(value)
        else:
            for name, value in _assignments([statement], nested=False):
                found.setdefault(name, []).append(value)
    return found


def _module_literal_lists(module: cst.Module) -> dict[str, cst.Tuple | cst.List]:
    """Module globals bound exactly once in the module, at module scope, to a tuple or list
    literal (`handlers: Final = (A, B)`); a name also bound elsewhere is left out."""
    counts: dict[str, int] = {}
    found: dict[str, cst.Tuple | cst.List] = {}
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            for name in _global_names(statement.body):
                counts[name] = counts.get(name, 0) + 2  # may be rebound at any time
            continue
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            targets = []
            if isinstance(small, cst.Assign):
                targets = [target.target for target in small.targets]
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                targets = [small.target]
            for target in targets:
                if isinstance(target, cst.Name):
                    counts[target.value] = counts.get(target.value, 0) + 1
                    if isinstance(small.value, (cst.Tuple, cst.List)):
                        found[target.value] = small.value
    return {name: value for name, value in found.items() if counts.get(name) == 1}


def _global_names(body: cst.BaseSuite) -> set[str]:
    names: set[str] = set()
    for statement in getattr(body, "body", ()):
        for small in (
            getattr(statement, "body", ()) if isinstance(statement, cst.SimpleStatementLine) else ()
        ):
            if isinstance(small, cst.Global):
                names.update(item.name.value for item in small.names)
    return names


def _assignments(statements, nested: bool = True) -> list[tuple[str, cst.BaseExpression]]:
    """`name = call(...)` statements, also inside `if`/`try`/`with` blocks when `nested`."""
    found: list[tuple[str, cst.BaseExpression]] = []
    pending = list(getattr(statements, "body", statements))
    while pending:
        statement = pending.pop(0)
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            found.append((target.target.value, small.value))
        elif nested and isinstance(statement, (cst.If, cst.Try, cst.With, cst.Else)):
            pending.extend(getattr(statement.body, "body", ()))
            orelse = getattr(statement, "orelse", None)
            if orelse is not None:
                pending.append(orelse)
    return found


def _same_sdk_object(old: Value, new: Value) -> bool:
    return (old.name, old.sdk, old.service, old.resource_kind) == (
        new.name,
        new.sdk,
        new.service,
        new.resource_kind,
    )


def _literal(node: cst.BaseExpression | None) -> object:
    if isinstance(node, (cst.Integer, cst.Float)):
        try:
            value = node.evaluated_value
        except (ValueError, SyntaxError, OverflowError):  # beyond int's conversion limit
            return None
        return value if isinstance(value, int) or math.isfinite(value) else None
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
