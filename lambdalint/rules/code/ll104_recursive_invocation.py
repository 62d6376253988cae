from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext, LinkedFunction, ModuleFile, ProjectContext, Reach
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.frontends.python.facts import ENV, PARAM, CallFact, Value

INVOKES = frozenset({"invoke", "invoke_async", "invoke_with_response_stream"})
SELF_ATTRIBUTES = ("function_name", "invoked_function_arn")
# Parameter names of the Lambda context object (the signature convention's second parameter).
CONTEXT_NAMES = frozenset({"context", "_context", "ctx", "_ctx", "lambda_context"})


@register
class RecursiveInvocation(ProjectRule):
    """The handler invokes the very function it runs in: named by the runtime (its own name
    variable, the context object) or by the template (a variable or literal that the template
    resolves to this function). A project rule because the second needs the template."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL104",
        name="recursive-invocation",
        severity=Severity.ERROR,
        summary="The handler invokes its own Lambda function.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        for module in ctx.modules():
            for call in module.facts.calls:
                if _is_invoke(call):
                    yield from self._check_call(ctx, module, call)

    def _check_call(
        self, ctx: ProjectContext, module: ModuleFile, call: CallFact
    ) -> Iterator[Finding]:
        name = call.argument(0, "FunctionName")
        code = ctx.code_context(module)
        how = _names_itself(name)
        reach = code.reach(call.func) if how else None
        if reach is not None:
            yield self._finding(code, call, how, reach, reach.related())
            return
        for linked, reach in ctx.linked(module.facts, call.func):
            how = _template_names_it(name, linked)
            if how:
                where = Related(
                    linked.function.span,
                    f"function {linked.function.logical_id} in {linked.template.path}",
                )
                yield self._finding(code, call, how, reach, [*reach.related(), where])
                return  # one finding a call, however many functions run this code

    def _finding(
        self, code: CodeContext, call: CallFact, how: str, reach: Reach, related: list[Related]
    ) -> Finding:
        return self.finding(
            code.call_ref(call.index),
            f"`{call.text}` invokes this same function ({how}; {reach.describe()}): "
            "unless the code itself bounds it, every invocation starts another, a loop "
            "that runs until throttled",
            related=related,
            anchor=f"{code.facts.module}.{call.func}",
        )


def _is_invoke(call: CallFact) -> bool:
    return call.is_sdk_operation and call.service == "lambda" and call.operation in INVOKES


def _names_itself(value: Value | None) -> str:
    """How a FunctionName value names the running function, or ""."""
    if value is None:
        return ""
    if value.kind == ENV and value.name == "AWS_LAMBDA_FUNCTION_NAME":
        return "FunctionName is AWS_LAMBDA_FUNCTION_NAME"
    head, _, attribute = value.name.partition(".")
    if value.kind == PARAM and head in CONTEXT_NAMES and attribute in SELF_ATTRIBUTES:
        return f"FunctionName is {value.name}"
    return ""


def _template_names_it(value: Value | None, linked: LinkedFunction) -> str:
    """How the template makes a FunctionName value name its function itself, or "": an
    environment variable set to `!Ref`/`!GetAtt` of the function or to its literal
    `FunctionName`, or that literal name written in the code. Anything unresolved (an
    unknown variable, a parameter, a name given to another function) is not this one."""
    function, template = linked.function, linked.template.path
    own_name = function.name.text()
    if value is None:
        return ""
    if value.kind == ENV and value.name in function.environment:
        setting = function.environment[value.name]
        if setting.every(lambda v: v is function or (own_name is not None and v == own_name)):
            return (
                f"FunctionName is {value.name}, set to {function.logical_id} itself in {template}"
            )
        return ""
    if own_name is not None and value.text == own_name:
        return f"FunctionName {own_name!r} is the name {template} gives {function.logical_id}"
    return ""
