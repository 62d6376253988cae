"""The per-file facts of a Python module: plain, picklable data every code rule reads.

Facts are extracted once per file and never hold libcst nodes. Nodes that may become findings are
named by a NodeRef (kind and pre-order index); the engine computes positions for those alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Value kinds, from most to least known. Rules stay silent on anything they cannot trust.
LITERAL = "literal"  # a Python literal; `literal` holds it
ENV = "env"  # read from os.environ / os.getenv; `name` holds the variable when literal
MODULE = "module"  # a module-level name whose value is fixed at import time
STATIC = "static"  # built only from literals, env reads and module-level names
OBJECT = "object"  # the result of calling `name` (a constructor or factory); `origin` is the call
FUNCTION = "function"  # a function or class of the project; `name` is its target
EVENT = "event"  # derived from a handler's event argument
PARAM = "param"  # derived from a function parameter (per call, unknowable)
CREDENTIALS = "credentials"  # derived from a per-request credentials call (sts.assume_role, ...)
UNKNOWN = "unknown"

STATIC_KINDS = frozenset({LITERAL, ENV, MODULE, STATIC})
PER_REQUEST_KINDS = frozenset({EVENT, PARAM, CREDENTIALS})


@dataclass(frozen=True)
class Value:
    kind: str
    literal: object = None
    name: str = ""
    service: str = ""  # for SDK objects: the AWS service they talk to
    origin: int = -1  # for OBJECT: the pre-order index of the Call that created it

    @property
    def is_static(self) -> bool:
        return self.kind in STATIC_KINDS

    @property
    def is_per_request(self) -> bool:
        return self.kind in PER_REQUEST_KINDS


UNKNOWN_VALUE = Value(UNKNOWN)


@dataclass(frozen=True)
class CallFact:
    """One call expression, wherever it stands."""

    func: str  # qualified name of the enclosing function; "" at import time (module/class body)
    callee: str  # alias-resolved dotted name of what is called ("boto3.client"), "" if not dotted
    index: int  # pre-order index among the module's Call nodes
    args: tuple[Value, ...] = ()
    kwargs: tuple[tuple[str, Value], ...] = ()
    star_args: bool = False
    star_kwargs: bool = False
    guarded: bool = False  # inside a lazy-initialisation guard (runs once per environment)
    in_loop: bool = False
    receiver: Value | None = None  # for method calls: the object the method is called on
    method: str = ""  # for method calls: the attribute name
    text: str = ""  # the callee as written, for messages

    def kwarg(self, name: str) -> Value | None:
        for key, value in self.kwargs:
            if key == name:
                return value
        return None

    def argument(self, position: int, name: str) -> Value | None:
        """A parameter's value, passed by keyword or at its position."""
        value = self.kwarg(name)
        if value is None and position < len(self.args):
            value = self.args[position]
        return value

    def values(self) -> tuple[Value, ...]:
        return self.args + tuple(value for _, value in self.kwargs)


@dataclass(frozen=True)
class CallEdge:
    """A call (or a function reference handed to a call) from one function to a target."""

    caller: str  # enclosing function qualname
    target: str  # "@name" for this module, ".mod.f" relative, "pkg.mod.f" absolute
    index: int  # pre-order index of the Call node, for messages and related spans
    text: str  # short display, e.g. "audit()"
    guarded: bool = False


@dataclass(frozen=True)
class FunctionFact:
    qualname: str  # "handler", "Repo.__init__", "outer.inner"
    index: int  # pre-order index among FunctionDef nodes
    params: tuple[str, ...]
    required_positional: int
    positional: int  # how many parameters can be passed positionally
    has_varargs: bool
    is_async: bool
    decorators: tuple[str, ...]  # alias-resolved dotted names, calls stripped
    cached: bool  # functools.cache / lru_cache: runs once per distinct arguments
    in_class: str  # enclosing class name for methods, "" otherwise
    nested: bool  # defined inside another function
    looks_like_handler: bool  # the (event, context) signature convention


@dataclass
class ModuleFacts:
    path: str  # cwd-relative POSIX path
    module: str  # dotted module name as Lambda would import it ("app", "pkg.app")
    functions: dict[str, FunctionFact] = field(default_factory=dict)
    classes: set[str] = field(default_factory=set)
    calls: list[CallFact] = field(default_factory=list)
    edges: list[CallEdge] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)  # local alias -> dotted target
    # Facts of the structural visitors (frontends/python/structure.py), by visitor name.
    structure: dict[str, object] = field(default_factory=dict)

    def calls_in(self, func: str) -> list[CallFact]:
        return [call for call in self.calls if call.func == func]
