"""What LL101-LL103 share: an object created on the handler path, once per invocation; and
what the "anywhere in function code" rules (LL106, LL107, LL110) share: which modules are
function code at all."""

from __future__ import annotations

from collections.abc import Iterator
from weakref import WeakKeyDictionary

from lambdalint.api import CodeContext, FunctionKey, LinkedCode, Reach
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule
from lambdalint.frontends.python.facts import OBJECT, CallFact
from lambdalint.frontends.python.structure_facts.custom_resource import custom_resource_functions

_FUNCTION_CODE: WeakKeyDictionary[LinkedCode, frozenset[str]] = WeakKeyDictionary()


def in_function_code(ctx: CodeContext) -> bool:
    """Whether the module is part of a Lambda function's code: it defines a handler or a
    function a handler reaches, or such a module imports it (directly or through other
    imported modules). Test suites, deployment scripts and container apps that sit next to
    the functions are not function code."""
    project = ctx.project
    paths = _FUNCTION_CODE.get(project)
    if paths is None:
        paths = _FUNCTION_CODE[project] = _function_code(project)
    return ctx.facts.path in paths


def _function_code(project: LinkedCode) -> frozenset[str]:
    found = {key.path for key in project.reach}
    pending = [path for path in found if path in project.modules]
    while pending:
        module = project.modules[pending.pop()]
        for target in set(module.facts.imports.values()):
            # `import pkg.mod` names a module, `from pkg.mod import x` a member of one.
            located = project.locate_object(module, target + ".*") or project.locate_object(
                module, target
            )
            if located is not None and located[0] not in found:
                found.add(located[0])
                pending.append(located[0])
    return frozenset(found)


def per_request(
    call: CallFact, calls_by_index: dict[int, CallFact], configured: frozenset[int], depth: int = 0
) -> bool:
    """Whether the object is built from this request's data (the event, parameters, minted
    credentials): given it as an argument, through the session it is called on or an object it
    is handed (`boto3.Session(botocore_session=core)`), or configured with it afterwards
    (`core.set_credentials(*assumed_role)`). Such an object must be made per request; hoisting
    it would hand one user's credentials to every later invocation. `configured` is what
    `configured_per_request` found."""
    if any(value.is_per_request for value in call.values()) or call.index in configured:
        return True
    if depth > 8:
        return False
    given = [value for value in call.values() if value.kind == OBJECT]
    if call.receiver is not None:
        given.append(call.receiver)
    for value in given:
        origin = calls_by_index.get(value.origin) if value.origin >= 0 else None
        if (
            origin is not None
            and origin.func == call.func
            and per_request(origin, calls_by_index, configured, depth + 1)
        ):
            return True
    return False


# Methods that configure the object they are called on, rather than use it.
CONFIGURING = ("set_", "update", "register")


def configured_per_request(calls_by_index: dict[int, CallFact]) -> frozenset[int]:
    """Objects (by the index of the call that made them) configured with this request's data."""
    return frozenset(
        call.receiver.origin
        for call in calls_by_index.values()
        if call.receiver is not None
        and call.receiver.kind == OBJECT
        and call.method.startswith(CONFIGURING)
        and any(value.is_per_request for value in call.values())
    )


def creations_on_handler_path(
    ctx: CodeContext, callees: frozenset[str]
) -> Iterator[tuple[CallFact, Reach]]:
    """Calls to `callees` that run on every invocation, with how a handler reaches them.

    Import-time code, lazy-initialisation guards, cached functions, functions no handler reaches
    and per-request construction are all left out."""
    calls_by_index = {call.index: call for call in ctx.facts.calls}
    configured = configured_per_request(calls_by_index)
    for call in ctx.facts.calls:
        if call.callee not in callees or call.guarded:
            continue
        function = ctx.function(call.func)
        if function is None or function.cached:
            continue
        reach = ctx.reach(call.func)
        if reach is None or per_request(call, calls_by_index, configured):
            continue
        yield call, reach


def only_custom_resources(ctx: CodeContext, func: str) -> bool:
    """Whether every handler reaching `func` answers CloudFormation as a custom resource (its
    module reads `RequestType`/`ResponseURL`, calls `cfnresponse.send` or uses crhelper): such
    handlers run a few times per deployment, so per-invocation costs are worth info at most."""
    project = ctx.project
    everyday = _EVERYDAY.get(project)
    if everyday is None:
        everyday = _EVERYDAY[project] = _reached_from_everyday_handlers(project)
    return ctx.reach(func) is not None and FunctionKey(ctx.facts.path, func) not in everyday


_EVERYDAY: WeakKeyDictionary[LinkedCode, frozenset[FunctionKey]] = WeakKeyDictionary()


def _reached_from_everyday_handlers(project: LinkedCode) -> frozenset[FunctionKey]:
    """Functions some handler that is not a custom resource reaches (by direct call edges)."""
    everyday = [
        key
        for key in project.handlers
        if key.path in project.modules
        and not custom_resource_functions(project.modules[key.path].facts)
    ]
    return frozenset(called_from(project, everyday))


def called_from(project: LinkedCode, start: list[FunctionKey], limit: int = 0) -> set[FunctionKey]:
    """`start` and every project function it calls, by direct call edges (calls under a
    lazy-initialisation guard run once per environment and are not followed); `limit` bounds
    how many are collected (0: no bound)."""
    seen = set(start)
    pending = list(start)
    while pending and (not limit or len(seen) < limit):
        key = pending.pop()
        module = project.modules.get(key.path)
        for edge in module.facts.edges if module is not None else ():
            if edge.caller != key.qualname or edge.guarded:
                continue
            target = project.resolve_edge(module, edge)
            if target is not None and target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def report(
    rule: CodeRule,
    ctx: CodeContext,
    call: CallFact,
    reach: Reach,
    what: str,
    severity: Severity | None = None,
) -> Finding:
    return rule.finding(
        ctx.call_ref(call.index),
        f"`{call.text}` creates {what} on every invocation ({reach.describe()}); "
        "create it once at module scope and reuse it",
        related=reach.related(),
        anchor=f"{ctx.facts.module}.{call.func}",
        severity=severity,
    )
