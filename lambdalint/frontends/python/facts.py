"""The per-file facts of a Python module: plain, picklable data every code rule reads.

Facts are extracted once per file and never hold libcst nodes. Nodes that may become findings are
named by a NodeRef (kind and pre-order index); the engine computes positions for those alone.

Provenance is honest rather than clever: module constants and simple assignments are followed,
a string built only from literals keeps its text (STATIC with `literal`), a name bound twice in
one scope to disagreeing values becomes UNKNOWN (control flow is not followed), and a call of a
function not defined in this module that is given this request's data yields this request's
data. The SDK model (CallFact.sdk/service/operation/resource_kind/resource_id) is completed in
the project phase for factories in other modules (`get_s3().put_object(...)`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

# Value kinds, from most to least known. Rules stay silent on anything they cannot trust.
LITERAL = "literal"  # a Python literal; `literal` holds it
ENV = "env"  # read from os.environ / os.getenv; `name` holds the variable when literal
MODULE = "module"  # a module-level name whose value is fixed at import time
STATIC = "static"  # built only from literals, env reads and module-level names; `literal` holds
# the text when every part is a literal; `name == "__file__"` marks a path in the package
OBJECT = "object"  # the result of calling `name` (a constructor or factory); `origin` is the call
FUNCTION = "function"  # a function or class of the project; `name` is its target
EVENT = "event"  # derived from a handler's event argument
PARAM = "param"  # derived from a function parameter (per call, unknowable)
CREDENTIALS = "credentials"  # derived from a per-request credentials call (sts.assume_role, ...)
UNKNOWN = "unknown"

STATIC_KINDS = frozenset({LITERAL, ENV, MODULE, STATIC})
PER_REQUEST_KINDS = frozenset({EVENT, PARAM, CREDENTIALS})


# The handler signature convention's parameter names: `def <any name>(event, context)`. Here,
# not in extract.py, so the pre-pass (outline.py) judges by the same names without libcst.
EVENT_NAMES = frozenset({"event", "_event", "evt", "_evt", "_", "__"})
CONTEXT_NAMES = frozenset({"context", "_context", "ctx", "_ctx", "_", "__", "lambda_context"})


@dataclass(frozen=True)
class Value:
    kind: str
    literal: object = None
    name: str = ""
    service: str = ""  # for SDK objects: the AWS service they talk to
    origin: int = -1  # for OBJECT: the pre-order index of the Call that created it
    # For AWS SDK objects: "session", "client", "resource", "subresource", "paginator", "waiter".
    sdk: str = ""
    resource_kind: str = ""  # sub-resources: "Table", "Bucket", "Queue"...
    operation: str = ""  # paginators and waiters: the operation or waiter name
    # Sub-resources: the AWS resource they stand for (the table name, bucket name, queue URL,
    # topic ARN); a sub-resource of a sub-resource (`bucket.Object(key)`) keeps its parent's.
    identifier: Value | None = None

    @property
    def text(self) -> str | None:
        """The string this value is known to hold (a literal, or a string built only from
        literals), else None."""
        if self.kind in (LITERAL, STATIC) and isinstance(self.literal, str):
            return self.literal
        return None

    @property
    def is_static(self) -> bool:
        return self.kind in STATIC_KINDS

    @property
    def is_per_request(self) -> bool:
        return self.kind in PER_REQUEST_KINDS


UNKNOWN_VALUE = Value(UNKNOWN)

# What an SDK call does, on CallFact.sdk.
SDK_CREATE = frozenset({"session", "client", "resource", "subresource"})
SDK_OPERATION = "operation"  # an API call: `service` and `operation` are set


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
    # The AWS SDK model. `sdk` is "" for calls that are not SDK calls, one of SDK_CREATE for
    # calls that create a session/client/resource/sub-resource, "paginator"/"waiter" for
    # `get_paginator`/`get_waiter`, "paginate"/"wait" for using them, SDK_OPERATION for API calls.
    sdk: str = ""
    service: str = ""  # "s3", "dynamodb"... ("" when unknown, e.g. a session)
    operation: str = ""  # "put_object"; for paginate/wait the paginated operation or waiter
    # The resource API object created or called: "Table" for `Table(...)` and `table.put_item`,
    # "ServiceResource" for calls on `boto3.resource(...)` itself; "" for client calls.
    resource_kind: str = ""
    in_while_true: bool = False  # inside a `while True:` loop of the same function
    # For sub-resource creations and calls on sub-resources: the resource worked on, as
    # Value.identifier (`Table(os.environ["T"]).put_item(...)` -> ENV "T").
    resource_id: Value | None = None

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

    def argument_key(self, position: int, name: str) -> str:
        """Which written argument holds the parameter `argument` reads: its keyword, or `#N`
        for the N-th positional one; "" when it cannot be told (a `*args` shifts positions)."""
        if self.kwarg(name) is not None:
            return name
        if position < len(self.args) and not self.star_args:
            return f"#{position}"
        return ""

    def values(self) -> tuple[Value, ...]:
        return self.args + tuple(value for _, value in self.kwargs)

    @property
    def is_sdk_operation(self) -> bool:
        return self.sdk == SDK_OPERATION and bool(self.service)


@dataclass(frozen=True)
class CallEdge:
    """A call (or a function reference handed to a call) from one function to a target."""

    caller: str  # enclosing function qualname
    target: str  # "@name" for this module, ".mod.f" relative, "pkg.mod.f" absolute
    index: int  # pre-order index of the Call node, for messages and related spans
    text: str  # short display, e.g. "audit()"
    guarded: bool = False
    # `self.method()` / `cls.method()`: the method of the instance's class, which may be a
    # subclass overriding it (template-method dispatch).
    dispatch: bool = False


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
    # Module-level classes' base classes, as edge targets ("@Base", "base.BaseHandler").
    class_bases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    calls: list[CallFact] = field(default_factory=list)
    edges: list[CallEdge] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)  # local alias -> dotted target
    # What each function returns, when it is an SDK object (for `get_s3().put_object(...)`).
    returns: dict[str, Value] = field(default_factory=dict)
    # Functions that run on their own although nothing here calls them by name:
    # (target, why) with target as in CallEdge ("@record_handler", "lib.records.handle").
    callbacks: list[tuple[str, str]] = field(default_factory=list)
    # Event-handler routes: (resolver object, route function qualname, display), the resolver
    # as a target ("@app", "api.app"); resolver calls: (caller, resolver, call index);
    # routers included into resolvers: (resolver, router).
    routes: list[tuple[str, str, str]] = field(default_factory=list)
    resolves: list[tuple[str, str, int]] = field(default_factory=list)
    includes: list[tuple[str, str]] = field(default_factory=list)
    # Suspicious string literals (access-key shapes, URLs with a password): (kind, function,
    # pre-order index among SimpleString nodes). The text itself is never kept.
    secrets: list[tuple[str, str, int]] = field(default_factory=list)
    # Facts of the structural visitors (frontends/python/structure.py), by visitor name.
    structure: dict[str, object] = field(default_factory=dict)


# -- the AWS SDK call model ---------------------------------------------------------------

SESSION_FACTORIES = frozenset(
    {
        "boto3.Session",
        "boto3.session.Session",
        "botocore.session.get_session",
        "botocore.session.Session",
        "aioboto3.Session",
        "aioboto3.session.Session",
        "aiobotocore.session.get_session",
        "aiobotocore.session.AioSession",
    }
)
# Module-level shortcuts that create a client or resource on the default session.
CLIENT_FACTORIES = {"boto3.client": "client", "boto3.resource": "resource"}
SESSION_METHODS = {"client": "client", "resource": "resource", "create_client": "client"}
# Client methods that are not API operations.
CLIENT_HELPERS = frozenset(
    {
        "can_paginate",
        "close",
        "generate_presigned_url",
        "generate_presigned_post",
        "get_paginator",
        "get_waiter",
    }
)


def sdk_identifier(
    sdk: str,
    receiver: Value | None,
    args: tuple[Value, ...],
    kwargs: tuple[tuple[str, Value], ...],
) -> Value | None:
    """The resource a sub-resource stands for: its first argument, or its parent's."""
    if receiver is not None and receiver.sdk == "subresource":
        return receiver.identifier
    if sdk == "subresource":
        if args:
            return args[0]
        return kwargs[0][1] if kwargs else None
    return None


