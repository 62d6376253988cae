"""Relations every frontend links the same way once its objects exist.

A function's log group is model knowledge, not format knowledge: Lambda writes to the group its
logging configuration names, else to `/aws/lambda/<function name>`. Only how a group's name
refers to a function (`!Sub /aws/lambda/${Fn}`, `"/aws/lambda/${aws_lambda_function.fn.id}"`)
depends on the format, so the frontend passes that in as `owner_of`.
"""

from __future__ import annotations

from collections.abc import Callable

from lambdalint.model.resources import Function, LogGroup, Template


def link_log_groups(template: Template, owner_of: Callable[[LogGroup], Function | None]) -> None:
    """Set `Function.log_group` for every function of `template` that has none yet."""
    by_name: dict[str, LogGroup] = {}
    by_owner: dict[int, LogGroup] = {}
    for group in template.log_groups:
        if isinstance(group.name.value, str) and not group.name.possible:
            by_name.setdefault(group.name.value, group)
        owner = owner_of(group)
        if owner is not None:
            by_owner.setdefault(id(owner), group)
    for function in template.functions:
        if function.log_group is not None:
            continue
        ref = function.log_group_ref
        if not ref.is_missing:
            if isinstance(ref.value, LogGroup):
                function.log_group = ref.value
            elif isinstance(ref.value, str):
                function.log_group = by_name.get(ref.value)
            continue
        name = function.name.text()
        function.log_group = by_owner.get(id(function)) or (
            by_name.get(f"/aws/lambda/{name}") if name else None
        )
