"""What CPython's `ast` tells of a Python file cheaply, for deciding whether libcst must read it.

libcst is most of a cold run; `ast` is about ten times cheaper. The outline over-approximates
what the fact pass could find: every function that might be a handler, every dotted name that
might name a project module, every token a rule asked about. A file the outline cannot vouch
for (CPython refuses it, or it is too complex) is always parsed, so its LL001 is the usual one.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from lambdalint.frontends.python.bounds import CompileRefused, check_python_tree
from lambdalint.frontends.python.facts import ACCESS_KEY, CONTEXT_NAMES, EVENT_NAMES, URL_PASSWORD

# Decorator names (their last part) that may make a function a handler, as handlers.py judges
# once the imports are resolved; here any decorator ending so counts.
HANDLER_DECORATORS = frozenset(
    {
        "inject_lambda_context",
        "capture_lambda_handler",
        "log_metrics",
        "event_source",
        "idempotent",
        "batch_processor",
        "async_batch_processor",
        "parser",
    }
)
# Text that registers functions the runtime ends up calling without a call edge: record
# handlers given to a batch processor, handler decorators made by a middleware factory.
REGISTERS_HANDLERS = ("record_handler", "lambda_handler_decorator")
# A decorator made by a middleware factory makes any function it decorates a handler.
MIDDLEWARE_FACTORY = "lambda_handler_decorator"
# Text that joins another module's resolver to this module's routes.
INCLUDES_ROUTERS = "include_router"

# Markers a rule may ask for among its tokens: facts of the file no substring tells.
ACCESS_KEY_SHAPE = "<an AWS access key shape>"
URL_WITH_PASSWORD = "<a URL with a password>"
CREDENTIALS_BY_POSITION = "<a session or client given arguments where credentials go>"
ENVIRON_WRITE_AT_IMPORT = "<a write that may change the environment at import time>"
# Calls that change `os.environ` (or the process environment) when made on or from it.
ENVIRON_WRITERS = frozenset({"update", "setdefault", "pop", "popitem", "clear"})
ENVIRONMENT_FUNCTIONS = frozenset({"putenv", "unsetenv"})
# SDK factories by their last name, with the first position a credential may take: a session
# takes them first, a client or resource after six other arguments (ll108's positions).
CREDENTIAL_POSITIONS = {
    "Session": 0,
    "AioSession": 0,
    "client": 6,
    "resource": 6,
    "create_client": 6,
}


@dataclass(frozen=True)
class Skim:
    """How the engine asks the Python frontend for outlines instead of facts: with the tokens
    its enabled rules look for in files no handler reaches."""

    tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outline:
    refused: bool = False  # CPython refuses it or it is beyond bounds: always parsed
    handler_like: bool = False  # may define or register a handler
    has_async: bool = False  # defines a coroutine function
    makes_middleware: bool = False  # may define a handler decorator (a middleware factory)
    decorates: bool = False  # decorates a function
    # Dotted names (absolute, or relative with leading dots) of what it imports; "pkg.*"
    # stands for anything below pkg (a star import).
    imports: tuple[str, ...] = ()
    # Attribute chains that may name something in a project module, the imported head
    # replaced: such a name matters only in a module that defines or imports its member.
    targets: tuple[str, ...] = ()
    # Every name it defines or assigns (functions, classes, variables, at any depth) or binds
    # by an import.
    names: tuple[str, ...] = ()
    # Targets this module extends when they are project code: base classes, resolvers it
    # adds routes to. Such a module may be reached from the module it extends.
    extends: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()  # the asked tokens it holds (in the text or a string literal)


def outline(text: str, tokens: tuple[str, ...] = ()) -> Outline:
    try:
        tree, nodes = check_python_tree(text)
    except CompileRefused:
        return Outline(refused=True)
    return _Outliner(text, tokens).outline(tree, nodes)


class _Outliner:
    def __init__(self, text: str, tokens: tuple[str, ...]):
        self.text = text
        self.asked = tokens
        self.aliases: dict[str, str] = {}
        self.imports: set[str] = set()
        self.targets: set[str] = set()
        self.names: set[str] = set()
        self.extends: set[str] = set()
        self.strings: list[str] = []
        self.handler_like = any(marker in text for marker in REGISTERS_HANDLERS)
        self.has_async = False
        self.decorates = False
        self.calls: list[ast.Call] = []

    def outline(self, tree: ast.AST, nodes: list[ast.AST]) -> Outline:
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self._import(node)
        chains = []
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._function(node)
            elif isinstance(node, ast.ClassDef):
                self.names.add(node.name)
                self.extends.update(self._target(base) for base in node.bases)
            elif isinstance(node, (ast.Attribute, ast.Name)):
                chains.append(node)
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    self.names.add(node.id)
            elif isinstance(node, ast.Call):
                self.calls.append(node)
            elif isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
                value = node.value
                self.strings.append(value if isinstance(value, str) else value.decode("latin-1"))
        # A bare name that imports nothing names no module; `helpers.save` may.
        self.targets.update(t for t in map(self._target, chains) if "." in t.lstrip("."))
        if INCLUDES_ROUTERS in self.text:
            self.extends.update(self.targets | self.imports)
        return Outline(
            handler_like=self.handler_like,
            has_async=self.has_async,
            makes_middleware=MIDDLEWARE_FACTORY in self.text,
            decorates=self.decorates,
            imports=tuple(sorted(self.imports)),
            targets=tuple(sorted(self.targets - self.imports)),
            names=tuple(sorted(self.names | set(self.aliases))),
            extends=tuple(sorted(t for t in self.extends if "." in t.lstrip("."))),
            tokens=self._held(tree),
        )

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.imports.add(alias.name)
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    self.aliases[head] = head
            return
        base = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.imports.add(_join(base, "*"))
                continue
            dotted = _join(base, alias.name)
            self.imports.add(dotted)
            self.aliases[alias.asname or alias.name] = dotted

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.names.add(node.name)
        if isinstance(node, ast.AsyncFunctionDef):
            self.has_async = True
        positional = [*node.args.posonlyargs, *node.args.args]
        if (
            len(positional) >= 2
            and positional[0].arg in EVENT_NAMES
            and positional[1].arg in CONTEXT_NAMES
        ):
            self.handler_like = True
        self.decorates = self.decorates or bool(node.decorator_list)
        for decorator in node.decorator_list:
            called = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = _dotted(called)
            if name.rpartition(".")[2] in HANDLER_DECORATORS:
                self.handler_like = True
            if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute):
                # `@app.get("/orders")`: a route on a resolver that may live elsewhere.
                self.extends.add(self._target(decorator.func.value))

    def _target(self, node: ast.AST) -> str:
        """The dotted name an expression may denote, its head replaced by what it imports."""
        dotted = _dotted(node)
        head, dot, rest = dotted.partition(".")
        if head in self.aliases:
            return self.aliases[head] + dot + rest
        return dotted

    def _held(self, tree: ast.AST) -> tuple[str, ...]:
        """The asked tokens in the text or in a string's value (escapes decoded; the NUL
        between strings keeps a token from spanning two of them), and the asked markers the
        file shows."""
        strings = "\0".join(self.strings)
        markers = {
            ACCESS_KEY_SHAPE: lambda: _matches(ACCESS_KEY, self.text, strings),
            URL_WITH_PASSWORD: lambda: _matches(URL_PASSWORD, self.text, strings),
            CREDENTIALS_BY_POSITION: lambda: _credentials_by_position(self.calls),
            ENVIRON_WRITE_AT_IMPORT: lambda: (
                any(name in self.text for name in ("environ", *ENVIRONMENT_FUNCTIONS))
                and _writes_at_import(tree)
            ),
        }
        return tuple(
            token
            for token in self.asked
            if (markers[token]() if token in markers else token in self.text or token in strings)
        )


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def _join(base: str, name: str) -> str:
    return base + name if base.endswith(".") or not base else f"{base}.{name}"


def _matches(pattern: re.Pattern[str], text: str, strings: str) -> bool:
    return pattern.search(text) is not None or pattern.search(strings) is not None


def _credentials_by_position(calls: list[ast.Call]) -> bool:
    """A call to an SDK factory (by its last name) with a positional argument where a
    credential goes, or with `*args`."""
    for node in calls:
        position = CREDENTIAL_POSITIONS.get(_dotted(node.func).rpartition(".")[2])
        if position is not None and (
            len(node.args) > position or any(isinstance(a, ast.Starred) for a in node.args)
        ):
            return True
    return False


def _writes_at_import(tree: ast.AST) -> bool:
    """Whether code that runs at import time (outside function bodies) stores into or deletes
    a subscript, or calls a method or function that changes an environment mapping."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # Decorators and defaults run at import time; the body does not.
            stack.extend(node.decorator_list)
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        if isinstance(node, (ast.Assign, ast.Delete, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            if any(isinstance(n, ast.Subscript) for t in targets for n in ast.walk(t)):
                return True
        elif isinstance(node, ast.Call):
            name = _dotted(node.func).rpartition(".")[2]
            method = isinstance(node.func, ast.Attribute) and name in ENVIRON_WRITERS
            if method or name in ENVIRONMENT_FUNCTIONS:
                return True
        stack.extend(ast.iter_child_nodes(node))
    return False
