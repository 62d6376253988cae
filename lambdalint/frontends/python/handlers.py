"""Which functions are Lambda handlers: by the signature convention, by the decorators that wrap
handlers, by configuration, and the callbacks that run on their own once their owner runs."""

from __future__ import annotations

from lambdalint.api import FunctionKey, ModuleFile
from lambdalint.frontends.python.facts import FunctionFact
from lambdalint.frontends.python.imports import MAX_REEXPORT_HOPS, ModuleIndex

# Decorators that make the decorated function a Lambda handler. Methods of Powertools' Logger,
# Tracer and Metrics are known by name (those objects are often made in a shared module);
# the generic names count only when imported from Powertools.
HANDLER_DECORATOR_METHODS = frozenset(
    {"inject_lambda_context", "capture_lambda_handler", "log_metrics"}
)
POWERTOOLS = "aws_lambda_powertools."
POWERTOOLS_HANDLER_DECORATORS = frozenset(
    {"event_source", "idempotent", "batch_processor", "async_batch_processor", "parser"}
)
MIDDLEWARE_FACTORY = "lambda_handler_decorator"


def find_handlers(index: ModuleIndex) -> list[FunctionKey]:
    """Handlers by the signature convention and by the decorators that wrap handlers."""
    middleware = _middleware_factories(index)
    handlers = []
    for path, module in sorted(index.modules.items()):
        for function in module.facts.functions.values():
            if function.looks_like_handler or _handler_decorated(
                index, module, function, middleware
            ):
                handlers.append(FunctionKey(path, function.qualname))
    return handlers


def _middleware_factories(index: ModuleIndex) -> set[FunctionKey]:
    """Project functions made into handler decorators by `@lambda_handler_decorator`."""
    found = set()
    for path, module in index.modules.items():
        for function in module.facts.functions.values():
            if any(
                d.startswith(POWERTOOLS) and d.endswith("." + MIDDLEWARE_FACTORY)
                for d in function.decorators
            ):
                found.add(FunctionKey(path, function.qualname))
    return found


def _handler_decorated(
    index: ModuleIndex, module: ModuleFile, function: FunctionFact, middleware: set[FunctionKey]
) -> bool:
    if function.in_class or function.nested:
        return False
    for decorator in function.decorators:
        last = decorator.rpartition(".")[2]
        if last in HANDLER_DECORATOR_METHODS and "." in decorator:
            return True
        if last in POWERTOOLS_HANDLER_DECORATORS and decorator.startswith(POWERTOOLS):
            return True
        if middleware and decorator:
            target = index.resolve_target(module, decorator, MAX_REEXPORT_HOPS)
            if target in middleware:
                return True
    return False


def find_callbacks(
    index: ModuleIndex, handlers: list[FunctionKey]
) -> list[tuple[FunctionKey, str]]:
    """Functions that run on their own once their owner runs (record handlers), with why."""
    found = []
    for _, module in sorted(index.modules.items()):
        for target, why in module.facts.callbacks:
            key = index.resolve_target(module, target, MAX_REEXPORT_HOPS)
            if key is not None and key not in handlers:
                found.append((key, why))
    return list(dict.fromkeys(found))


def declared_handlers(index: ModuleIndex, specs: list[str]) -> list[FunctionKey]:
    """Handlers named by configuration (`path/to/mod.py:func`); templates add theirs later.
    These are authoritative: rules such as LL118 check their signatures."""
    handlers = []
    for spec in specs:
        file_part, _, name = spec.rpartition(":")
        file_part = file_part.removeprefix("./")
        for path, module in sorted(index.modules.items()):
            named = path == file_part or path.endswith("/" + file_part)
            if named and name in module.facts.functions:
                handlers.append(FunctionKey(path, name))
    return list(dict.fromkeys(handlers))
