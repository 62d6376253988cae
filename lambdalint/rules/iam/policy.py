"""What the IAM rules share: the execution roles of a template's functions and their Allow
statements. IAM's own matching and the evaluation of a role's policies live in the model
(lambdalint/model/policy.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lambdalint.core.span import Span
from lambdalint.model import Function, Role, Statement, Template, Val
from lambdalint.model.policy import action_matches, is_allow, known_strings

__all__ = [
    "action_matches",
    "allow_statements",
    "execution_roles",
    "is_allow",
    "is_everything",
    "is_full_wildcard",
    "known_strings",
    "where",
]

SERVICE_WILDCARD = re.compile(r"^[A-Za-z0-9-]+:\*+$")
NAMED = 2  # functions named in a message before "and N more"


@dataclass
class RoleUse:
    """An execution role and the functions of the template that run with it."""

    role: Role
    functions: list[Function] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        # An implicit role (SAM's <Fn>Role) is written nowhere: suppressions sit on the function.
        if self.role.implicit or not self.role.anchor:
            return self.functions[0].anchor
        return self.role.anchor

    @property
    def span(self) -> Span:
        return self.functions[0].span if self.role.implicit else self.role.span

    @property
    def name(self) -> str:
        """The functions, for messages: `A`, `A, B`, `A, B and 4 more`."""
        names = [function.logical_id for function in self.functions]
        if len(names) <= NAMED:
            return ", ".join(names)
        return f"{', '.join(names[:NAMED])} and {len(names) - NAMED} more"


def execution_roles(template: Template) -> list[RoleUse]:
    """Every role some function of the template runs with, once, in template order."""
    uses: dict[int, RoleUse] = {}
    for function in template.functions:
        if function.role is None:
            continue
        use = uses.setdefault(id(function.role), RoleUse(function.role))
        use.functions.append(function)
    return list(uses.values())


def allow_statements(template: Template) -> Iterator[tuple[Statement, RoleUse]]:
    """Each Allow statement reaching an execution role, once even when several roles share it."""
    seen: set[int] = set()
    for use in execution_roles(template):
        for statement in use.role.statements:
            if id(statement) in seen or not is_allow(statement):
                continue
            seen.add(id(statement))
            yield statement, use


def is_everything(val: Val) -> bool:
    """`"*"` in every alternative: all resources (or all actions)."""
    return val.every(lambda value: value == "*")


def is_full_wildcard(action: str) -> bool:
    """`*` or `<service>:*`: every action, or every action of a service."""
    return action == "*" or bool(SERVICE_WILDCARD.match(action))


def where(val: Val, fallback: Statement | None, default: Span) -> Span:
    """The most specific place to point at: the value, else its statement, else `default`."""
    if val.span is not None:
        return val.span
    if fallback is not None and fallback.span is not None:
        return fallback.span
    return default
