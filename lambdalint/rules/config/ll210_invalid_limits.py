from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.data import reserved_environment
from lambdalint.model import Function, Val
from lambdalint.rules.config.reading import as_number, numbers, show

# (what, attribute, lowest, highest, unit) as the Lambda API validates them.
RANGES = (
    ("timeout", "timeout", 1, 900, "s"),
    ("memory size", "memory_size", 128, 10240, "MB"),
    ("ephemeral storage", "ephemeral_storage", 512, 10240, "MB"),
)
ENVIRONMENT_LIMIT = 4096  # bytes, keys and values together


@register
class InvalidLimits(TemplateRule):
    """Values the Lambda API rejects at deploy time."""

    meta = RuleMeta(
        id="LL210",
        name="invalid-limits",
        severity=Severity.ERROR,
        summary="A timeout, memory size, ephemeral storage or environment that AWS rejects.",
        anchors=("cfn-lint E3034", "cfn-lint E3717", "cfn-lint E3697", "cfn-lint E3663"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function in ctx.template.functions:
            yield from self._ranges(function)
            yield from self._reserved_keys(function)
            finding = self._environment_size(function)
            if finding is not None:
                yield finding

    def _ranges(self, function: Function) -> Iterator[Finding]:
        for what, attribute, lowest, highest, unit in RANGES:
            val: Val = getattr(function, attribute)
            values = numbers(val)
            if values and all(not lowest <= value <= highest for value in values):
                shown = ", ".join(show(value) for value in values)
                yield self.finding(
                    val.span or function.span,
                    f"{what} {shown} {unit} is outside {lowest}-{highest} {unit}: the "
                    "deployment fails",
                    anchor=function.anchor,
                )

    def _reserved_keys(self, function: Function) -> Iterator[Finding]:
        for key, val in function.environment.items():
            if key in reserved_environment():
                yield self.finding(
                    val.span or function.environment_span or function.span,
                    f"environment variable {key} is reserved by Lambda, which sets it "
                    "itself: the deployment fails; use another name",
                    anchor=function.anchor,
                )

    def _environment_size(self, function: Function) -> Finding | None:
        known = 0
        for key, val in function.environment.items():
            known += len(key.encode("utf-8"))
            sizes = [_size(value) for value in val.alternatives]
            known += min((size for size in sizes if size is not None), default=0)
        # Unknown values only add to the total, so a known part already over the limit is
        # certain; anything less is not.
        if known <= ENVIRONMENT_LIMIT:
            return None
        return self.finding(
            function.environment_span or function.span,
            f"environment variables take at least {known} bytes, over the {ENVIRONMENT_LIMIT} "
            "bytes (4 KB) Lambda accepts: the deployment fails; move large values to SSM "
            "Parameter Store, S3 or the deployment package",
            anchor=function.anchor,
        )


def _size(value: object) -> int | None:
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if isinstance(value, bool):
        return len(str(value).lower())
    number = as_number(value)
    return len(show(number)) if number is not None else None
