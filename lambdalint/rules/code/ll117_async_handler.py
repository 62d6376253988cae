from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext, FunctionKey, LinkedCode
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.facts import FunctionFact
from lambdalint.frontends.python.structure_facts.handler_shape import NAME, HandlerShape

# Calls that run a coroutine to completion: a decorator that makes one wraps async handlers.
COROUTINE_RUNNERS = frozenset(
    {
        "asyncio.run",
        "asyncio.get_event_loop",
        "asyncio.new_event_loop",
        "asyncio.Runner",
        "anyio.run",
        "trio.run",
        "asgiref.sync.async_to_sync",
    }
)
RUNNER_METHODS = frozenset({"run_until_complete"})
# Library decorators that turn a coroutine function into a plain one.
WRAPPING_DECORATORS = frozenset({"asgiref.sync.async_to_sync", "asyncer.syncify"})
# Library decorators known to call the handler without awaiting it (Powertools).
PLAIN_DECORATOR_METHODS = frozenset(
    {"inject_lambda_context", "capture_lambda_handler", "log_metrics"}
)
PLAIN_DECORATOR_PREFIX = "aws_lambda_powertools."


@register
class AsyncHandler(CodeRule):
    """The handler is `async def`: the managed Python runtime calls it and gets a coroutine it
    never awaits."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL117",
        name="async-handler",
        severity=Severity.ERROR,
        summary="The handler is `async def`: the Python runtime never awaits it.",
        fix="none",
        anchors=("S7614",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        project = ctx.project
        mine = [
            key
            for key in project.handlers
            if key.path == ctx.facts.path and _is_async(ctx.function(key.qualname))
        ]
        if not mine:
            return
        shape = ctx.facts.structure.get(NAME)
        wrapped = shape.wrapped_at_import if isinstance(shape, HandlerShape) else set()
        called = _called_functions(project)
        # Templates and configuration are authoritative: once they name a handler of this
        # module, the signature convention no longer makes its other functions handlers.
        declared_here = any(key.path == ctx.facts.path for key in project.declared_handlers)
        for key in mine:
            function = ctx.function(key.qualname)
            if key not in project.declared_handlers and (
                declared_here
                or not (function.looks_like_handler or _powertools_handler(function))
                or key in called
                or key.qualname in wrapped
            ):
                continue  # e.g. a coroutine the real handler runs (`asyncio.run(main(...))`)
            if not self._decorators_keep_it_async(ctx, function):
                continue
            yield self.finding(
                NodeRef(ctx.facts.path, "FunctionDef", function.index),
                f"handler `{key.qualname}` is `async def`: the Python runtime calls it without "
                "awaiting, so its body never runs and the coroutine cannot be serialised as the "
                "response; make it a plain `def` that calls `asyncio.run(...)`",
                anchor=f"{ctx.facts.module}.{key.qualname}",
            )

    def _decorators_keep_it_async(self, ctx: CodeContext, function: FunctionFact) -> bool:
        """True when every decorator is known not to run the coroutine; an unknown decorator
        might, so the rule stays silent then."""
        for name in function.decorators:
            if name.rpartition(".")[2] in PLAIN_DECORATOR_METHODS:
                continue
            if name.startswith(PLAIN_DECORATOR_PREFIX):
                continue
            if name in WRAPPING_DECORATORS:
                return False
            if not _project_decorator_is_plain(ctx, name):
                return False
        return True


def _powertools_handler(function: FunctionFact) -> bool:
    """Powertools' handler decorators mark a handler whatever its parameters are called."""
    return any(name.rpartition(".")[2] in PLAIN_DECORATOR_METHODS for name in function.decorators)


def _is_async(function: FunctionFact | None) -> bool:
    return function is not None and function.is_async


def _called_functions(project: LinkedCode) -> set[FunctionKey]:
    called = set()
    for module in project.modules.values():
        for edge in module.facts.edges:
            callee = project.resolve_edge(module, edge)
            if callee is not None:
                called.add(callee)
    return called


def _project_decorator_is_plain(ctx: CodeContext, name: str) -> bool:
    """A decorator of the project that never runs a coroutine; False when it does, or when it
    cannot be found."""
    if not name:
        return False
    module = ctx.project.modules.get(ctx.facts.path)
    key = ctx.project.resolve_target(module, name, 5) if module else None
    if key is None:
        return False
    facts = ctx.project.modules[key.path].facts
    prefix = key.qualname + "."
    for call in facts.calls:
        if call.func != key.qualname and not call.func.startswith(prefix):
            continue
        if call.callee in COROUTINE_RUNNERS or call.method in RUNNER_METHODS:
            return False
    return True
