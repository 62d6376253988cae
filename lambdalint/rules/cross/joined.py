"""What the LL5xx rules share: walking a function's handler code, and turning what the code
names (an environment variable, a literal) into what the template wires to it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from lambdalint.api import HandlerCode, LinkedFunction, ModuleFile
from lambdalint.core.finding import Related
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.facts import ModuleFacts
from lambdalint.frontends.python.sdk_usage import HandlerUsage, handler_usage
from lambdalint.frontends.python.structure_facts.env_reads import NAME as ENV_READS
from lambdalint.frontends.python.structure_facts.env_reads import EnvRead
from lambdalint.model import Function

T = TypeVar("T")


def with_code(functions: list[LinkedFunction]) -> Iterator[tuple[LinkedFunction, HandlerCode]]:
    """Functions whose handler code is in the run, with it."""
    for linked in functions:
        if linked.code is not None:
            yield linked, linked.code


def runs(code: HandlerCode, facts: ModuleFacts, func: str) -> bool:
    """Code in `func` of a module of the closure runs for this handler: at import time, or in
    a function the handler reaches."""
    return not func or code.reach(facts, func) is not None


def structure(module: ModuleFile, name: str, default: T) -> T:
    """One structural visitor's facts of a module (absent in facts cached by older versions)."""
    return module.facts.structure.get(name, default)


def call_ref(path: str, index: int) -> NodeRef:
    return NodeRef(path, "Call", index)


def handler_ref(code: HandlerCode) -> NodeRef | None:
    if code.function is None:
        return None
    return NodeRef(code.module.facts.path, "FunctionDef", code.function.index)


def code_anchor(facts: ModuleFacts, func: str) -> str:
    return f"{facts.module}.{func}" if func else facts.module


def role_related(linked: LinkedFunction) -> list[Related]:
    """The template's side of a permission finding: the role, or the function whose implicit
    role (SAM's `Policies`) it is."""
    function, role = linked.function, linked.function.role
    if role is None or role.implicit:
        return [Related(function.span, f"function {function.logical_id}, its policies")]
    return [Related(role.span, f"role {role.logical_id}, used by {function.logical_id}")]


def env_reads(code: HandlerCode) -> Iterator[tuple[ModuleFile, EnvRead, set[str]]]:
    """Each environment read the handler can run, with the variables its module tests for."""
    for module in code.closure:
        facts = structure(module, ENV_READS, None)
        if facts is None:
            continue
        for read in facts.reads:
            if runs(code, module.facts, read.func):
                yield module, read, facts.tested


def sets_variable(function: Function, name: str) -> bool:
    """The function's configuration sets `name` (possibly to an unknown value)."""
    setting = function.environment.get(name)
    return setting is not None and not setting.is_missing


def unset_reads(
    functions: list[LinkedFunction],
) -> Iterator[tuple[LinkedFunction, HandlerCode, ModuleFile, EnvRead, set[str]]]:
    """Each environment read a function's handler code can run whose variable the function's
    configuration does not set, with the variables the read's module tests for. Functions whose
    variables come from a map that cannot be read are left out: it may set any variable."""
    for linked, code in with_code(functions):
        if not linked.function.environment_complete:
            continue
        for module, read, tested in env_reads(code):
            if not sets_variable(linked.function, read.name):
                yield linked, code, module, read, tested


def by_read(
    found: Iterable[tuple[ModuleFile, EnvRead, LinkedFunction]],
) -> list[tuple[ModuleFile, EnvRead, list[LinkedFunction]]]:
    """One entry a read (a line several functions share is reported once), with its functions."""
    grouped: dict[tuple, tuple[ModuleFile, EnvRead, list[LinkedFunction]]] = {}
    for module, read, linked in found:
        key = (module.facts.path, read.kind, read.index)
        grouped.setdefault(key, (module, read, []))[2].append(linked)
    return list(grouped.values())


def configured_by(functions: list[LinkedFunction]) -> str:
    """The functions whose configuration a message speaks of: `Fn (template.yaml), ...`."""
    return ", ".join(f"{f.function.logical_id} ({f.template.path})" for f in functions)


def resolved_usage(code: HandlerCode) -> tuple[HandlerUsage | None, str]:
    """The handler code's SDK usage when it is fully resolved (the only usage LL503 and LL504
    judge), else None and why, for `--verbose`."""
    usage = handler_usage(code)
    if not usage.fully_resolved:
        return None, f"SDK usage not fully resolved: {why_unknown(usage.unresolved)}"
    return usage, ""


def read_ref(module: ModuleFile, read: EnvRead) -> NodeRef:
    return NodeRef(module.facts.path, read.kind, read.index)


def environment_related(function: Function) -> Related:
    where = function.environment_span or function.span
    return Related(where, f"the environment of {function.logical_id}")


def why_unknown(reasons: list[str]) -> str:
    """The first reason something is not known, and how many more."""
    more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
    return f"{reasons[0]}{more}" if reasons else "unknown"
