from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, Option, RuleMeta, register
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.facts import LITERAL, OBJECT, CallFact, Value

VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
REQUESTS_CALLS = frozenset({f"requests.{v}" for v in VERBS} | {f"requests.api.{v}" for v in VERBS})
REQUESTS_SESSIONS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session"})
# Calls that take a timeout, with its position when it can be given positionally.
TIMEOUT_POSITION = {
    "urllib.request.urlopen": 2,
    "http.client.HTTPConnection": 2,
    "http.client.HTTPSConnection": None,
    "socket.create_connection": 1,
    "urllib3.request": None,
}
URLLIB3_POOLS = frozenset(
    {
        "urllib3.PoolManager",
        "urllib3.ProxyManager",
        "urllib3.HTTPConnectionPool",
        "urllib3.HTTPSConnectionPool",
        "urllib3.connection_from_url",
    }
)
URLLIB3_METHODS = frozenset({"request", "urlopen", "request_encode_url", "request_encode_body"})
# httpx and aiohttp time out by default: only an explicit `timeout=None` disables it.
DISABLEABLE = frozenset(
    {f"httpx.{v}" for v in VERBS}
    | {"httpx.stream", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"}
)
DISABLEABLE_CLIENTS = frozenset({"httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"})
CLIENT_METHODS = VERBS | {"stream", "send", "ws_connect"}


@register
class HttpWithoutTimeout(CodeRule):
    """An outbound HTTP call that can wait until the function times out."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL109",
        name="http-without-timeout",
        severity=Severity.WARNING,
        summary="An outbound HTTP call on the handler path has no timeout.",
        anchors=("B113", "S7618", "semgrep use-timeout"),
        fix="unsafe",
        # The value the autofix writes: a Lambda function runs 900 s at most.
        options=(Option("timeout", float, 10, minimum=0.1, maximum=900, unit="seconds"),),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The function timeout each finding's fix must stay below, by the call it is about:
        # known at check time (from the template), needed when the engine asks for the fix.
        self._limits: dict[NodeRef, FunctionLimit] = {}

    def fix(self, finding, tree, node):
        # Unsafe: a call that used to wait forever may now raise a timeout error.
        from lambdalint.rules.code.timeout_fix import add_timeout

        limit = self._limits.get(finding.where)
        seconds = self.options["timeout"]
        if limit is None or not _positive(seconds):
            return add_timeout(finding, tree, node, seconds)
        return add_timeout(finding, tree, node, limit.below(seconds), limit.describe())

    def fix_input(self, finding: Finding) -> object:
        """What the fix reads besides the finding and the tree (engine/located.py keys on it)."""
        return self._limits.get(finding.where)

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call in ctx.facts.calls:
            problem = _problem(ctx, call)
            reach = ctx.reach(call.func) if problem else None
            if reach is None:
                continue
            where = ctx.call_ref(call.index)
            limit = _function_limit(ctx, call.func)
            if limit is not None:
                self._limits[where] = limit
            shorter = f" ({limit.describe()})" if limit else ""
            yield self.finding(
                where,
                f"`{call.text}` {problem} ({reach.describe()}): a slow server holds the "
                "invocation until the function times out; pass `timeout=` shorter than the "
                f"function's timeout{shorter}",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{call.func}",
            )


@dataclass(frozen=True)
class FunctionLimit:
    """The shortest configured timeout among the template functions that run a call."""

    seconds: float
    functions: tuple[str, ...]  # their logical ids

    def describe(self) -> str:
        verb = "times" if len(self.functions) == 1 else "time"
        return f"{', '.join(self.functions)} {verb} out after {self.seconds:g} s"

    def below(self, preferred: float) -> float:
        """`preferred` when it is below the limit; else a second less (half of a 1 s limit)."""
        if preferred < self.seconds:
            return preferred
        return self.seconds - 1 if self.seconds >= 2 else self.seconds / 2


def _function_limit(ctx: CodeContext, func: str) -> FunctionLimit | None:
    """Known only when every template function running this code has a known timeout (a
    missing Timeout is the platform default); one unknown timeout could be the shortest."""
    timeouts = []
    for linked, _ in ctx.linked(func):
        function = linked.function
        seconds = (
            function.default_timeout if function.timeout.is_missing else function.timeout.number()
        )
        if seconds is None or seconds <= 0:
            return None
        timeouts.append((seconds, function.logical_id))
    if not timeouts:
        return None
    shortest = min(seconds for seconds, _ in timeouts)
    names = tuple(sorted({name for seconds, name in timeouts if seconds == shortest}))
    return FunctionLimit(shortest, names)


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _problem(ctx: CodeContext, call: CallFact) -> str:
    if call.star_kwargs:
        return ""  # `**kwargs` may carry the timeout
    callee, receiver = call.callee, call.receiver
    creator = _creator(ctx, receiver)
    if callee in REQUESTS_CALLS or (
        creator is not None and creator.callee in REQUESTS_SESSIONS and call.method in VERBS
    ):
        if creator is not None and _mounted(ctx, receiver):
            return ""
        return _missing_or_none(call.kwarg("timeout"))
    if callee in TIMEOUT_POSITION:
        position = TIMEOUT_POSITION[callee]
        value = call.kwarg("timeout")
        if value is None and position is not None and position < len(call.args):
            value = call.args[position]
        return "" if call.star_args else _missing_or_none(value)
    if creator is not None and creator.callee in URLLIB3_POOLS and call.method in URLLIB3_METHODS:
        if creator.star_kwargs or creator.kwarg("timeout") is not None:
            return ""
        return _missing_or_none(call.kwarg("timeout"))
    if callee in DISABLEABLE and _is_none(call.kwarg("timeout")):
        return "disables the timeout (`timeout=None`)"
    disabled_client = (
        creator is not None
        and creator.callee in DISABLEABLE_CLIENTS
        and _is_none(creator.kwarg("timeout"))
    )
    if disabled_client and call.method in CLIENT_METHODS:
        value = call.kwarg("timeout")
        if value is None or _is_none(value):
            return "uses a client created with `timeout=None`"
    return ""


def _creator(ctx: CodeContext, receiver: Value | None) -> CallFact | None:
    """The call (in this module) that created the object a method is called on."""
    if receiver is None or receiver.kind != OBJECT:
        return None
    return ctx.call_at(receiver.origin)


def _mounted(ctx: CodeContext, receiver: Value) -> bool:
    """A session with an adapter mounted on it: projects mount one to set a default timeout."""
    return any(
        call.method == "mount"
        and call.receiver is not None
        and call.receiver.kind == OBJECT
        and call.receiver.origin == receiver.origin
        for call in ctx.facts.calls
    )


def _is_none(value: Value | None) -> bool:
    return value is not None and value.kind == LITERAL and value.literal is None


def _missing_or_none(value: Value | None) -> str:
    if value is None:
        return "has no timeout"
    if _is_none(value):
        return "disables the timeout (`timeout=None`)"
    return ""