def sdk_service(args: tuple[Value, ...], kwargs: tuple[tuple[str, Value], ...]) -> str:
    """The service named by a client/resource factory call, "" when not a literal."""
    value = dict(kwargs).get("service_name") or (args[0] if args else None)
    text = value.text if value is not None else None
    return text or ""


def classify_sdk(
    callee: str,
    method: str,
    receiver: Value | None,
    args: tuple[Value, ...],
    kwargs: tuple[tuple[str, Value], ...],
) -> tuple[str, str, str, str]:
    """(sdk, service, operation, resource_kind) of a call, from its callee and receiver alone;
    ("", "", "", "") when it is not an AWS SDK call this model knows."""
    if callee in SESSION_FACTORIES:
        return "session", "", "", ""
    if callee in CLIENT_FACTORIES:
        return CLIENT_FACTORIES[callee], sdk_service(args, kwargs), "", ""
    if receiver is None or not receiver.sdk or not method:
        return "", "", "", ""
    holder, service = receiver.sdk, receiver.service
    if holder == "session":
        if method in SESSION_METHODS:
            return SESSION_METHODS[method], sdk_service(args, kwargs), "", ""
        return "", "", "", ""
    if holder == "client":
        if method in ("get_paginator", "get_waiter"):
            name = args[0].text if args else None
            return method[4:], service, name or "", ""
        if method in CLIENT_HELPERS:
            return "", "", "", ""
        return SDK_OPERATION, service, method, ""
    if holder in ("resource", "subresource"):
        if method[:1].isupper():
            return "subresource", service, "", method
        # boto3 calls the service-level resource object "ServiceResource".
        return SDK_OPERATION, service, method, receiver.resource_kind or "ServiceResource"
    if holder == "paginator" and method == "paginate":
        return "paginate", service, receiver.operation, ""
    if holder == "waiter" and method == "wait":
        return "wait", service, receiver.operation, ""
    return "", "", "", ""


def complete_call(call: CallFact, returned: Callable[[str], Value | None]) -> CallFact:
    """A method call on what a project factory returned (`get_s3().put_object(...)`, or
    `S3 = get_s3()` then `S3.put_object(...)`) gets the SDK model of the returned object.
    `returned(name)` gives the factory's return value for a receiver named after its call."""
    receiver = call.receiver
    if call.sdk or receiver is None or receiver.kind != OBJECT or receiver.sdk:
        return call
    value = returned(receiver.name)
    if value is None or not value.sdk:
        return call
    sdk, service, operation, resource_kind = classify_sdk(
        call.callee, call.method, value, call.args, call.kwargs
    )
    if not sdk:
        return call
    return replace(
        call,
        sdk=sdk,
        service=service,
        operation=operation,
        resource_kind=resource_kind,
        resource_id=sdk_identifier(sdk, value, call.args, call.kwargs),
    )


# -- secrets ------------------------------------------------------------------------------

ACCESS_KEY = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")
URL_PASSWORD = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]*:(?P<password>[^\s/@]+)@(?P<host>[^\s/:?#]*)"
)
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "host.docker.internal"})
