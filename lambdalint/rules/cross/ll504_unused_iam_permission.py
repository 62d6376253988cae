from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import LinkedFunction, ProjectContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.frontends.python.sdk_usage import HandlerUsage
from lambdalint.least_privilege.formats import summary
from lambdalint.least_privilege.statements import least_privilege
from lambdalint.model import Function, Role
from lambdalint.model.policy import (
    Grant,
    action_matches,
    forwarded,
    maybe_used_indirectly,
    permissions,
    platform_actions,
)
from lambdalint.model.sdk_actions import catalogue
from lambdalint.rules.cross.joined import resolved_usage, why_unknown


@register
class UnusedIamPermission(ProjectRule):
    """The role allows actions that neither the code nor the platform ever use."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL504",
        name="unused-iam-permission",
        severity=Severity.WARNING,
        summary="The execution role allows actions the code never uses; the message proposes "
        "the statements the code needs.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        for role, users in _roles(ctx.functions):
            usages, unknown = _usages(users)
            granted = permissions(role)
            names = ", ".join(linked.function.logical_id for linked in users)
            if usages is None:  # some code is not known: anything may be used
                ctx.note(self.meta.id, f"the role of {names}: {unknown}")
                continue
            if not granted.complete:
                ctx.note(self.meta.id, f"the role of {names}: {why_unknown(granted.unknown)}")
                continue
            called = set().union(*(usage.used() for usage in usages))
            used = called | forwarded(called)
            used.update(*(platform_actions(linked.function) for linked in users))
            # One finding a statement as written: a SAM policy template's statements share it.
            by_statement: dict[object, tuple[Grant, list[str]]] = {}
            split = _split(used)
            for grant in granted.allows():
                unused = _unused(grant, split)
                if unused and grant.statement is not None:
                    key = grant.statement.span or id(grant.statement)
                    entry = by_statement.setdefault(key, (grant, []))
                    entry[1].extend(a for a in unused if a not in entry[1])
            for grant, unused in by_statement.values():
                yield self._finding(grant, unused, users, usages)

    def _finding(
        self,
        grant: Grant,
        unused: list[str],
        users: list[LinkedFunction],
        usages: list[HandlerUsage],
    ) -> Finding:
        names = ", ".join(linked.function.logical_id for linked in users)
        needed = "; ".join(
            summary(least_privilege(linked.function, usage).statements, linked.function.source)
            for linked, usage in zip(users, usages, strict=True)
        )
        statement = grant.statement
        where = statement.span or users[0].function.span
        return self.finding(
            where,
            f"The execution role of {names} allows {len(unused)} action"
            f"{'s' if len(unused) > 1 else ''} its code never uses "
            f"({', '.join(unused)}) in {statement.policy}; the code needs: {needed}",
            anchor=users[0].function.anchor,
        )


def _roles(functions: list[LinkedFunction]) -> Iterator[tuple[Role, list[LinkedFunction]]]:
    """Each execution role with every function of the run that runs with it."""
    by_role: dict[int, tuple[Role, list[LinkedFunction]]] = {}
    for linked in functions:
        role = linked.function.role
        if role is not None:
            by_role.setdefault(id(role), (role, []))[1].append(linked)
    yield from by_role.values()


def _usages(users: list[LinkedFunction]) -> tuple[list[HandlerUsage] | None, str]:
    """The SDK usage of every function running with the role, or None and why when one is not
    fully known (its code is not in the run, or calls something unresolved)."""
    usages = []
    for linked in users:
        name = linked.function.logical_id
        if linked.code is None:
            return None, f"the code of {name} is not in the run"
        if _has_layers(linked.function):
            return None, f"{name} has Layers, whose code (extensions, shared modules) is not read"
        usage, unknown = resolved_usage(linked.code)
        if usage is None:
            return None, f"{name}: {unknown}"
        usages.append(usage)
    return usages, ""


def _has_layers(function: Function) -> bool:
    """Layers are set, unless to a known empty list."""
    layers = function.layers
    return not layers.is_missing and not (layers.is_known and layers.alternatives == ([],))


def _unused(grant: Grant, used: tuple[set[str], list[str]]) -> list[str]:
    """The grant's actions no used action matches (`used` as `_split` made it)."""
    if grant.not_action:
        return []  # LL301's: NotAction grants everything else
    literal, others = used
    return [
        pattern
        for pattern in grant.actions
        if not _matches_any(pattern, literal, others)
        and grants_something(pattern)
        and not maybe_used_indirectly(pattern)
    ]


def _split(used: set[str]) -> tuple[set[str], list[str]]:
    """Plain ASCII action names (lowercased, looked up in a set) apart from patterns: matching
    every grant against every used action was most of a project's rule time."""
    literal = {action.lower() for action in used if _plain(action)}
    return literal, [action for action in used if not _plain(action)]


def _plain(action: str) -> bool:
    # ASCII without wildcards: IAM's case-insensitive match is then equality of lowercase.
    return action.isascii() and "*" not in action and "?" not in action


def _matches_any(pattern: str, literal: set[str], others: list[str]) -> bool:
    """`action_matches` either way against some used action, as `any` over them all."""
    if _plain(pattern):
        if pattern.lower() in literal:
            return True
        candidates = others
    else:
        candidates = [*literal, *others]
    return any(action_matches(pattern, a) or action_matches(a, pattern) for a in candidates)


def grants_something(pattern: str) -> bool:
    """False for a name the reference does not list under a prefix it knows
    (`sqs:DeleteMessageBatch` in SAM's SQSPollerPolicy: batch calls are authorised as the
    single action): such a grant is harmless noise, not an unused permission."""
    prefix, _, name = pattern.partition(":")
    actions = catalogue().get(prefix)
    if actions is None or "*" in name or "?" in name:
        return True
    return any(action.lower() == name.lower() for action in actions)
