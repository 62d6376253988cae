from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import Function
from lambdalint.rules.config.reading import texts

NOTICE_DAYS = 90  # how early an upcoming deprecation is announced


@dataclass(frozen=True)
class Lifecycle:
    deprecation: datetime.date
    block_create: datetime.date
    block_update: datetime.date
    successor: str | None


@functools.cache
def lifecycles() -> dict[str, Lifecycle]:
    """The runtime table shipped in lambdalint/data/runtimes.json (source and date inside)."""
    text = resources.files("lambdalint.data").joinpath("runtimes.json").read_text("utf-8")
    table = json.loads(text)["runtimes"]
    return {
        runtime: Lifecycle(
            datetime.date.fromisoformat(dates["deprecation"]),
            datetime.date.fromisoformat(dates["block_create"]),
            datetime.date.fromisoformat(dates["block_update"]),
            dates.get("successor"),
        )
        for runtime, dates in table.items()
    }


def stage(runtime: str, as_of: datetime.date) -> tuple[Severity, str] | None:
    """How bad the runtime is on that date, with the sentence saying why; None if fine or
    not in the table."""
    life = lifecycles().get(runtime)
    if life is None:
        return None
    if as_of >= life.block_update:
        return Severity.ERROR, (
            f"was deprecated on {life.deprecation}; creating and updating functions with it "
            f"is blocked since {life.block_update}"
        )
    if as_of >= life.block_create:
        return Severity.ERROR, (
            f"was deprecated on {life.deprecation}; creating functions with it is blocked since "
            f"{life.block_create} and updates will be from {life.block_update}"
        )
    if as_of >= life.deprecation:
        return Severity.WARNING, (
            f"was deprecated on {life.deprecation} and gets no more security patches; creating "
            f"functions with it is blocked from {life.block_create}"
        )
    if as_of >= life.deprecation - datetime.timedelta(days=NOTICE_DAYS):
        return Severity.INFO, f"will be deprecated on {life.deprecation}"
    return None


@register
class DeprecatedRuntime(TemplateRule):
    """A runtime that is deprecated, blocked, or about to be deprecated."""

    meta = RuleMeta(
        id="LL204",
        name="deprecated-runtime",
        severity=Severity.ERROR,
        summary="The function's runtime is deprecated (or will be within 90 days).",
        anchors=(
            "cfn-lint W2531/E2531/E2533",
            "checkov CKV_AWS_363",
            "cdk-nag AwsSolutions-L1",
            "Security Hub Lambda.2",
        ),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function in ctx.template.functions:
            finding = self._check_function(function, ctx.as_of)
            if finding is not None:
                yield finding

    def _check_function(self, function: Function, as_of: datetime.date) -> Finding | None:
        runtimes = texts(function.runtime)
        if not runtimes:
            return None
        stages = [stage(runtime, as_of) for runtime in runtimes]
        if any(found is None for found in stages):
            return None  # one alternative is fine (or unknown to us): nothing certain to say
        # With several alternatives, the mildest one is what is certain.
        index = min(range(len(stages)), key=lambda i: stages[i][0])
        severity, why = stages[index]
        runtime = runtimes[index]
        successor = lifecycles()[runtime].successor
        advice = f"; move to {successor}" if successor else ""
        return self.finding(
            function.runtime.span or function.span,
            f"runtime {runtime} {why}{advice}",
            anchor=function.anchor,
            severity=min(severity, self.severity),
        )
